import * as z from 'zod/mini';
import { actionDef, type Who } from '../domain/workflow.ts';
import { actionNames, actionPayloads } from '../schemas/actions.ts';
import { CalendarYearSchema } from '../schemas/calendar.ts';
import { CommentResponseSchema, CommentSchema } from '../schemas/comments.ts';
import { CreateApplicationSchema, UpdateApplicationSchema } from '../schemas/common.ts';
import { WorkflowConfigSchema } from '../schemas/config.ts';
import { HearingRequestSchema } from '../schemas/hearings.ts';
import { InvitationSchema, StaffPatchSchema } from '../schemas/staff.ts';
import { UploadRequestSchema } from '../schemas/uploads.ts';
import { InboxReadSchema } from './inbox.ts';
import { actionProblems, operations } from './openapi-operations.ts';
import { errorResponses, problemSchemas } from './openapi-problems.ts';
import { routes } from './routes.ts';

/**
 * GET /openapi.json: OpenAPI 3.1, whose request schemas are generated from the very zod schemas
 * that validate the requests. Written to shared/http/generated/ by `npm run docs`, and linted
 * there by `npm run lint` (Redocly, redocly.yaml).
 */
const schema = (s: z.ZodMiniType) => z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12' });

const ok = (description: string, alsoAs: readonly string[] = []) => ({
  description,
  content: {
    'application/json': { schema: { type: 'object' } },
    ...Object.fromEntries(alsoAs.map((type) => [type, { schema: { type: 'string' } }])),
  },
});
/** A redirect to a file: where it is, for a few minutes. */
const seeOther = (description: string) => ({
  description,
  headers: { Location: { description: 'the presigned URL of the file', schema: { type: 'string' } } },
});
/** The `{name}` parameters of a route path. */
const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
/** A body is required only when its schema has required fields (an empty payload may be left out). */
const body = (s: z.ZodMiniType) => {
  const json = schema(s);
  const required = Array.isArray(json.required) && json.required.length > 0;
  return { required, content: { 'application/json': { schema: json } } };
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const yearParam = {
  name: 'year',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9]{4}$' },
  description: 'a year from 2000 to next year + 1',
};
const dateParam = (name: string) => ({
  name,
  in: 'query',
  required: true,
  schema: { type: 'string', format: 'date' },
  description: 'a Beijing day, YYYY-MM-DD; the period includes both from and to (at most 366 days)',
});
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 128 },
  description: 'A retry with the same key and body returns the first response and writes nothing new.',
};
/** On the public writes: nobody signs in, so the key is the notice's, and must not be guessable. */
const publicIdempotencyHeader = {
  ...idempotencyHeader,
  description:
    'A random value (a UUID) the form makes once per form instance and sends with every retry: a retry with the same key and body returns the first response and stores nothing new. Scoped to the notice, not to a person, so never a predictable value.',
};
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: '"<version>"; 412 when stale',
};

const whoNote: Record<Who, string> = {
  anyone: '',
  owner: ' (the owner)',
  caseOfficer: ' (the case officer)',
  notProposer: ' (not the one who proposed the decision)',
};

/** The sweeper acts as `system` (deemed acceptance); no token carries that role. */
const people = (roles: readonly string[]) => roles.filter((role) => role !== 'system').join(' or ');
const bySystem =
  ' The system also takes it by itself when the bureau has not answered a submission in time (deemed acceptance).';

let cached: unknown;

export function openapiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  const responses: Record<string, unknown> = {};
  for (const route of routes) {
    if (route.fn === 'take-action') continue;
    const text = operations[route.fn];
    const success =
      text.status ?? (route.fn === 'create-application' || route.fn === 'admin-invite-user' ? 201 : 200);
    const op: Record<string, unknown> = {
      operationId: route.fn,
      summary: text.summary,
      ...(text.description ? { description: text.description } : {}),
      responses: {
        [success]:
          success === 303
            ? seeOther(text.ok)
            : success === 204
              ? { description: text.ok }
              : ok(text.ok, text.alsoAs),
        ...errorResponses(text.problems, responses),
      },
      ...(route.auth ? {} : { security: [] }),
    };
    if (route.path.includes('{id}')) op.parameters = [idParam];
    const others = pathParams(route.path).filter((name) => name !== 'id');
    if (others.length > 0 || text.query) {
      op.parameters = [
        ...((op.parameters as unknown[] | undefined) ?? []),
        ...others.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries(text.query ?? {}).map(([name, description]) => ({
          name,
          in: 'query',
          required: false,
          schema: { type: 'string' },
          description,
        })),
      ];
    }
    if (route.fn === 'create-upload') {
      op.requestBody = body(UploadRequestSchema);
      op.parameters = [idParam, idempotencyHeader];
    }
    if (route.fn === 'public-comment' || route.fn === 'public-hearing-request')
      op.parameters = [...((op.parameters as unknown[] | undefined) ?? []), publicIdempotencyHeader];
    if (route.fn === 'public-comment') op.requestBody = body(CommentSchema);
    if (route.fn === 'respond-comment') op.requestBody = body(CommentResponseSchema);
    if (route.fn === 'public-hearing-request') op.requestBody = body(HearingRequestSchema);
    if (route.fn === 'inbox-read') op.requestBody = body(InboxReadSchema);
    if (route.fn === 'stats') op.parameters = ['from', 'to'].map((name) => dateParam(name));
    if (route.fn === 'create-application') {
      op.requestBody = body(CreateApplicationSchema);
      op.parameters = [idempotencyHeader];
    }
    if (route.fn === 'update-application') {
      op.requestBody = body(UpdateApplicationSchema);
      op.parameters = [idParam, ifMatch];
    }
    if (route.fn === 'delete-application') op.parameters = [idParam, idempotencyHeader, ifMatch];
    if (route.fn === 'admin-invite-user') {
      op.requestBody = body(InvitationSchema);
      op.parameters = [idempotencyHeader];
    }
    if (route.fn === 'admin-calendar-year') {
      op.requestBody = body(CalendarYearSchema);
      op.parameters = [yearParam, ifMatch];
    }
    if (route.fn === 'admin-update-config') {
      op.requestBody = body(WorkflowConfigSchema);
      op.parameters = [ifMatch];
    }
    if (route.fn === 'admin-update-user') {
      op.requestBody = body(StaffPatchSchema);
      op.parameters = [{ ...idParam, schema: { type: 'string', maxLength: 128 } }];
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: op };
  }
  for (const name of actionNames) {
    const def = actionDef(name);
    paths[`/applications/{id}/actions/${name}`] = {
      post: {
        operationId: name,
        summary: `${def.en} (${def.zh}), by ${people(def.roles)}${whoNote[def.who]}`,
        description: `From ${def.from.join(' | ')} to ${def.to.join(' | ')}.${def.roles.includes('system') ? bySystem : ''}`,
        parameters: [idParam, idempotencyHeader, ifMatch],
        requestBody: body(actionPayloads[name]),
        responses: {
          200: ok(
            '`{ application, event }`: the application as it is now, and the event appended to its trail',
          ),
          ...errorResponses(actionProblems(def.who, name), responses),
        },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Liling EIA one-stop approval',
      version: '0.1.0',
      description:
        'Environmental impact assessment approval for the Environmental Protection Bureau of Liling City (醴陵市生态环境局环评审批). Errors are application/problem+json (RFC 9457).',
    },
    servers: [
      { url: 'http://localhost:3000', description: '`npm start` (another port with PORT)' },
      {
        url: 'https://{apiId}.execute-api.{region}.{domain}/api',
        description: "Deployed: the stateless stack's ApiUrl output (the REST API's stage `api`)",
        variables: {
          apiId: { default: 'your-api-id', description: 'the REST API id, the first label of ApiUrl' },
          region: { default: 'cn-north-1', description: 'the AWS region deployed to' },
          domain: { default: 'amazonaws.com.cn', enum: ['amazonaws.com.cn', 'amazonaws.com'] },
        },
      },
    ],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: problemSchemas,
      responses,
    },
  };
  return cached;
}
