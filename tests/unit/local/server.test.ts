import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json } from '../../../local/problem.ts';
import { createLocalServer, type LambdaHandler, type LocalServer } from '../../../local/server.ts';
import { createLocalIssuer, type LocalIssuer } from '../../../local/tokens.ts';
import { resetNow } from '../../../shared/runtime/now.ts';

/** The events the fake handlers received, newest last. */
const events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
const ok: LambdaHandler = async (event) => {
  events.push(event);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
};
let nextResult: (() => Promise<APIGatewayProxyResultV2>) | undefined;
const scripted: LambdaHandler = async (event) => {
  events.push(event);
  if (!nextResult) throw new Error('no result scripted');
  return nextResult();
};

let issuer: LocalIssuer;
let server: LocalServer;
const logged: string[] = [];

beforeAll(async () => {
  issuer = await createLocalIssuer({ issuer: 'urn:test', audience: 'eia-test' });
  server = await createLocalServer({
    port: 0,
    issuer,
    quiet: true,
    log: (line) => logged.push(line),
    handlers: {
      'get-application': ok,
      'list-applications': ok,
      'create-application': ok,
      'take-action': ok,
      workflow: ok,
      'update-application': scripted,
    },
  });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => {
  events.length = 0;
  logged.length = 0;
  nextResult = undefined;
});

afterEach(() => resetNow());

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: Buffer;
  json: () => Record<string, unknown>;
}

/** Raw node:http, so that tests control repeated headers and exact bytes. */
function send(
  method: string,
  path: string,
  options: { headers?: OutgoingHttpHeaders; body?: string | Buffer; token?: string; chunked?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body,
          json: () => JSON.parse(text),
        });
      });
    });
    req.on('error', reject);
    if (options.chunked && options.body !== undefined) {
      // Several writes: sent chunked, with no Content-Length to go by.
      const body = Buffer.from(options.body);
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else req.end(options.body);
  });
}

function lastEvent(): APIGatewayProxyEventV2WithJWTAuthorizer {
  const event = events.at(-1);
  if (!event) throw new Error('the handler was not called');
  return event;
}

const clerk = () => issuer.issue({ sub: 'u-clerk', name: '王芳', groups: ['clerk', 'reviewer'] });

describe('the event handed to a handler', () => {
  it('has the route key, decoded path parameters and API Gateway v2 request context', async () => {
    const reply = await send('GET', '/applications/app%201', { token: await clerk() });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ ok: true });
    expect(reply.headers['apigw-requestid']).toBe(lastEvent().requestContext.requestId);
    const event = lastEvent();
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /applications/{id}');
    expect(event.rawPath).toBe('/applications/app 1');
    expect(event.pathParameters).toEqual({ id: 'app 1' });
    expect(event.rawQueryString).toBe('');
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      stage: '$default',
      routeKey: 'GET /applications/{id}',
      http: { method: 'GET', path: '/applications/app 1', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    });
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5_000);
  });

  it('takes two path parameters from the longest matching template', async () => {
    await send('POST', '/applications/a1/actions/submit', { token: await clerk(), body: '{}' });
    expect(lastEvent().routeKey).toBe('POST /applications/{id}/actions/{action}');
    expect(lastEvent().pathParameters).toEqual({ id: 'a1', action: 'submit' });
  });

  it('keeps the raw query string and joins repeated parameters with commas', async () => {
    await send('GET', '/applications?state=DRAFT&state=ACCEPTED&q=%E7%8E%AF%E8%AF%84&empty=', {
      token: await clerk(),
    });
    const event = lastEvent();
    expect(event.rawQueryString).toBe('state=DRAFT&state=ACCEPTED&q=%E7%8E%AF%E8%AF%84&empty=');
    expect(event.queryStringParameters).toEqual({ state: 'DRAFT,ACCEPTED', q: '环评', empty: '' });
  });

  it('lower-cases header names, joins repeated headers with commas and moves cookies out', async () => {
    await send('GET', '/workflow', {
      headers: {
        'X-Trace-Me': ['one', 'two'],
        'If-Match': '"3"',
        Cookie: 'a=1; b=2',
        'User-Agent': 'test-agent',
      },
    });
    const event = lastEvent();
    expect(event.headers['x-trace-me']).toBe('one,two');
    expect(event.headers['if-match']).toBe('"3"');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.requestContext.http.userAgent).toBe('test-agent');
  });

  it('passes the verified claims as strings, groups as "[clerk reviewer]"', async () => {
    await send('GET', '/applications', { token: await clerk() });
    const { authorizer } = lastEvent().requestContext;
    expect(authorizer.jwt.scopes).toBeNull();
    expect(authorizer.jwt.claims).toMatchObject({
      sub: 'u-clerk',
      name: '王芳',
      'cognito:groups': '[clerk reviewer]',
      iss: 'urn:test',
      aud: 'eia-test',
    });
  });

  it('gives a public route no authorizer and needs no token', async () => {
    const reply = await send('GET', '/workflow');
    expect(reply.status).toBe(200);
    expect(lastEvent().requestContext).not.toHaveProperty('authorizer');
  });

  it('passes a text body as it is and a binary body as base64', async () => {
    const token = await clerk();
    await send('POST', '/applications', { token, body: '{"category":"REPORT","名称":"纸业"}' });
    expect(lastEvent().body).toBe('{"category":"REPORT","名称":"纸业"}');
    expect(lastEvent().isBase64Encoded).toBe(false);
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
    await send('POST', '/applications', { token, body: bytes });
    expect(lastEvent().isBase64Encoded).toBe(true);
    expect(Buffer.from(lastEvent().body ?? '', 'base64')).toEqual(bytes);
  });
});

describe('what API Gateway answers itself', () => {
  it('401 without a token on an authorised route, without calling the handler', async () => {
    const reply = await send('GET', '/applications');
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.headers['www-authenticate']).toBe('Bearer');
    expect(reply.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
    expect(events).toHaveLength(0);
  });

  it('401 for an invalid or expired token', async () => {
    for (const token of ['garbage', await issuer.issue({ sub: 'u', name: 'n', groups: ['clerk'] }, -5)]) {
      const reply = await send('GET', '/applications', { token });
      expect(reply.status).toBe(401);
      expect(reply.json().detail).toMatch(/refused/);
    }
    expect(events).toHaveLength(0);
  });

  it('takes the token with or without the Bearer prefix, as the authorizer does', async () => {
    const reply = await send('GET', '/applications', { headers: { authorization: await clerk() } });
    expect(reply.status).toBe(200);
  });

  it('404 problem+json for a path no route has', async () => {
    for (const path of ['/nowhere', '/applications/a1/extra/deep', '/applications/']) {
      const reply = await send('GET', path);
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json()).toMatchObject({ title: 'Not Found', status: 404 });
    }
  });

  it('405 problem+json with Allow for a path that exists with other methods', async () => {
    const reply = await send('PUT', '/applications/a1', { token: await clerk() });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(reply.json()).toMatchObject({ title: 'Method Not Allowed', status: 405 });
    expect(events).toHaveLength(0);
  });

  it('413 for a body over 1 MB, whether announced by Content-Length or not', async () => {
    const body = Buffer.alloc(1024 * 1024 + 1, 'a');
    for (const chunked of [false, true]) {
      const reply = await send('POST', '/applications', { token: await clerk(), body, chunked });
      expect(reply.status).toBe(413);
      expect(reply.headers['content-type']).toBe('application/problem+json');
    }
    expect(events).toHaveLength(0);
  });
});

describe("the handler's result", () => {
  it('becomes status, headers, cookies and body', async () => {
    nextResult = async () => ({
      statusCode: 201,
      headers: { etag: '"4"', 'x-count': 3 },
      cookies: ['a=1; Path=/', 'b=2'],
      body: '{"id":"a1"}',
    });
    const reply = await send('PATCH', '/applications/a1', { token: await clerk(), body: '{}' });
    expect(reply.status).toBe(201);
    expect(reply.headers.etag).toBe('"4"');
    expect(reply.headers['x-count']).toBe('3');
    expect(reply.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
    expect(reply.text).toBe('{"id":"a1"}');
  });

  it('is decoded from base64 when isBase64Encoded', async () => {
    nextResult = async () => ({
      statusCode: 200,
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });
    const reply = await send('PATCH', '/applications/a1', { token: await clerk() });
    expect([...reply.body]).toEqual([1, 2, 3]);
  });

  it('is a 500 problem+json when the handler throws, logged, and the server carries on', async () => {
    nextResult = async () => {
      throw new Error('boom');
    };
    const reply = await send('PATCH', '/applications/a1', { token: await clerk() });
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.text).not.toMatch(/boom/);
    expect(logged.join('\n')).toMatch(/update-application threw: Error: boom/);
    expect((await send('GET', '/workflow')).status).toBe(200);
  });

  it('is a 500 problem+json when it is malformed', async () => {
    nextResult = async () => ({ statusCode: 42 });
    const reply = await send('PATCH', '/applications/a1', { token: await clerk() });
    expect(reply.status).toBe(500);
    expect(logged.join('\n')).toMatch(/malformed/);
  });
});

describe('handler modules', () => {
  it('are imported from functions/<fn>/handler.ts on first use; a missing one is a 500 and logged', async () => {
    const lazy = await createLocalServer({
      port: 0,
      issuer,
      quiet: true,
      log: (line) => logged.push(line),
      routes: [{ method: 'GET', path: '/ghost', fn: 'no-such-function', auth: false }],
    });
    try {
      const reply = await fetch(`http://127.0.0.1:${lazy.port}/ghost`);
      expect(reply.status).toBe(500);
      expect(await reply.json()).toMatchObject({ detail: expect.stringMatching(/no-such-function/) });
      expect(logged.join('\n')).toMatch(/functions\/no-such-function\/handler.ts could not be loaded/);
    } finally {
      await lazy.close();
    }
  });
});

describe('a handler that does not answer', () => {
  it('gets a 503 problem+json after the integration timeout', async () => {
    const slow = await createLocalServer({
      port: 0,
      issuer,
      quiet: true,
      log: (line) => logged.push(line),
      handlerTimeoutMs: 50,
      handlers: { workflow: () => new Promise(() => {}) },
    });
    try {
      const reply = await fetch(`http://127.0.0.1:${slow.port}/workflow`);
      expect(reply.status).toBe(503);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(logged.join('\n')).toMatch(/workflow did not answer within 50 ms/);
    } finally {
      await slow.close();
    }
  });
});

describe('local-only routes', () => {
  // They take JSON only (local/request-guard.ts; tests/integration/local-origin.test.ts).
  const asJson = { 'content-type': 'application/json' };

  it('POST /local/token issues a token the server accepts', async () => {
    const reply = await send('POST', '/local/token', {
      headers: asJson,
      body: JSON.stringify({
        sub: 'a-1',
        name: '刘建国',
        groups: ['applicant'],
        orgCode: '91430281MA4L000113',
      }),
    });
    expect(reply.status).toBe(200);
    const token = String(reply.json().token);
    await expect(issuer.verify(token)).resolves.toMatchObject({ 'custom:orgCode': '91430281MA4L000113' });
    expect((await send('GET', '/applications', { token })).status).toBe(200);
  });

  it('POST /local/token refuses bad input with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      [JSON.stringify({ sub: 'a', name: 'b', groups: ['superuser'] }), 'groups[0]'],
      [JSON.stringify({ name: 'b', groups: [] }), 'sub'],
      [JSON.stringify({ sub: 'a', name: 'b', groups: [], extra: 1 }), 'extra'],
      ['{not json', 'body'],
    ];
    for (const [body, field] of cases) {
      const reply = await send('POST', '/local/token', { headers: asJson, body });
      expect(reply.status).toBe(400);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json()).toMatchObject({ status: 400, field });
    }
  });

  it('POST /local/clock moves the clock, GET reads it, null goes back to real time', async () => {
    const moved = await send('POST', '/local/clock', {
      headers: asJson,
      body: JSON.stringify({ now: '2030-02-01T09:00:00+08:00' }),
    });
    expect(moved.status).toBe(200);
    expect(String(moved.json().now)).toMatch(/^2030-02-01T01:00:0/);
    const read = await send('GET', '/local/clock');
    expect(Date.parse(String(read.json().now)) - Date.parse('2030-02-01T01:00:00Z')).toBeLessThan(5_000);
    const back = await send('POST', '/local/clock', { headers: asJson, body: JSON.stringify({ now: null }) });
    expect(Math.abs(Date.parse(String(back.json().now)) - Date.now())).toBeLessThan(5_000);
  });

  it('POST /local/clock refuses what is not a full ISO timestamp', async () => {
    for (const now of ['2030-02-01', 'tomorrow', 42]) {
      const reply = await send('POST', '/local/clock', { headers: asJson, body: JSON.stringify({ now }) });
      expect(reply.status).toBe(400);
      expect(reply.json()).toMatchObject({ field: 'now' });
    }
  });

  it('can be extended through localRoutes', async () => {
    server.localRoutes.set('POST /local/sweep', () => json(200, { swept: 0 }));
    try {
      const reply = await send('POST', '/local/sweep');
      expect(reply.json()).toEqual({ swept: 0 });
      expect((await send('GET', '/local/sweep')).status).toBe(405);
    } finally {
      server.localRoutes.delete('POST /local/sweep');
    }
  });
});
