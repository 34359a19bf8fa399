/**
 * Issue 17, local routes: the local server answers only requests addressed to its own loopback
 * names, refuses pages of other origins, takes JSON only on its local routes, and listens on
 * 127.0.0.1. A web page the developer visits must not be able to mint a token, move the clock or
 * call the API through the browser, by a "simple" cross-origin request or by DNS rebinding.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../../local/problem.ts';
import { createLocalServer, type LambdaHandler, type LocalServer } from '../../local/server.ts';
import { createLocalIssuer, type LocalIssuer } from '../../local/tokens.ts';
import { resetNow } from '../../shared/runtime/now.ts';

let server: LocalServer;
let issuer: LocalIssuer;
const called: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
const sweeps: number[] = [];
const served: string[] = [];

const handler: LambdaHandler = async (event) => {
  called.push(event);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
};

beforeAll(async () => {
  issuer = await createLocalIssuer({ issuer: 'urn:eia-approval:origin-test', audience: 'origin-test' });
  server = await createLocalServer({
    port: 0,
    issuer,
    quiet: true,
    rateLimit: false,
    handlers: { 'get-application': handler, 'create-application': handler },
    localRoutes: [
      [
        'POST /local/sweep',
        () => {
          sweeps.push(1);
          return json(200, { swept: sweeps.length });
        },
      ],
    ],
    // Stands in for the console's files (local/static.ts), which answer what nothing else does.
    fallback: async (_method, path) => {
      served.push(path);
      return { status: 200, headers: { 'content-type': 'text/html' }, cookies: [], body: Buffer.from('<p>') };
    },
  });
});

afterAll(async () => {
  resetNow();
  await server?.close();
});

afterEach(() => {
  called.length = 0;
  sweeps.length = 0;
  served.length = 0;
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

/** Raw node:http: fetch would not let a test choose Host. Host defaults to 127.0.0.1:<port>. */
function send(
  method: string,
  path: string,
  options: { headers?: OutgoingHttpHeaders; body?: string; at?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { host: `127.0.0.1:${server.port}`, ...options.headers };
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(
      { host: options.at ?? '127.0.0.1', port: server.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const subject = JSON.stringify({ sub: 'u-evil', name: '攻击者', groups: ['approver'] });
const asJson = { 'content-type': 'application/json' };

function issuePaths(reply: Reply): unknown[] {
  const issues = reply.json().issues;
  return Array.isArray(issues) ? issues.map((i: { path?: unknown }) => i.path) : [];
}

describe('the local routes take JSON only', () => {
  it('refuses a text/plain token request with 415 naming Content-Type, and mints no token', async () => {
    const reply = await send('POST', '/local/token', {
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: subject,
    });
    expect(reply.status).toBe(415);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(issuePaths(reply)).toEqual(['header.Content-Type']);
    expect(reply.json().detail).toContain('application/json');
    expect(reply.text).not.toMatch(/"token"|eyJ/);
  });

  it('refuses a body with no Content-Type, and form encodings, with 415', async () => {
    for (const type of [undefined, 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await send('POST', '/local/token', {
        ...(type !== undefined && { headers: { 'content-type': type } }),
        body: subject,
      });
      expect(reply.status, String(type)).toBe(415);
      expect(reply.text).not.toContain('"token"');
    }
  });

  it('does not move the clock on a text/plain request', async () => {
    const reply = await send('POST', '/local/clock', {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ now: '2031-01-01T09:00:00+08:00' }),
    });
    expect(reply.status).toBe(415);
    const clock = await send('GET', '/local/clock');
    expect(clock.status).toBe(200);
    expect(String(clock.json().now)).not.toMatch(/^2031-/);
  });

  it('takes application/json (with a charset too), and a bodiless POST /local/sweep', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8']) {
      const reply = await send('POST', '/local/token', { headers: { 'content-type': type }, body: subject });
      expect(reply.status, type).toBe(200);
      expect(typeof reply.json().token).toBe('string');
    }
    const swept = await send('POST', '/local/sweep');
    expect(swept.status).toBe(200);
    expect(sweeps).toHaveLength(1);
  });

  it('refuses a bodiless local POST that declares another type', async () => {
    const reply = await send('POST', '/local/sweep', { headers: { 'content-type': 'text/plain' } });
    expect(reply.status).toBe(415);
    expect(sweeps).toHaveLength(0);
  });
});

describe('Host must be one of the server’s own loopback names with its port', () => {
  it('refuses another name (DNS rebinding) with 421 on local routes, API routes and the console', async () => {
    const token = await issuer.issue({ sub: 'u1', name: '王芳', groups: ['clerk'] });
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `localhost:${server.port + 1}`,
      'localhost',
    ]) {
      const headers = { host };
      const minted = await send('POST', '/local/token', {
        headers: { ...headers, ...asJson },
        body: subject,
      });
      expect(minted.status, host).toBe(421);
      expect(minted.headers['content-type']).toBe('application/problem+json');
      expect(issuePaths(minted)).toEqual(['header.Host']);
      expect(minted.text).not.toContain('"token"');
      const api = await send('GET', '/applications/a1', {
        headers: { ...headers, authorization: `Bearer ${token}` },
      });
      expect(api.status, host).toBe(421);
      const page = await send('GET', '/', { headers });
      expect(page.status, host).toBe(421);
    }
    expect(called).toHaveLength(0);
    expect(served).toHaveLength(0);
  });

  it('answers localhost, 127.0.0.1 and [::1] with the port', async () => {
    const token = await issuer.issue({ sub: 'u1', name: '王芳', groups: ['clerk'] });
    for (const host of [
      `localhost:${server.port}`,
      `127.0.0.1:${server.port}`,
      `[::1]:${server.port}`,
      `LOCALHOST:${server.port}`,
    ]) {
      const minted = await send('POST', '/local/token', { headers: { host, ...asJson }, body: subject });
      expect(minted.status, host).toBe(200);
      const api = await send('GET', '/applications/a1', {
        headers: { host, authorization: `Bearer ${token}` },
      });
      expect(api.status, host).toBe(200);
      expect((await send('GET', '/', { headers: { host } })).status, host).toBe(200);
    }
    expect(called).toHaveLength(4);
    expect(served).toHaveLength(4);
  });
});

describe('Origin, when a browser sends it, must be the server’s own', () => {
  it('refuses a page of another origin with 403 before anything runs', async () => {
    for (const origin of [
      'http://evil.example',
      'null',
      `http://localhost:${server.port + 1}`,
      `https://localhost:${server.port}`,
    ]) {
      const minted = await send('POST', '/local/token', { headers: { origin, ...asJson }, body: subject });
      expect(minted.status, origin).toBe(403);
      expect(issuePaths(minted)).toEqual(['header.Origin']);
      expect(minted.text).not.toContain('"token"');
      const swept = await send('POST', '/local/sweep', { headers: { origin } });
      expect(swept.status, origin).toBe(403);
      const created = await send('POST', '/applications', { headers: { origin, ...asJson }, body: '{}' });
      expect(created.status, origin).toBe(403);
    }
    expect(sweeps).toHaveLength(0);
    expect(called).toHaveLength(0);
  });

  it('lets the console’s own origin (by either loopback name) through', async () => {
    for (const origin of [`http://localhost:${server.port}`, `http://127.0.0.1:${server.port}`]) {
      const minted = await send('POST', '/local/token', {
        headers: { origin, host: new URL(origin).host, ...asJson },
        body: subject,
      });
      expect(minted.status, origin).toBe(200);
      expect(typeof minted.json().token).toBe('string');
    }
  });
});

describe('where it listens', () => {
  it('binds 127.0.0.1 by default, so other interfaces are not reached', async () => {
    expect(server.address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://localhost:${server.port}`);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (outside) {
      await expect(send('GET', '/local/clock', { at: outside })).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    }
  });

  it('answers the names it is given, and its bound address when that is no loopback', async () => {
    const other = await createLocalServer({
      port: 0,
      issuer,
      quiet: true,
      rateLimit: false,
      host: '127.0.0.2',
      allowedHosts: ['lan.example', 'proxy.example:8443'],
    });
    try {
      expect(other.address).toBe('127.0.0.2');
      const ask = (host: string, origin?: string) =>
        new Promise<number>((resolve, reject) => {
          const headers: OutgoingHttpHeaders = { host, ...(origin && { origin }) };
          const req = httpRequest(
            { host: '127.0.0.2', port: other.port, path: '/local/clock', headers },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end();
        });
      expect(await ask(`lan.example:${other.port}`, `http://lan.example:${other.port}`)).toBe(200);
      expect(await ask('proxy.example:8443', 'http://proxy.example:8443')).toBe(200);
      expect(await ask(`127.0.0.2:${other.port}`)).toBe(200);
      expect(await ask(`localhost:${other.port}`)).toBe(200);
      expect(await ask(`proxy.example:${other.port}`)).toBe(421);
      expect(await ask(`lan.example:${other.port}`, 'http://evil.example')).toBe(403);
    } finally {
      await other.close();
    }
  });
});
