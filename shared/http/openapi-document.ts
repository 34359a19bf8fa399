import * as z from 'zod/mini';
import { actionDef } from '../domain/workflow.ts';
import { actionNames, actionPayloads } from '../schemas/actions.ts';
import { CreateApplicationSchema, UpdateApplicationSchema } from '../schemas/common.ts';
import { routes } from './routes.ts';

/**
 * GET /openapi.json: OpenAPI 3.1, whose request schemas are generated from the very zod schemas
 * that validate the requests. Built once per cold start.
 */
const schema = (s: z.ZodMiniType) => z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12' });

const problem = {
  description: 'application/problem+json (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const errors = Object.fromEntries(
  ['400', '401', '403', '404', '409', '412', '413', '422', '429', '503'].map((s) => [s, problem]),
);
const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
/** A body is required only when its schema has required fields (an empty payload may be left out). */
const body = (s: z.ZodMiniType) => {
  const json = schema(s);
  const required = Array.isArray(json.required) && json.required.length > 0;
  return { required, content: { 'application/json': { schema: json } } };
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
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
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: '"<version>"; 412 when stale',
};

let cached: unknown;

export function openapiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.fn === 'take-action') continue;
    const op: Record<string, unknown> = {
      operationId: route.fn,
      responses: { 200: ok('OK'), ...errors },
      ...(route.auth ? {} : { security: [] }),
    };
    if (route.path.includes('{id}')) op.parameters = [idParam];
    if (route.fn === 'stats') op.parameters = ['from', 'to'].map((name) => dateParam(name));
    if (route.fn === 'create-application') {
      op.requestBody = body(CreateApplicationSchema);
      op.parameters = [idempotencyHeader];
      op.responses = { 201: ok('Created'), ...errors };
    }
    if (route.fn === 'update-application') {
      op.requestBody = body(UpdateApplicationSchema);
      op.parameters = [idParam, ifMatch];
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: op };
  }
  for (const name of actionNames) {
    const def = actionDef(name);
    paths[`/applications/{id}/actions/${name}`] = {
      post: {
        operationId: name,
        summary: `${def.en} (${def.zh}): ${def.from.join(' | ')} → ${def.to.join(' | ')}; ${def.roles.join(', ')}`,
        parameters: [idParam, idempotencyHeader, ifMatch],
        requestBody: body(actionPayloads[name]),
        responses: { 200: ok('{ application, event }'), ...errors },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Liling EIA one-stop approval', version: '0.1.0' },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
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
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
  return cached;
}
