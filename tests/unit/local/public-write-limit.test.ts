/**
 * The local server's tighter bucket for the public write routes (POST /public/notices/{noticeId}/
 * comments), per source address, on top of the per-caller limit: reads are not charged to it, and
 * `rateLimit: false` turns it off.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalServer, type LambdaHandler, type LocalServer } from '../../../local/server.ts';
import { createLocalIssuer } from '../../../local/tokens.ts';
import { PUBLIC_WRITE_RATE_LIMIT } from '../../../shared/http/rate-limit.ts';

let t = 1_000_000;
const clock = { now: () => t };
const ok: LambdaHandler = async () => ({
  statusCode: 202,
  headers: { 'content-type': 'application/json' },
  body: '{}',
});

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { publicWriteLimit?: false; rateLimit?: false } = {}) {
  const issuer = await createLocalIssuer({ issuer: 'urn:test', audience: 'eia-test' });
  server = await createLocalServer({
    port: 0,
    issuer,
    quiet: true,
    log: () => {},
    rateLimit: options.rateLimit ?? { ratePerSecond: 100, burst: 1000, now: clock.now },
    ...(options.publicWriteLimit === false ? { publicWriteLimit: false } : {}),
    handlers: { 'public-comment': ok, 'public-notice': ok },
  });
  return server;
}

function send(
  s: LocalServer,
  method: string,
  path: string,
): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: s.port, method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{"text":"意见"}' : undefined);
  });
}

const comment = (s: LocalServer) => send(s, 'POST', '/public/notices/n1/comments');

describe('the public write bucket', () => {
  it('lets the burst through from one address, then answers 429 until the next token', async () => {
    t += 86_400_000;
    const s = await start();
    const { burst, ratePerSecond } = PUBLIC_WRITE_RATE_LIMIT;
    for (let i = 0; i < burst; i++) expect((await comment(s)).status).toBe(202);
    const refused = await comment(s);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe(String(Math.ceil(1 / ratePerSecond)));
    // Reading is not charged to it.
    expect((await send(s, 'GET', '/public/notices/n1')).status).toBe(202);
    t += Math.ceil(1000 / ratePerSecond);
    expect((await comment(s)).status).toBe(202);
    expect((await comment(s)).status).toBe(429);
  });

  it('is off with rateLimit: false', async () => {
    const s = await start({ rateLimit: false });
    for (let i = 0; i < PUBLIC_WRITE_RATE_LIMIT.burst + 5; i++) expect((await comment(s)).status).toBe(202);
  });
});
