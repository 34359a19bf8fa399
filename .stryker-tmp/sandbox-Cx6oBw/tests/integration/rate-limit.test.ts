/**
 * Per-caller rate limits in front of the real handlers: the local server started with
 * RATE_LIMIT_RPS / RATE_LIMIT_BURST set low, as a developer would to see them bite. The bucket keeps
 * the handlers' clock, so POST /local/clock refills it: no sleeping.
 */
// @ts-nocheck

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';

const BURST = 4;
/** One token every 100 s: real time refills nothing while the file runs. */
const RPS = 0.01;
const START = Date.parse('2026-03-02T09:00:00+08:00');

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
}

let stack: LocalStack;
const saved = { rps: process.env.RATE_LIMIT_RPS, burst: process.env.RATE_LIMIT_BURST };
beforeAll(async () => {
  process.env.RATE_LIMIT_RPS = String(RPS);
  process.env.RATE_LIMIT_BURST = String(BURST);
  try {
    stack = await startLocalStack();
  } finally {
    restoreEnv();
  }
  await stack.setNow(new Date(START));
});
afterAll(async () => {
  await stack?.stop();
});

function restoreEnv() {
  if (saved.rps === undefined) delete process.env.RATE_LIMIT_RPS;
  else process.env.RATE_LIMIT_RPS = saved.rps;
  if (saved.burst === undefined) delete process.env.RATE_LIMIT_BURST;
  else process.env.RATE_LIMIT_BURST = saved.burst;
}

const createBody = (name: string) => ({
  category: 'REPORT_FORM',
  project: { name, location: '醴陵市浦口镇', industry: '陶瓷制品制造', investmentCny: 2_000_000 },
  applicant: {
    orgName: '醴陵市某瓷业有限公司',
    orgCode: users.applicant.orgCode ?? '',
    contactName: '黄秀英',
    contactPhone: '13873301234',
  },
  materials: defaultConfig.required.REPORT_FORM.map((code) => ({
    code,
    fileName: `${code.toLowerCase()}.pdf`,
    sha256: createHash('sha256').update(code).digest('hex'),
    sizeBytes: 2048,
  })),
});

/** The ids of the applications the clerk can see with this project name. */
async function created(name: string): Promise<string[]> {
  const res = await stack.request<{ items: { id: string; project: { name: string } }[] }>(
    'GET',
    '/applications?limit=100',
    { as: 'clerk' },
  );
  expect(res.status, res.text).toBe(200);
  return res.json.items.filter((a) => a.project.name === name).map((a) => a.id);
}

/** The handlers' clock (and the bucket's), read back from the local server. */
async function clock(): Promise<number> {
  const res = await stack.request<{ now: string }>('GET', '/local/clock');
  return Date.parse(res.json.now);
}

describe('a caller over the limit', () => {
  let retryAfter = 0;
  let refusedAt = 0;

  it('gets 429 problem+json with Retry-After, and the write it sent is not made', async () => {
    const post = (key: string) =>
      stack.request('POST', '/applications', {
        as: 'applicant',
        body: createBody('窑炉改造项目'),
        headers: { 'Idempotency-Key': key },
      });
    const statuses: number[] = [];
    for (let i = 0; i < BURST; i++)
      statuses.push((await stack.request('GET', '/applications', { as: 'applicant' })).status);
    expect(statuses).toEqual(Array(BURST).fill(200));

    const refused = await post('kiln-1');
    expect(refused.status, refused.text).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    refusedAt = await clock();
    retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(1 / RPS);
    expect(refused.json as Problem).toMatchObject({
      type: 'https://eia.liling.gov.cn/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      instance: '/applications',
    });
    expect((refused.json as Problem).detail).toContain(`retry after ${retryAfter} s`);
    expect(await created('窑炉改造项目')).toEqual([]);
  });

  it('does not hold up other callers: another official, or the public', async () => {
    expect((await stack.request('GET', '/applications', { as: 'reviewer' })).status).toBe(200);
    expect((await stack.request('GET', '/public/notices')).status).toBe(200);
    expect((await stack.request('GET', '/workflow')).status).toBe(200);
  });

  it('is still refused before Retry-After has passed', async () => {
    await stack.setNow(new Date(refusedAt + (retryAfter / 2) * 1000));
    expect((await stack.request('GET', '/applications', { as: 'applicant' })).status).toBe(429);
  });

  it('is served again once Retry-After has passed, and the retried write is made once', async () => {
    await stack.setNow(new Date(refusedAt + retryAfter * 1000));
    const retried = await stack.request<{ id: string }>('POST', '/applications', {
      as: 'applicant',
      body: createBody('窑炉改造项目'),
      headers: { 'Idempotency-Key': 'kiln-1' },
    });
    expect(retried.status, retried.text).toBe(201);
    expect(await created('窑炉改造项目')).toEqual([retried.json.id]);
  });
});

describe('the limit per caller', () => {
  it('is by token subject: a second applicant, however busy the first, has a full burst', async () => {
    const other: TokenSubject = { sub: 'applicant-2', name: '李四', groups: ['applicant'] };
    const statuses: number[] = [];
    for (let i = 0; i <= BURST; i++) {
      const res = await stack.request('GET', '/applications', { as: other });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(BURST).fill(200), 429]);
  });

  it('counts an anonymous caller by IP, bad tokens included', async () => {
    // The public requests above took from this IP's bucket; a day later it is full again.
    await stack.setNow(new Date(START + 24 * 3600 * 1000));
    const statuses: number[] = [];
    for (let i = 0; i < BURST; i++) {
      statuses.push((await stack.request('GET', '/applications', { token: 'forged' })).status);
    }
    expect(statuses).toEqual(Array(BURST).fill(401));
    const refused = await stack.request('GET', '/public/notices');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });
});
