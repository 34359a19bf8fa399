/**
 * A real API function behind the REST API: it takes the payload 1.0 event API Gateway sends, reads
 * the caller and the path parameter from it, and answers a 1.0 result that carries CORS for the
 * console's origin only, errors included. A 2.0 event (the local server's) is answered as before.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiHandler } from '../../../shared/http/api.ts';
import { appKey, docNoKey } from '../../../shared/store/keys.ts';
import { apiEvent, lambdaContext } from '../../support/api-events.ts';
import { restEvent } from '../../support/rest-events.ts';
import { APP_ID, loadHandler, owner, storedApplication, TABLE, useHandlerEnvironment } from './fixtures.ts';

const ddb = useHandlerEnvironment();
const CONSOLE = 'https://eia.example.cn';
let getApplication: ApiHandler;
let listApplications: ApiHandler;
let publicDocument: ApiHandler;

beforeAll(async () => {
  vi.stubEnv('CONSOLE_ORIGIN', CONSOLE);
  getApplication = await loadHandler<ApiHandler>('get-application');
  listApplications = await loadHandler<ApiHandler>('list-applications');
  publicDocument = await loadHandler<ApiHandler>('public-document');
});

const stored = storedApplication('SUBMITTED');

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) }).resolves({ Item: stored.item });
  ddb.on(QueryCommand).resolves({ Items: [stored.item] });
  ddb.on(TransactWriteCommand).resolves({});
});

/** A reviewer who is also a clerk, as the Cognito authorizer of a REST API hands the groups over. */
const reviewerClaims = {
  sub: 'reviewer-7',
  name: 'Chen Jing',
  'cognito:groups': 'clerk,reviewer',
  token_use: 'id',
  iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_test',
};

const getOne = (origin: string, claims: Record<string, string> | undefined = reviewerClaims, id = APP_ID) =>
  restEvent({
    method: 'GET',
    resource: '/applications/{id}',
    pathParameters: { id },
    headers: { Origin: [origin] },
    ...(claims ? { claims } : {}),
  });

const call = (handler: ApiHandler, event: APIGatewayProxyEvent) =>
  handler(event, lambdaContext) as Promise<APIGatewayProxyResult>;

/** A proxy result API Gateway takes: only its keys, a numeric status, string body and header values. */
function expectValidRestResult(result: APIGatewayProxyResult): void {
  const allowed = ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'];
  expect(Object.keys(result).filter((k) => !allowed.includes(k))).toEqual([]);
  expect(Number.isInteger(result.statusCode)).toBe(true);
  expect(typeof result.body).toBe('string');
  expect(typeof result.isBase64Encoded).toBe('boolean');
  for (const value of Object.values(result.headers ?? {})) expect(typeof value).toBe('string');
}

/** The access-log entries written (an official's read of personal data is one). */
const entries = () =>
  ddb
    .commandCalls(TransactWriteCommand)
    .flatMap((c) => c.args[0].input.TransactItems ?? [])
    .map((t) => t.Put?.Item as Record<string, unknown>);

describe('an API function called with a REST (payload 1.0) event', () => {
  it('reads the caller and the path parameter, and answers a 1.0 result with CORS for the console', async () => {
    const result = await call(getApplication, getOne(CONSOLE));
    expectValidRestResult(result);
    expect(result.statusCode, result.body).toBe(200);
    expect(JSON.parse(result.body).id).toBe(APP_ID);
    expect(result.headers).toMatchObject({
      'access-control-allow-origin': CONSOLE,
      'access-control-expose-headers': expect.stringContaining('etag'),
      etag: expect.any(String),
    });
    expect(result.headers?.vary).toMatch(/\bOrigin\b/);
    expect(entries()).toEqual([
      expect.objectContaining({
        route: 'GET /applications/{id}',
        applicationIds: [APP_ID],
        actor: { id: 'reviewer-7', name: 'Chen Jing', roles: ['clerk', 'reviewer'] },
      }),
    ]);
  });

  it('gives another origin no CORS', async () => {
    const result = await call(getApplication, getOne('https://evil.example'));
    expectValidRestResult(result);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['access-control-allow-origin']).toBeUndefined();
    expect(result.headers?.['access-control-expose-headers']).toBeUndefined();
  });

  it('puts CORS on a 401 and on a 400 from validation', async () => {
    const unauthorised = await call(
      getApplication,
      getOne(CONSOLE, { sub: 'x', 'cognito:groups': 'nobody' }),
    );
    expectValidRestResult(unauthorised);
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.headers?.['access-control-allow-origin']).toBe(CONSOLE);
    expect(unauthorised.headers?.vary).toBe('Accept-Language, Origin');
    expect(JSON.parse(unauthorised.body).instance).toBe(`/applications/${APP_ID}`);

    const bad = await call(
      listApplications,
      restEvent({
        method: 'GET',
        resource: '/applications',
        query: { limit: ['0'] },
        headers: { Origin: [CONSOLE] },
        claims: reviewerClaims,
      }),
    );
    expectValidRestResult(bad);
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.headers?.['content-type']).toMatch(/problem\+json/);
    expect(bad.headers?.['access-control-allow-origin']).toBe(CONSOLE);
  });

  it('looks a document up by its number as written, though API Gateway passes it percent-encoded', async () => {
    const number = '醴环评〔2026〕17号';
    const event = restEvent({
      method: 'GET',
      resource: '/public/documents/{number}',
      pathParameters: { number },
      headers: { Origin: [CONSOLE] },
    });
    expect(event.pathParameters?.number).toBe(encodeURIComponent(number));
    ddb.on(GetCommand, { Key: docNoKey(number) }).resolves({});
    const result = await call(publicDocument, event);
    expectValidRestResult(result);
    expect(result.statusCode, result.body).toBe(404);
    expect(JSON.parse(result.body).detail).toContain(number);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key)).toEqual([docNoKey(number)]);
  });

  it('reads repeated query parameters as an HTTP API passes them', async () => {
    const result = await call(
      listApplications,
      restEvent({
        method: 'GET',
        resource: '/applications',
        query: { limit: ['1', '2'] },
        headers: { Origin: [CONSOLE] },
        claims: reviewerClaims,
      }),
    );
    // "1,2" is no number: the same 400 an HTTP API's joined value gets.
    expect(result.statusCode, result.body).toBe(400);
    expect(JSON.parse(result.body).issues).toEqual([expect.objectContaining({ path: 'limit' })]);
  });
});

describe('an API function called with a 2.0 event (the local server)', () => {
  it('answers a 2.0 result and leaves the event as it came', async () => {
    const event = apiEvent({
      method: 'GET',
      route: '/applications/{id}',
      pathParameters: { id: APP_ID },
      user: owner,
      headers: { origin: CONSOLE },
    });
    const before = structuredClone(event);
    const result = await getApplication(event, lambdaContext);
    expect(event).toEqual(before);
    expect(result.statusCode, result.body).toBe(200);
    expect(result).not.toHaveProperty('multiValueHeaders');
    expect(JSON.parse(result.body).id).toBe(APP_ID);
    expect(result.headers['access-control-allow-origin']).toBe(CONSOLE);
  });

  it("takes the console's origin from the stage variable consoleOrigin, as the REST stage sets it", async () => {
    vi.stubEnv('CONSOLE_ORIGIN', '');
    try {
      const event = { ...getOne(CONSOLE), stageVariables: { consoleOrigin: CONSOLE } };
      const result = await call(getApplication, event);
      expect(result.statusCode, result.body).toBe(200);
      expect(result.headers?.['access-control-allow-origin']).toBe(CONSOLE);
      const other = await call(getApplication, {
        ...getOne('https://evil.example.com'),
        stageVariables: { consoleOrigin: CONSOLE },
      });
      expect(other.headers?.['access-control-allow-origin']).toBeUndefined();
    } finally {
      vi.stubEnv('CONSOLE_ORIGIN', CONSOLE);
    }
  });

  it('adds no CORS where no console origin is set', async () => {
    vi.stubEnv('CONSOLE_ORIGIN', '');
    try {
      const event = apiEvent({
        method: 'GET',
        route: '/applications/{id}',
        pathParameters: { id: APP_ID },
        user: owner,
        headers: { origin: CONSOLE },
      });
      const result = await getApplication(event, lambdaContext);
      expect(result.statusCode).toBe(200);
      expect(Object.keys(result.headers).filter((n) => n.startsWith('access-control-'))).toEqual([]);
      expect(result.headers.vary).toBeUndefined();
    } finally {
      vi.stubEnv('CONSOLE_ORIGIN', CONSOLE);
    }
  });
});
