import { roles } from '../domain/types.ts';

/**
 * The problems (RFC 9457; `type` is …/problems/<type>) the API answers with, and the error
 * responses of /openapi.json built from them: one per status, whose description names each
 * problem type that can cause it on that operation. Operations with the same causes share one
 * response under components.responses, which keeps the document (and the bundle that serves it)
 * small.
 */
export const problemTypes = {
  validation: [
    400,
    'a field, query parameter or header is invalid, or the body has a field it does not know',
  ],
  unauthorized: [401, `no token with a subject and one of the groups ${roles.join(', ')}`],
  'wrong-role': [403, "the caller's role may not do this"],
  'no-organisation': [403, "the applicant's token carries no organisation code (custom:orgCode)"],
  'not-yours': [403, 'the right role, but only the owner or the case officer may do this'],
  'separation-of-duties': [403, 'no one may decide on what they proposed'],
  'conflict-of-interest': [
    403,
    "an official act (or the window's, for a walk-in) on an application the caller owns or that belongs to their own organisation (`custom:orgCode`), whatever roles they hold",
  ],
  'not-found': [404, "no such application, or another applicant's: it is answered as if it did not exist"],
  'not-allowed-in-state': [409, "the action is not allowed in the application's current state"],
  'not-editable': [409, 'only DRAFT, SUPPLEMENT_REQUIRED and REVISION_REQUIRED applications can be edited'],
  'concurrent-change': [409, 'another change was committed first; read the application again and retry'],
  'in-flight': [409, 'the first request with this Idempotency-Key is still running; retry shortly'],
  'stale-version': [412, 'If-Match names a version that is no longer current'],
  'body-too-large': [413, 'the body is over 64 KiB'],
  'not-json': [415, 'the content-type is not JSON'],
  rule: [
    422,
    'a rule of the workflow (the `detail` and `issues` say which, e.g. a second supplement notice)',
  ],
  'org-mismatch': [
    422,
    "applicant.orgCode is not the caller's own organisation (on a walk-in: not the one at the window, onBehalfOf.orgCode)",
  ],
  'facts-frozen': [
    422,
    "after the acceptance notice the project's facts (name, location, industry, investment) and the applicant's name and code no longer change; `issues` name each",
  ],
  'conditions-differ-from-notice': [
    422,
    'approve names conditions other than those on the proposed-decision notice (send none to sign them as noticed)',
  ],
  'comment-period-open': [
    422,
    "propose_decision before the acceptance notice's comment period has ended (propose from the day after its last day)",
  ],
  'comments-unanswered': [
    422,
    'propose_decision, approve or reject while a public comment has no response from the case officer',
  ],
  'comment-period-closed': [
    409,
    'the notice takes no comments now: before it is published, after the last day of its period, or a notice with none',
  ],
  'comment-already-answered': [409, 'the comment already has its response; it is answered once'],
  'hearing-window-closed': [
    409,
    "the notice takes no hearing requests now: it is not the current proposed decision's notice, the case is no longer on notice or in its hearing, the hearing was held, or the day is outside the notice's first day through the proposal's `hearingDeadline`",
  ],
  'hearing-too-soon': [
    422,
    'schedule_hearing on a day less than 7 calendar days ahead (Beijing): those taking part are told at least 7 days before (`issues` path `at`)',
  ],
  'hearing-too-late': [
    422,
    'schedule_hearing on a day after `hearing.holdBy`, 20 working days after the first request (`issues` path `at`)',
  ],
  'idempotency-key-reused': [422, 'the Idempotency-Key was already used for another body or target'],
  'too-large': [422, 'the application or its event would grow past what is kept; shorten the texts'],
  'email-taken': [409, 'the e-mail already has an account'],
  'own-roles': [422, 'nobody can change their own groups'],
  'last-admin': [422, 'the change would leave the bureau without an enabled admin'],
  'invalid-config': [
    422,
    'the configuration breaks a rule across its fields: a material code defined twice, a required code not defined, a commitment longer than its statutory limit',
  ],
  'material-not-uploaded': [
    422,
    'a material or attachment names no upload of this application as announced (code, file name, SHA-256, size), or storage does not hold those bytes; `issues` name each',
  ],
  'material-type-mismatch': [
    422,
    "a file's content is not the type its name says (a ZIP named .pdf), or a type the bureau does not take; `issues` name each file",
  ],
  'materials-not-clean': [
    422,
    "a current material's malware scan is still PENDING or found it INFECTED; `issues` name each",
  ],
  'too-many-uploads': [
    422,
    'the application already has the most upload records one application may have (200, every version and unused announcement included)',
  ],
  'file-infected': [422, 'the malware scan found the file infected: it is not served'],
  'rate-limited': [429, 'too many requests from this caller'],
  'too-many-requests': [
    429,
    'this address has sent as many comments and hearing requests as one address may within the window (in AWS the firewall counts them before the function, and the function counts them too)',
  ],
  unavailable: [503, 'the database is throttling or did not answer; retry after `Retry-After` seconds'],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemType = keyof typeof problemTypes;

/** What every status means, whichever type says why. */
const statusTitles: Record<number, string> = {
  400: "Bad input: the problem's `issues` name each field (`path`) and what is wrong with it",
  401: "Not signed in. In AWS, API Gateway's Cognito authorizer refuses a missing, expired or foreign token itself, before the function, with the same problem (`unauthorized`)",
  403: "Signed in, but not allowed: the problem's `type` says why",
  404: 'Not found, or not yours',
  409: "Conflict with the application's state or with another request",
  412: 'Precondition failed: the version in If-Match is stale; read the application again (its ETag) and retry',
  413: 'Payload too large',
  415: 'Unsupported media type: send application/json',
  422: "Well-formed, but it breaks a rule; the problem's `type` ends in the rule's code",
  429: "Too many requests: wait `Retry-After` seconds. In AWS the firewall (AWS WAF, limits per caller) and API Gateway's stage and method throttling (all callers together) answer this themselves, before the function; the firewall sends its problem as `application/json`",
  503: 'Service unavailable: retry after `Retry-After` seconds',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const integerHeader = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
const headersOf: Record<number, Record<string, unknown>> = {
  401: { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } } },
  429: { 'Retry-After': integerHeader('whole seconds until the caller may send again') },
  503: { 'Retry-After': integerHeader('whole seconds to wait before retrying') },
};
/** In AWS the firewall answers this one itself: the same problem, as `application/json`. */
const fromFirewallToo = new Set([429]);

function response(status: number, causes: readonly ProblemType[]) {
  return {
    description: [
      `${statusTitles[status]}.`,
      '',
      ...causes.map((type) => `- \`${type}\`: ${problemTypes[type][1]}`),
    ].join('\n'),
    ...(headersOf[status] ? { headers: headersOf[status] } : {}),
    content: {
      'application/problem+json': { schema: ref('Problem') },
      ...(fromFirewallToo.has(status) ? { 'application/json': { schema: ref('Problem') } } : {}),
    },
  };
}

/**
 * An operation's error responses, by status, each a $ref into `shared` (components.responses),
 * where a response is added the first time its status and causes are seen.
 */
export function errorResponses(
  types: readonly ProblemType[],
  shared: Record<string, unknown>,
): Record<string, { $ref: string }> {
  const byStatus = new Map<number, ProblemType[]>();
  for (const type of types) {
    const [status] = problemTypes[type];
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, causes]) => {
      const name = [status, ...causes].join('.');
      shared[name] ??= response(status, causes);
      return [String(status), { $ref: `#/components/responses/${name}` }];
    }),
  );
}

export const problemSchemas = {
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      issues: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            path: { type: 'string' },
            message: {
              type: 'string',
              description: 'In English, or in Chinese when Accept-Language puts zh first',
            },
            code: {
              type: 'string',
              description:
                'invalid_type, too_big, too_small, invalid_format, invalid_value, unrecognized_keys, custom',
            },
            params: {
              type: 'object',
              description:
                'The limits of the code (maximum, minimum, origin, expected, received, format, values); never the value sent. With code custom: `rule`, the name of the rule broken (shared/domain/rules.ts), and its values (material codes, dates, counts)',
              additionalProperties: true,
            },
          },
        },
      },
    },
  },
};
