/**
 * Issue 6 part 2: retries with an Idempotency-Key, through the real handlers against DynamoDB
 * Local. The same request sent 100 times, one after another or all at once, changes the state
 * once, appends one event and answers every time with the first response; the same key with
 * another body or target is refused and writes nothing. A duplicate that overlaps the first
 * request is answered with the first response or a 409 problem+json, never a 500. (The in-flight
 * case proper, where DynamoDB reports a TransactionConflict, is covered with aws-sdk-client-mock
 * in tests/unit/handlers/transaction-conflict.test.ts: DynamoDB Local never reports one.)
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { GENESIS } from '../../shared/domain/audit-chain.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import { isDocumentOutboxItem } from '../../shared/domain/document-outbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { type LocalStack, type StackResponse, startLocalStack } from './helpers/local-stack.ts';
import { withFiles } from './helpers/uploads.ts';

const TIMES = 100;

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
  // Real time, not a moved clock: DynamoDB Local runs TTL on the idempotency table by the real
  // clock, so a record written "a day ago" by a clock moved back would vanish within seconds.
  await stack.setNow(null);
});
afterAll(async () => {
  await stack?.stop();
});

interface AppJson {
  id: string;
  state: string;
  version: number;
}
interface Problem {
  type: string;
  status: number;
  issues?: { path: string; message: string }[];
}
type Res = StackResponse<{ application: AppJson; event: AuditEvent } & AppJson & Problem>;

const material = (code: string) => ({
  code,
  fileName: `${code.toLowerCase()}.pdf`,
  sha256: createHash('sha256').update(code).digest('hex'),
  sizeBytes: 2048,
});

let applicants = 0;
/** A fresh applicant, so that its list of applications shows exactly what it created. */
function newApplicant(): TokenSubject {
  const base = `91430281MA4L${String(20_000 + ++applicants)}`;
  return {
    sub: `retry-applicant-${applicants}`,
    name: `重试单位${applicants}`,
    groups: ['applicant'],
    orgCode: `${base}${usccCheckChar(base)}`,
  };
}

let clerks = 0;
/** A clerk of each test's own, so that no test drains another's rate-limit bucket. */
function newClerk(): Promise<string> {
  clerks += 1;
  return stack.token({ sub: `retry-clerk-${clerks}`, name: `窗口${clerks}`, groups: ['clerk'] });
}

function createBody(applicant: TokenSubject) {
  return {
    category: 'REPORT_FORM',
    project: { name: '日用陶瓷生产线', location: '醴陵市浦口镇', industry: '陶瓷', investmentCny: 5_000_000 },
    applicant: {
      orgName: applicant.name,
      orgCode: applicant.orgCode,
      contactName: '刘建国',
      contactPhone: '13873300000',
    },
    materials: defaultConfig.required.REPORT_FORM.map(material),
  };
}

function post(path: string, token: string, body: unknown, key?: string): Promise<Res> {
  return stack.request('POST', path, {
    token,
    body,
    headers: key === undefined ? {} : { 'Idempotency-Key': key },
  });
}

async function submitted(): Promise<string> {
  const applicant = newApplicant();
  const token = await stack.token(applicant);
  const created = await post('/applications', token, createBody(applicant));
  expect(created.status, created.text).toBe(201);
  await withFiles(stack, created.json.id, applicant);
  const submit = await post(`/applications/${created.json.id}/actions/submit`, token, {});
  expect(submit.status, submit.text).toBe(200);
  return created.json.id;
}

async function snapshot(id: string) {
  const app = await stack.request<AppJson>('GET', `/applications/${id}`, { as: 'auditor' });
  expect(app.status, app.text).toBe(200);
  const events = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events?limit=100`, {
    as: 'auditor',
  });
  expect(events.status, events.text).toBe(200);
  const verify = await stack.request<{ ok: boolean }>('GET', `/audit/applications/${id}/verify`, {
    as: 'auditor',
  });
  expect(verify.status, verify.text).toBe(200);
  expect(verify.json.ok, verify.text).toBe(true);
  const outbox = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=100');
  expect(outbox.status, outbox.text).toBe(200);
  const trail = events.json.items;
  expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
  trail.forEach((e, i) => {
    expect(e.prevHash).toBe(i === 0 ? GENESIS : trail[i - 1]?.hash);
  });
  const mine = outbox.json.items.filter((n) => n.applicationId === id);
  return {
    app: app.json,
    events: trail,
    // The notifications; an act's written document has an outbox item of its own.
    notifications: mine.filter((n) => !isDocumentOutboxItem(n)),
    documents: mine.filter((n) => isDocumentOutboxItem(n)),
  };
}

function isReplay(res: Res): boolean {
  return res.headers['idempotent-replayed'] === 'true';
}

/** The same response again: status, body byte for byte, and the headers that matter. */
function expectSameResponse(res: Res, first: Res): void {
  expect(res.status, res.text).toBe(first.status);
  expect(res.text).toBe(first.text);
  expect(res.headers.etag).toBe(first.headers.etag);
  expect(res.headers['content-type']).toBe(first.headers['content-type']);
}

/** 409 problem+json: the duplicate overlapped the first request's write. */
function expectInFlight(res: Res): void {
  expect(res.status, res.text).toBe(409);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json.type).toMatch(/\/(in-flight|concurrent-change)$/);
}

const supplement = (reason: string) => ({ items: [{ code: 'EIA_DOCUMENT', reason }] });

describe('an action retried with its Idempotency-Key', () => {
  it(`${TIMES} times one after another: one state change, one event, one notification, the first response every time`, async () => {
    const id = await submitted();
    const before = await snapshot(id);
    const token = await newClerk();
    const path = `/applications/${id}/actions/accept`;

    const first = await post(path, token, {}, 'accept-seq-1');
    expect(first.status, first.text).toBe(200);
    expect(isReplay(first)).toBe(false);
    const started = performance.now();
    for (let i = 1; i < TIMES; i++) {
      const again = await post(path, token, {}, 'accept-seq-1');
      expectSameResponse(again, first);
      expect(isReplay(again)).toBe(true);
    }
    const ms = performance.now() - started;

    const after = await snapshot(id);
    expect(after.app.version).toBe(before.app.version + 1);
    expect(after.app.state).toBe('ACCEPTED');
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.at(-1)).toEqual(first.json.event);
    // The acceptance notification, once: a replay writes nothing.
    const sent = after.notifications.filter((n) => n.seq > before.app.version);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((n) => n.action === 'accept' && n.seq === after.app.version)).toBe(true);
    expect(new Set(sent.map((n) => JSON.stringify(n.recipients))).size).toBe(sent.length);
    // And its acceptance notice, once.
    expect(after.documents.filter((d) => d.seq > before.app.version)).toHaveLength(1);
    console.info(`${TIMES - 1} sequential replays of an action: ${(ms / (TIMES - 1)).toFixed(1)} ms each`);
  });

  it(`${TIMES} times at once: one state change and one event; each duplicate gets the first response (or 409), never a 500`, async () => {
    const id = await submitted();
    const before = await snapshot(id);
    const token = await newClerk();
    const path = `/applications/${id}/actions/request_supplement`;
    const body = supplement('环评文件缺少总量控制指标来源');

    const started = performance.now();
    const all = await Promise.all(Array.from({ length: TIMES }, () => post(path, token, body, 'supp-par-1')));
    const ms = Math.round(performance.now() - started);

    const firsts = all.filter((r) => r.status === 200 && !isReplay(r));
    expect(firsts, all.map((r) => r.status).join(',')).toHaveLength(1);
    const first = firsts[0] as Res;
    let replays = 0;
    let conflicts = 0;
    for (const res of all) {
      if (res === first) continue;
      if (res.status === 200) {
        expectSameResponse(res, first);
        expect(isReplay(res)).toBe(true);
        replays++;
      } else {
        expectInFlight(res);
        conflicts++;
      }
    }

    const after = await snapshot(id);
    expect(after.app.version).toBe(before.app.version + 1);
    expect(after.app.state).toBe('SUPPLEMENT_REQUIRED');
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.at(-1)).toEqual(first.json.event);
    expect(after.events.at(-1)?.payload).toEqual(body);
    expect(
      after.notifications
        .filter((n) => n.seq > before.app.version)
        .every((n) => n.action === 'request_supplement'),
    ).toBe(true);

    // Once it has settled, a retry gets the first response.
    expectSameResponse(await post(path, token, body, 'supp-par-1'), first);
    console.info(
      `${TIMES} identical requests at once: 1 applied, ${replays} replayed, ${conflicts} × 409; ${ms} ms`,
    );
  });

  it('40 at once with two different bodies under one key: one applied; its twins replayed, the others refused', async () => {
    const id = await submitted();
    const before = await snapshot(id);
    const token = await newClerk();
    const path = `/applications/${id}/actions/request_supplement`;
    const bodies = [supplement('缺少公众参与说明'), supplement('缺少监测报告')];

    const all = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => ({
        i: i % 2,
        res: await post(path, token, bodies[i % 2], 'supp-mixed-1'),
      })),
    );

    const firsts = all.filter(({ res }) => res.status === 200 && !isReplay(res));
    expect(firsts).toHaveLength(1);
    const first = firsts[0] as { i: number; res: Res };
    for (const { i, res } of all) {
      if (res === first.res) continue;
      if (res.status === 409) expectInFlight(res);
      else if (i === first.i) {
        expectSameResponse(res, first.res);
        expect(isReplay(res)).toBe(true);
      } else {
        expect(res.status, res.text).toBe(422);
        expect(res.json.type).toMatch(/\/idempotency-key-reused$/);
        expect(res.json.issues).toEqual([expect.objectContaining({ path: 'header.Idempotency-Key' })]);
      }
    }
    const after = await snapshot(id);
    expect(after.app.version).toBe(before.app.version + 1);
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.at(-1)?.payload).toEqual(bodies[first.i]);
  });
});

describe('a key reused for another request', () => {
  it('is refused with 422 naming the header, for another body, action or application; nothing is written', async () => {
    const id = await submitted();
    const otherId = await submitted();
    const token = await newClerk();
    const key = 'supp-reuse-1';
    const first = await post(
      `/applications/${id}/actions/request_supplement`,
      token,
      supplement('缺少附图'),
      key,
    );
    expect(first.status, first.text).toBe(200);
    const before = await snapshot(id);
    const otherBefore = await snapshot(otherId);

    const refused = await Promise.all([
      post(`/applications/${id}/actions/request_supplement`, token, supplement('缺少附表'), key),
      post(`/applications/${id}/actions/request_supplement`, token, { items: [] }, key),
      post(`/applications/${id}/actions/decline`, token, { reason: '不属于本局审批权限' }, key),
      post(`/applications/${otherId}/actions/request_supplement`, token, supplement('缺少附图'), key),
    ]);
    for (const res of refused) {
      expect(res.status, res.text).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json.issues).toEqual([expect.objectContaining({ path: 'header.Idempotency-Key' })]);
    }

    const unchanged = ({ app, events, notifications }: Awaited<ReturnType<typeof snapshot>>) => ({
      version: app.version,
      state: app.state,
      events,
      notifications,
    });
    expect(unchanged(await snapshot(id))).toEqual(unchanged(before));
    expect(unchanged(await snapshot(otherId))).toEqual(unchanged(otherBefore));
    // The original request with its key is still answered as the first time.
    expectSameResponse(
      await post(`/applications/${id}/actions/request_supplement`, token, supplement('缺少附图'), key),
      first,
    );
  });

  it('by another caller is that caller’s own request, not a replay of someone else’s response', async () => {
    const id = await submitted();
    const key = 'shared-key-1';
    const first = await post(`/applications/${id}/actions/accept`, await newClerk(), {}, key);
    expect(first.status, first.text).toBe(200);
    const otherClerk = await newClerk();

    const res = await post(`/applications/${id}/actions/accept`, otherClerk, {}, key);

    expect(res.status, res.text).toBe(409);
    expect(isReplay(res)).toBe(false);
    expect(res.json.type).toMatch(/\/not-allowed-in-state$/);
  });
});

describe('POST /applications retried with its Idempotency-Key', () => {
  async function listOf(token: string) {
    const res = await stack.request<{ items: AppJson[] }>('GET', '/applications?limit=100', { token });
    expect(res.status, res.text).toBe(200);
    return res.json.items;
  }

  it('20 times one after another: one draft, and the same 201 every time', async () => {
    const applicant = newApplicant();
    const token = await stack.token(applicant);
    const body = createBody(applicant);
    const first = await post('/applications', token, body, 'create-seq-1');
    expect(first.status, first.text).toBe(201);
    for (let i = 1; i < 20; i++) {
      const again = await post('/applications', token, body, 'create-seq-1');
      expectSameResponse(again, first);
      expect(again.headers.location).toBe(first.headers.location);
      expect(isReplay(again)).toBe(true);
    }
    expect((await listOf(token)).map((a) => a.id)).toEqual([first.json.id]);
    const { events } = await snapshot(first.json.id);
    expect(events.map((e) => e.action)).toEqual(['create']);
  });

  it(`${TIMES} times at once: one draft; every duplicate gets its 201 (or 409), never a 500`, async () => {
    const applicant = newApplicant();
    const token = await stack.token(applicant);
    const body = createBody(applicant);

    const all = await Promise.all(
      Array.from({ length: TIMES }, () => post('/applications', token, body, 'create-par-1')),
    );

    const firsts = all.filter((r) => r.status === 201 && !isReplay(r));
    expect(firsts, all.map((r) => r.status).join(',')).toHaveLength(1);
    const first = firsts[0] as Res;
    let conflicts = 0;
    for (const res of all) {
      if (res === first) continue;
      if (res.status === 201) expectSameResponse(res, first);
      else {
        expectInFlight(res);
        conflicts++;
      }
    }
    expect((await listOf(token)).map((a) => a.id)).toEqual([first.json.id]);
    const { app, events } = await snapshot(first.json.id);
    expect(app.version).toBe(1);
    expect(events).toHaveLength(1);
    console.info(`${TIMES} identical creates at once: 1 draft, ${conflicts} × 409`);
  });
});
