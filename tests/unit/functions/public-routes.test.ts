import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../../shared/domain/config.ts';
import { categories } from '../../../shared/domain/types.ts';
import { actionDef } from '../../../shared/domain/workflow.ts';
import { routes } from '../../../shared/http/routes.ts';
import { forgetConfig } from '../../../shared/runtime/workflow-config.ts';
import { actionNames } from '../../../shared/schemas/actions.ts';
import { apiEvent, invoke } from '../../support/api-events.ts';
import { stubEnv } from './fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
type Handler = Parameters<typeof invoke>[0];
let workflow: Handler;
let openapi: Handler;

beforeAll(async () => {
  stubEnv();
  ({ handler: workflow } = await import('../../../functions/workflow/handler.ts'));
  ({ handler: openapi } = await import('../../../functions/openapi/handler.ts'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  forgetConfig();
});

/** The one read GET /workflow makes: the configuration versions' partition. */
function onlyConfigReads(): void {
  const calls = ddb.calls().map((c) => c.args[0]);
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call).toBeInstanceOf(QueryCommand);
    expect((call as QueryCommand).input.ExpressionAttributeValues).toMatchObject({ ':pk': 'BUREAU#config' });
  }
}

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: unknown;
};

/** Every object schema inside `schema`, with its path. */
function objectSchemas(schema: JsonSchema, path = '(body)'): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = schema.type === 'object' ? [[path, schema]] : [];
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    found.push(...objectSchemas(child, `${path}.${name}`));
  if (schema.items) found.push(...objectSchemas(schema.items, `${path}[]`));
  return found;
}

describe('GET /workflow (no token)', () => {
  it('lists every action with from, to, roles and a payload schema, as the workflow defines them', async () => {
    const res = await invoke(workflow, apiEvent({ method: 'GET', route: '/workflow' }));

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const actions = res.body.actions as {
      name: string;
      from: string[];
      to: string[];
      roles: string[];
      payloadSchema: JsonSchema;
    }[];
    expect(actions.map((a) => a.name).sort()).toEqual([...actionNames].sort());
    expect(actions).toHaveLength(21);
    for (const action of actions) {
      const def = actionDef(action.name as (typeof actionNames)[number]);
      expect(action, action.name).toMatchObject({ from: def.from, to: def.to, roles: def.roles });
      expect(action.from.length, action.name).toBeGreaterThan(0);
      expect(action.payloadSchema, action.name).toMatchObject({
        type: 'object',
        additionalProperties: false,
      });
    }
    expect(actions.find((a) => a.name === 'accept')).toMatchObject({
      from: ['SUBMITTED'],
      to: ['ACCEPTED'],
      roles: expect.arrayContaining(['clerk']),
    });
    expect(actions.find((a) => a.name === 'decline')?.payloadSchema).toMatchObject({
      properties: { reason: { type: 'string' } },
      required: ['reason'],
    });
    onlyConfigReads();
  });

  it('lists the materials and which are required for each category', async () => {
    const res = await invoke(workflow, apiEvent({ method: 'GET', route: '/workflow' }));

    const codes = (res.body.materials as { code: string; zh: string; en: string }[]).map((m) => m.code);
    expect(codes).toEqual(defaultConfig.materials.map((m) => m.code));
    expect(Object.keys(res.body.required).sort()).toEqual([...categories].sort());
    for (const category of categories) {
      const required = res.body.required[category] as string[];
      expect(required.length, category).toBeGreaterThan(0);
      expect(codes, category).toEqual(expect.arrayContaining(required));
    }
    expect(res.body.required.REGISTRATION).toEqual(['EIA_DOCUMENT']);
    expect(res.body.states).toContain('PUBLIC_NOTICE');
    expect(res.body.configVersion).toBe(1);
  });

  it('shows the current configuration version the bureau stored, over the static definition', async () => {
    const materials = [
      ...defaultConfig.materials,
      { code: 'NOISE_STUDY', zh: '噪声专题', en: 'Noise study' },
    ];
    const stored = {
      ...defaultConfig,
      materials,
      required: { ...defaultConfig.required, REGISTRATION: ['EIA_DOCUMENT', 'NOISE_STUDY'] },
    };
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'BUREAU#config',
          sk: 'v0002',
          kind: 'config',
          id: 'v0002',
          version: 1,
          body: stored,
          updatedAt: '2026-12-01T00:00:00.000Z',
          updatedBy: 'admin-1',
        },
      ],
    });

    const res = await invoke(workflow, apiEvent({ method: 'GET', route: '/workflow' }));

    expect(res.statusCode).toBe(200);
    expect(res.body.configVersion).toBe(2);
    expect(res.body.required.REGISTRATION).toEqual(['EIA_DOCUMENT', 'NOISE_STUDY']);
    expect((res.body.materials as { code: string }[]).map((m) => m.code)).toContain('NOISE_STUDY');
    expect(res.body.states).toContain('PUBLIC_NOTICE');
    onlyConfigReads();
  });
});

describe('GET /openapi.json (no token)', () => {
  it('is OpenAPI 3.1 with a path per action whose request body refuses additional properties', async () => {
    const res = await invoke(openapi, apiEvent({ method: 'GET', route: '/openapi.json' }));

    expect(res.statusCode).toBe(200);
    type Operation = { requestBody: { content: Record<string, { schema: JsonSchema }> } };
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const name of actionNames) {
      const op = doc.paths[`/applications/{id}/actions/${name}`]?.post;
      expect(op, name).toBeDefined();
      const schema = op?.requestBody.content['application/json']?.schema ?? {};
      expect(schema, name).toMatchObject({ type: 'object', additionalProperties: false });
      // Nested objects too (request_supplement items, resubmit materials, …).
      for (const [path, object] of objectSchemas(schema)) {
        expect(object.additionalProperties, `${name} ${path}`).toBe(false);
      }
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('documents create and update bodies from the same strict schemas', async () => {
    const res = await invoke(openapi, apiEvent({ method: 'GET', route: '/openapi.json' }));
    const paths = res.body.paths;

    for (const op of [paths['/applications'].post, paths['/applications/{id}'].patch]) {
      const schema = op.requestBody.content['application/json'].schema as JsonSchema;
      const objects = objectSchemas(schema);
      expect(objects.map(([p]) => p)).toEqual(
        expect.arrayContaining(['(body)', '(body).project', '(body).applicant']),
      );
      for (const [path, object] of objects) expect(object.additionalProperties, path).toBe(false);
    }
    expect(paths['/applications'].post.responses).toHaveProperty('201');
  });

  it('gives every operation a summary and every response a description, for any API tool', async () => {
    const res = await invoke(openapi, apiEvent({ method: 'GET', route: '/openapi.json' }));
    type Response = { description?: string; $ref?: string };
    const doc = res.body as {
      paths: Record<string, Record<string, { summary?: string; responses: Record<string, Response> }>>;
      components: { responses: Record<string, Response> };
    };
    const resolve = (r: Response) => (r.$ref ? doc.components.responses[r.$ref.split('/').pop() ?? ''] : r);

    const operations = Object.values(doc.paths).flatMap((path) => Object.entries(path));
    expect(operations.length).toBe(routes.length - 1 + actionNames.length); // take-action: one per action
    for (const [method, op] of operations) {
      expect(op.summary, method).toMatch(/\w{3,}/);
      // Its first line says what the status means here, in a few words at least.
      for (const [status, response] of Object.entries(op.responses))
        expect(resolve(response)?.description, `${op.summary} ${status}`).toMatch(/^[`\w][^\n]{9,}/);
    }
    const approve = doc.paths['/applications/{id}/actions/approve']?.post;
    expect(resolve(approve?.responses['409'] ?? {})?.description).toContain('`not-allowed-in-state`');
    expect(resolve(approve?.responses['403'] ?? {})?.description).toContain('`separation-of-duties`');
    expect(doc.paths['/workflow']?.get?.responses).not.toHaveProperty('401');
  });
});
