// @ts-nocheck
import type { Who } from '../domain/workflow.ts';
import type { ProblemType } from './openapi-problems.ts';
import type { FunctionName } from './routes.ts';

/**
 * What /openapi.json tells an integrator about each route: a summary, what a 200/201 holds, and
 * the problem types the route can answer with (its error responses name only those).
 */
interface Operation {
  readonly summary: string;
  readonly description?: string;
  /** What the success response holds. */
  readonly ok: string;
  /** Media types it may come as besides JSON. */
  readonly alsoAs?: readonly string[];
  readonly problems: readonly ProblemType[];
}

const signedIn = ['unauthorized', 'rate-limited', 'unavailable'] as const;
const query = ['validation', ...signedIn] as const;
/** A query open to some roles only. */
const byRole = ['wrong-role', ...query] as const;
/** A request with a JSON body, through the one command path (shared/http/command.ts). */
const command = ['validation', 'body-too-large', 'not-json', 'too-large', ...signedIn] as const;

/** take-action is documented per action, from the workflow definition (see openapi-document.ts). */
export const operations: Record<Exclude<FunctionName, 'take-action'>, Operation> = {
  'create-application': {
    summary: 'An applicant creates a draft application (创建申请草稿)',
    description:
      'The applicant is the owner; `applicant.orgCode` must be their own organisation. Answers 201 with `Location` and `ETag`.',
    ok: 'Created: the draft application, with `allowedActions` for the caller',
    problems: [
      ...command,
      'wrong-role',
      'no-organisation',
      'in-flight',
      'org-mismatch',
      'idempotency-key-reused',
    ],
  },
  'list-applications': {
    summary: "Lists applications: an applicant's own; every one for officials and the auditor",
    description:
      "`mine=true`: only the caller's own. `queue=mine`: what waits on the caller now, due date first. Filters: `state`, `category`; paged by `limit` and `cursor`.",
    ok: '`{ items, cursor? }`: a page of applications, newest first',
    problems: query,
  },
  'get-application': {
    summary: 'Reads one application, for its owner, officials and the auditor',
    description: 'With its `ETag` (for If-Match) and `allowedActions`: the actions the caller may take now.',
    ok: 'The application',
    problems: ['not-found', ...signedIn],
  },
  'update-application': {
    summary: 'The owning applicant edits a draft, or answers a supplement or revision request',
    description:
      'Any part of the create body. Send the version read (`If-Match: "<version>"`) to be told 412 when it is stale.',
    ok: 'The application as edited, with its new `ETag`',
    problems: [
      ...command,
      'not-found',
      'not-yours',
      'no-organisation',
      'not-editable',
      'concurrent-change',
      'stale-version',
      'rule',
      'org-mismatch',
    ],
  },
  'list-events': {
    summary: "Lists one application's audit trail, oldest first, for its owner, officials and the auditor",
    ok: '`{ items, cursor? }`: a page of events, each chained to the one before by its hash',
    problems: ['not-found', ...query],
  },
  'audit-events': {
    summary: 'The auditor queries the audit trail by application, actor, action and time, or exports it',
    description:
      '`format=json` pages; `ndjson` and `csv` export one page per request (`x-next-cursor`). Contact names and phones are masked unless asked for, and asking is recorded in the access log first.',
    ok: 'A page of events (JSON), or an NDJSON or CSV export of one page',
    alsoAs: ['application/x-ndjson', 'text/csv'],
    problems: byRole,
  },
  'audit-verify': {
    summary: "The auditor verifies one application's hash chain and the daily digests that name it",
    ok: '`{ ok, events, firstBrokenSeq?, reason?, headHash, digested, checkedAt }`',
    problems: ['wrong-role', 'not-found', ...signedIn],
  },
  'audit-digests': {
    summary: 'The auditor reads the daily chained digests of head hashes, newest first',
    ok: '`{ items, cursor?, chainOk, firstBrokenDay?, reason? }`',
    problems: byRole,
  },
  'audit-access-log': {
    summary: 'The auditor reads who asked for unmasked personal data, and when, newest first',
    ok: '`{ items, cursor? }`: a page of access records',
    problems: byRole,
  },
  stats: {
    summary: 'Statistics for officials and the auditor: received, accepted, decided, on time, late',
    description: 'Per category and in total, over `from`–`to` (Beijing days, both included, at most 366).',
    ok: 'The figures for the period',
    problems: byRole,
  },
  'public-notices': {
    summary: 'Public notices for anyone: acceptances, proposed decisions, decisions, filings',
    description: 'No token needed. Newest first; they name the organisation but hold no personal data.',
    ok: '`{ items, cursor? }`: a page of notices',
    problems: ['validation', 'rate-limited', 'unavailable'],
  },
  workflow: {
    summary: 'The workflow for anyone, as data: states, actions, roles, payload schemas, materials',
    description: 'No token needed.',
    ok: "The workflow definition and the bureau's settings",
    problems: ['rate-limited'],
  },
  openapi: {
    summary: 'This document, for anyone',
    description: 'No token needed. Generated from the zod schemas that validate the requests.',
    ok: 'OpenAPI 3.1',
    problems: ['rate-limited'],
  },
};

/** An action's problems: the command path's, the workflow's checks, If-Match, and who may act. */
export function actionProblems(who: Who): readonly ProblemType[] {
  return [
    ...command,
    'wrong-role',
    ...whoProblems[who],
    'not-found',
    'not-allowed-in-state',
    'concurrent-change',
    'in-flight',
    'stale-version',
    'rule',
    'idempotency-key-reused',
  ];
}

const whoProblems: Record<Who, readonly ProblemType[]> = {
  anyone: [],
  owner: ['not-yours'],
  caseOfficer: ['not-yours'],
  notProposer: ['separation-of-duties'],
};
