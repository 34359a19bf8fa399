/**
 * Per-caller rate limits: the token bucket (time injected, never slept on) and the local server
 * answering 429 problem+json with Retry-After in front of the handlers.
 */
// @ts-nocheck

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalServer, type LambdaHandler, type LocalServer } from '../../../../local/server.ts';
import { createLocalIssuer, type LocalIssuer } from '../../../../local/tokens.ts';
import {
  callerKey,
  createRateLimiter,
  DEFAULT_RATE_LIMIT,
  type Decision,
  rateLimitFromEnv,
} from '../../../../shared/http/rate-limit.ts';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

const takeN = (take: () => Decision, n: number) => Array.from({ length: n }, take);
const allowedCount = (decisions: Decision[]) => decisions.filter((d) => d.allowed).length;

describe('the token bucket', () => {
  it('lets a burst through, then refuses with the whole seconds until the next token', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 5 }, { now: clock.now });
    const burst = takeN(() => limiter.take('sub:a'), 5);
    expect(burst.map((d) => d.allowed)).toEqual([true, true, true, true, true]);
    expect(burst.at(-1)).toEqual({ allowed: true, remaining: 0 });
    // Half a token back after 250 ms at 2/s: still refused, and told to come back in 1 s, never 0.
    clock.advance(250);
    expect(limiter.take('sub:a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(250);
    expect(limiter.take('sub:a').allowed).toBe(true);
    expect(limiter.take('sub:a').allowed).toBe(false);
  });

  it('rounds Retry-After up to whole seconds at a slow rate', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ ratePerSecond: 0.1, burst: 1 }, { now: clock.now });
    expect(limiter.take('ip:1.2.3.4').allowed).toBe(true);
    expect(limiter.take('ip:1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.advance(2_500);
    expect(limiter.take('ip:1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 8 });
    clock.advance(7_500);
    expect(limiter.take('ip:1.2.3.4').allowed).toBe(true);
  });

  it('keeps one bucket per caller', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 2 }, { now: clock.now });
    expect(allowedCount(takeN(() => limiter.take('sub:a'), 3))).toBe(2);
    expect(allowedCount(takeN(() => limiter.take('sub:b'), 3))).toBe(2);
    expect(allowedCount(takeN(() => limiter.take('ip:10.0.0.1'), 3))).toBe(2);
  });

  it('never holds more than the burst, however long the caller was idle', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 3 }, { now: clock.now });
    limiter.take('sub:a');
    clock.advance(24 * 3600 * 1000);
    expect(allowedCount(takeN(() => limiter.take('sub:a'), 10))).toBe(3);
  });

  it('refills nothing when the clock moves backwards, and counts on from there', () => {
    const clock = manualClock(10_000_000);
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 2 }, { now: clock.now });
    takeN(() => limiter.take('sub:a'), 2);
    clock.set(5_000_000);
    expect(limiter.take('sub:a').allowed).toBe(false);
    clock.advance(1_000);
    expect(limiter.take('sub:a').allowed).toBe(true);
  });

  it('remembers a bounded number of callers, forgetting the idlest first', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1 }, { now: clock.now, maxCallers: 3 });
    for (const caller of ['a', 'b', 'c']) limiter.take(caller);
    limiter.take('a'); // a is now the most recent; b the idlest.
    limiter.take('d');
    expect(limiter.size).toBe(3);
    // b was forgotten (a full bucket again); a and c were kept (still empty).
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('never lets through more than burst + rate × elapsed in any window (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          ratePerSecond: fc.double({ min: 0.05, max: 100, noNaN: true }),
          burst: fc.integer({ min: 1, max: 50 }),
        }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 300 }),
        (limit, gaps) => {
          const clock = manualClock();
          const limiter = createRateLimiter(limit, { now: clock.now });
          const allowedAt: number[] = [];
          for (const gap of gaps) {
            clock.advance(gap);
            const d = limiter.take('sub:p');
            if (d.allowed) allowedAt.push(clock.now());
            else {
              expect(Number.isInteger(d.retryAfterSeconds)).toBe(true);
              expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
            }
          }
          for (let i = 0; i < allowedAt.length; i++) {
            for (let j = i; j < allowedAt.length; j++) {
              const window = ((allowedAt[j] ?? 0) - (allowedAt[i] ?? 0)) / 1000;
              expect(j - i + 1).toBeLessThanOrEqual(limit.burst + limit.ratePerSecond * window + 1e-9);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grants the next request once Retry-After has passed (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (ratePerSecond, burst) => {
          const clock = manualClock();
          const limiter = createRateLimiter({ ratePerSecond, burst }, { now: clock.now });
          takeN(() => limiter.take('sub:p'), burst);
          const refused = limiter.take('sub:p');
          if (refused.allowed) throw new Error('the burst should have emptied the bucket');
          clock.advance(refused.retryAfterSeconds * 1000);
          expect(limiter.take('sub:p').allowed).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a limit that would never let anything through', () => {
    expect(() => createRateLimiter({ ratePerSecond: 0, burst: 5 })).toThrow(/ratePerSecond/);
    expect(() => createRateLimiter({ ratePerSecond: Number.NaN, burst: 5 })).toThrow(/ratePerSecond/);
    expect(() => createRateLimiter({ ratePerSecond: 1, burst: 0 })).toThrow(/burst/);
    expect(() => createRateLimiter({ ratePerSecond: 1, burst: 1.5 })).toThrow(/burst/);
  });
});

describe('callerKey', () => {
  it('is the verified sub when there is one, else the source IP', () => {
    expect(callerKey({ sub: 'u1', sourceIp: '10.0.0.1' })).toBe('sub:u1');
    expect(callerKey({ sourceIp: '10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(callerKey({ sub: '', sourceIp: '10.0.0.1' })).toBe('ip:10.0.0.1');
    // A sub that looks like an address cannot share an anonymous caller's bucket.
    expect(callerKey({ sub: '10.0.0.1', sourceIp: '10.0.0.2' })).not.toBe(
      callerKey({ sourceIp: '10.0.0.1' }),
    );
  });
});

describe('rateLimitFromEnv', () => {
  it('defaults to 100 a second in bursts of 1000', () => {
    expect(rateLimitFromEnv({})).toEqual({ ratePerSecond: 100, burst: 1000 });
    expect(DEFAULT_RATE_LIMIT).toEqual({ ratePerSecond: 100, burst: 1000 });
  });

  it('by default still stops a runaway loop: the 1001st request in the same instant', () => {
    const clock = manualClock();
    const limiter = createRateLimiter(DEFAULT_RATE_LIMIT, { now: clock.now });
    expect(allowedCount(takeN(() => limiter.take('sub:loop'), 1001))).toBe(1000);
    // Then 100 a second: 300 more over the next 3 s.
    let allowed = 0;
    for (let ms = 0; ms < 3000; ms += 5) {
      clock.advance(5);
      if (limiter.take('sub:loop').allowed) allowed += 1;
    }
    expect(allowed).toBe(300);
  });

  it('reads RATE_LIMIT_RPS and RATE_LIMIT_BURST; the rate alone gives a 4-second burst', () => {
    expect(rateLimitFromEnv({ RATE_LIMIT_RPS: '5', RATE_LIMIT_BURST: '7' })).toEqual({
      ratePerSecond: 5,
      burst: 7,
    });
    expect(rateLimitFromEnv({ RATE_LIMIT_RPS: '0.5' })).toEqual({ ratePerSecond: 0.5, burst: 2 });
    expect(rateLimitFromEnv({ RATE_LIMIT_BURST: '3' })).toEqual({ ratePerSecond: 100, burst: 3 });
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => rateLimitFromEnv({ RATE_LIMIT_RPS: 'fast' })).toThrow(/RATE_LIMIT_RPS/);
    expect(() => rateLimitFromEnv({ RATE_LIMIT_RPS: '0' })).toThrow(/RATE_LIMIT_RPS/);
    expect(() => rateLimitFromEnv({ RATE_LIMIT_BURST: '2.5' })).toThrow(/RATE_LIMIT_BURST/);
    expect(() => rateLimitFromEnv({ RATE_LIMIT_BURST: '-1' })).toThrow(/RATE_LIMIT_BURST/);
  });
});

describe('the local server', () => {
  const clock = manualClock();
  let calls = 0;
  const ok: LambdaHandler = async () => {
    calls += 1;
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  };
  let issuer: LocalIssuer;
  let server: LocalServer;

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: 'urn:test', audience: 'eia-test' });
    server = await createLocalServer({
      port: 0,
      issuer,
      quiet: true,
      log: () => {},
      rateLimit: { ratePerSecond: 1, burst: 3, now: clock.now },
      handlers: { 'list-applications': ok, 'public-notices': ok, workflow: ok },
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    // A day later every bucket is full again.
    clock.advance(24 * 3600 * 1000);
    calls = 0;
  });

  interface Reply {
    status: number;
    headers: IncomingHttpHeaders;
    json: Record<string, unknown>;
  }
  function send(
    method: string,
    path: string,
    opts: { token?: string; from?: string; body?: string } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method,
          path,
          headers,
          ...(opts.from && { localAddress: opts.from }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              json: text ? JSON.parse(text) : {},
            });
          });
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  }
  const statuses = async (n: number, call: () => Promise<Reply>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await call()).status);
    return out;
  };
  const token = (sub: string) => issuer.issue({ sub, name: '王芳', groups: ['clerk'] });

  it('answers 429 problem+json with Retry-After once the burst is spent, without calling the handler', async () => {
    expect(await statuses(3, () => send('GET', '/workflow'))).toEqual([200, 200, 200]);
    expect(calls).toBe(3);
    const refused = await send('GET', '/workflow');
    expect(refused.status).toBe(429);
    expect(calls).toBe(3);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['apigw-requestid']).toBeTruthy();
    expect(refused.json).toMatchObject({
      type: 'https://eia.liling.gov.cn/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      instance: '/workflow',
    });
    expect(String(refused.json.detail)).toMatch(/at most 1 a second, in bursts of 3; retry after 1 s/);
    clock.advance(1_000);
    expect((await send('GET', '/workflow')).status).toBe(200);
  });

  it('gives each signed-in caller a bucket of their own, apart from their IP', async () => {
    const a = await token('user-a');
    const b = await token('user-b');
    expect(await statuses(4, () => send('GET', '/applications', { token: a }))).toEqual([200, 200, 200, 429]);
    expect(await statuses(4, () => send('GET', '/applications', { token: b }))).toEqual([200, 200, 200, 429]);
    // The same machine, anonymously, still has its own bucket.
    expect((await send('GET', '/public/notices')).status).toBe(200);
  });

  it('counts one bucket per caller across routes', async () => {
    const a = await token('user-c');
    await send('GET', '/applications', { token: a });
    await send('GET', '/workflow', { token: a }); // a public route: the caller is anonymous there
    await send('GET', '/applications', { token: a });
    await send('GET', '/applications', { token: a });
    expect((await send('GET', '/applications', { token: a })).status).toBe(429);
  });

  it('charges refused tokens to the source IP, so that guessing tokens is throttled too', async () => {
    const bad = await statuses(4, () => send('GET', '/applications', { token: 'not-a-token' }));
    expect(bad).toEqual([401, 401, 401, 429]);
    expect((await send('GET', '/public/notices')).status).toBe(429);
    // A valid token is a caller of its own.
    expect((await send('GET', '/applications', { token: await token('user-d') })).status).toBe(200);
  });

  it.skipIf(process.platform !== 'linux')('keeps anonymous callers apart by source IP', async () => {
    expect(await statuses(4, () => send('GET', '/public/notices', { from: '127.0.0.2' }))).toEqual([
      200, 200, 200, 429,
    ]);
    expect((await send('GET', '/public/notices', { from: '127.0.0.3' })).status).toBe(200);
  });

  it('leaves the /local routes and unknown paths alone', async () => {
    await statuses(3, () => send('GET', '/workflow'));
    expect((await send('GET', '/workflow')).status).toBe(429);
    expect(await statuses(5, () => send('GET', '/local/clock'))).toEqual([200, 200, 200, 200, 200]);
    expect((await send('GET', '/nowhere')).status).toBe(404);
    expect((await send('DELETE', '/workflow')).status).toBe(405);
  });
});

describe('the local server, configured by the environment', () => {
  const ok: LambdaHandler = async () => ({ statusCode: 204, body: '' });
  const ENV = ['RATE_LIMIT_RPS', 'RATE_LIMIT_BURST'] as const;

  /** A server made with RATE_LIMIT_* set as given; restored after, also when the test fails. */
  async function withServer(
    env: Partial<Record<(typeof ENV)[number], string>>,
    rateLimit: false | undefined,
    use: (url: string) => Promise<void>,
  ) {
    const saved = ENV.map((key) => [key, process.env[key]] as const);
    for (const key of ENV) delete process.env[key];
    Object.assign(process.env, env);
    const issuer = await createLocalIssuer({ issuer: 'urn:test', audience: 'eia-test' });
    const server = await createLocalServer({
      port: 0,
      issuer,
      quiet: true,
      handlers: { workflow: ok },
      ...(rateLimit === false && { rateLimit }),
    });
    try {
      await use(`http://127.0.0.1:${server.port}`);
    } finally {
      await server.close();
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }
  const burstOf = async (url: string, n: number) =>
    (await Promise.all(Array.from({ length: n }, () => fetch(`${url}/workflow`)))).map((r) => r.status);

  it('reads RATE_LIMIT_RPS and RATE_LIMIT_BURST', async () => {
    await withServer({ RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '2' }, undefined, async (url) => {
      expect((await burstOf(url, 3)).sort()).toEqual([204, 204, 429]);
    });
  });

  it('never throttles with rateLimit: false, whatever the environment says', async () => {
    await withServer({ RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '1' }, false, async (url) => {
      expect(await burstOf(url, 5)).toEqual(Array(5).fill(204));
    });
  });

  it('lets 100 concurrent requests by one caller through by default', async () => {
    await withServer({}, undefined, async (url) => {
      expect(await burstOf(url, 100)).toEqual(Array(100).fill(204));
    });
  });
});
