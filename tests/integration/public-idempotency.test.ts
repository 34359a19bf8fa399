/**
 * An Idempotency-Key on the public writes, through the local server, real handlers and DynamoDB
 * Local: a comment (or a hearing request) sent twice with the same key is stored once, with one
 * event, the notice counting one; the retry gets the first 202 with `idempotent-replayed: true`,
 * also once the window has closed; the same key with another body is 422 and stores nothing; 20
 * requests with the same key at once store one; another key (another form) stores another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

interface Answer {
  commentId?: string;
  hearingRequestId?: string;
  receivedAt?: string;
  type?: string;
  issues?: { path: string }[];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function noticeOf(id: string, kind: string): Promise<string> {
  const res = await stack.request<{ items: { noticeId: string; applicationId: string; kind: string }[] }>(
    'GET',
    '/public/notices?limit=100',
  );
  const notice = res.json.items.find((n) => n.applicationId === id && n.kind === kind);
  if (!notice) throw new Error(`no ${kind} notice of ${id}: ${res.text}`);
  return notice.noticeId;
}

/** A REPORT_FORM accepted 03-02 (comments until 03-09), under review; with `propose`, proposed 03-10. */
async function accepted(name: string, propose = false): Promise<{ id: string; noticeId: string }> {
  await stack.setNow(beijing('2026-03-02', '09:00'));
  const id = await draft(stack, 'REPORT_FORM', name);
  await ok(stack, id, 'submit', 'applicant');
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  if (!propose) return { id, noticeId: await noticeOf(id, 'ACCEPTANCE') };
  await stack.setNow(beijing('2026-03-10', '09:00'));
  await ok(stack, id, 'propose_decision', 'reviewer', {
    proposal: 'approve',
    conditions: ['窑炉烟气颗粒物排放浓度不高于 30 mg/m³'],
  });
  return { id, noticeId: await noticeOf(id, 'PROPOSED_DECISION') };
}

const send = (noticeId: string, what: 'comments' | 'hearing-requests', body: unknown, key?: string) =>
  stack.request<Answer>('POST', `/public/notices/${encodeURIComponent(noticeId)}/${what}`, {
    body,
    ...(key !== undefined ? { headers: { 'idempotency-key': key } } : {}),
  });

async function actions(id: string): Promise<string[]> {
  const res = await stack.request<{ items: { action: string }[] }>(
    'GET',
    `/applications/${id}/events?limit=100`,
    { as: 'auditor' },
  );
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((e) => e.action);
}
const count = (list: string[], action: string) => list.filter((a) => a === action).length;

async function commentCount(noticeId: string): Promise<number | undefined> {
  const res = await stack.request<{ commentCount?: number }>('GET', `/public/notices/${noticeId}`);
  expect(res.status, res.text).toBe(200);
  return res.json.commentCount;
}
async function received(id: string): Promise<number> {
  const res = await stack.request<{ received: number; items: unknown[] }>(
    'GET',
    `/applications/${id}/comments`,
    {
      as: 'reviewer',
    },
  );
  expect(res.status, res.text).toBe(200);
  expect(res.json.items).toHaveLength(res.json.received);
  return res.json.received;
}

describe('POST /public/notices/{noticeId}/comments with an Idempotency-Key', () => {
  it('stores a comment sent twice with the same key once; the retry gets the first 202, also after the window', async () => {
    const app = await accepted('幂等意见项目');
    await stack.setNow(beijing('2026-03-05'));
    const key = crypto.randomUUID();
    const body = { text: '担心粉尘影响', name: '王五', contact: '13800000000' };

    const first = await send(app.noticeId, 'comments', body, key);
    expect(first.status, first.text).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await send(app.noticeId, 'comments', body, key);
    expect(again.status, again.text).toBe(202);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');

    expect(await received(app.id)).toBe(1);
    expect(count(await actions(app.id), 'receive_comment')).toBe(1);
    expect(await commentCount(app.noticeId)).toBe(1);

    // The same key with another body: 422, nothing stored.
    const other = await send(app.noticeId, 'comments', { text: '另一条意见' }, key);
    expect(other.status, other.text).toBe(422);
    expect(other.json.type).toMatch(/\/idempotency-key-reused$/);
    expect(other.json.issues?.map((i) => i.path)).toEqual(['header.Idempotency-Key']);

    // Another form (another key) is another comment.
    const second = await send(app.noticeId, 'comments', body, crypto.randomUUID());
    expect(second.status, second.text).toBe(202);
    expect(second.json.commentId).not.toBe(first.json.commentId);
    expect(await received(app.id)).toBe(2);
    expect(await commentCount(app.noticeId)).toBe(2);

    // After the last comment day a lost answer's retry still gets its 202, not 409.
    await stack.setNow(beijing('2026-03-10', '08:00'));
    const late = await send(app.noticeId, 'comments', body, key);
    expect(late.status, late.text).toBe(202);
    expect(late.json.commentId).toBe(first.json.commentId);
    expect(await received(app.id)).toBe(2);
  });

  it('stores one comment for 20 requests with the same key at once', async () => {
    const app = await accepted('并发幂等意见项目');
    await stack.setNow(beijing('2026-03-05'));
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => send(app.noticeId, 'comments', { text: '同一表单的意见' }, key)),
    );
    // Each is the one comment's 202 (a request still racing the winner's write may be told to retry).
    for (const r of results) {
      if (r.status === 409) expect(r.json.type).toMatch(/\/in-flight$/);
      else expect(r.status, r.text).toBe(202);
    }
    const ids = new Set(results.filter((r) => r.status === 202).map((r) => r.json.commentId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.status === 202 && !r.headers['idempotent-replayed'])).toHaveLength(1);
    expect(await received(app.id)).toBe(1);
    expect(count(await actions(app.id), 'receive_comment')).toBe(1);
    expect(await commentCount(app.noticeId)).toBe(1);
  }, 60_000);

  it('without a key a retry is another comment, as before', async () => {
    const app = await accepted('无键意见项目');
    await stack.setNow(beijing('2026-03-05'));
    const body = { text: '重复发送的意见' };
    expect((await send(app.noticeId, 'comments', body)).status).toBe(202);
    expect((await send(app.noticeId, 'comments', body)).status).toBe(202);
    expect(await received(app.id)).toBe(2);
  });
});

describe('POST /public/notices/{noticeId}/hearing-requests with an Idempotency-Key', () => {
  const party = { name: '利害关系人', contact: 'party@example.com', reason: '对噪声结论有异议' };
  async function requests(id: string): Promise<number> {
    const res = await stack.request<{ items: unknown[] }>('GET', `/applications/${id}/hearing-requests`, {
      as: 'reviewer',
    });
    expect(res.status, res.text).toBe(200);
    return res.json.items.length;
  }

  it('stores a request sent twice with the same key once: one request_hearing, one request', async () => {
    const app = await accepted('幂等听证项目', true);
    await stack.setNow(beijing('2026-03-11'));
    const key = crypto.randomUUID();
    const first = await send(app.noticeId, 'hearing-requests', party, key);
    expect(first.status, first.text).toBe(202);
    const again = await send(app.noticeId, 'hearing-requests', party, key);
    expect(again.status, again.text).toBe(202);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const other = await send(app.noticeId, 'hearing-requests', { ...party, reason: '另一个理由' }, key);
    expect(other.status, other.text).toBe(422);

    expect(await requests(app.id)).toBe(1);
    const trail = await actions(app.id);
    expect(count(trail, 'request_hearing')).toBe(1);
    expect(count(trail, 'receive_hearing_request')).toBe(0);
  });

  it('stores one request for 20 requests with the same key at once', async () => {
    const app = await accepted('并发幂等听证项目', true);
    await stack.setNow(beijing('2026-03-11'));
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => send(app.noticeId, 'hearing-requests', party, key)),
    );
    for (const r of results) {
      if (r.status === 409) expect(r.json.type).toMatch(/\/in-flight$/);
      else expect(r.status, r.text).toBe(202);
    }
    expect(new Set(results.filter((r) => r.status === 202).map((r) => r.json.hearingRequestId)).size).toBe(1);
    expect(await requests(app.id)).toBe(1);
    const trail = await actions(app.id);
    expect(count(trail, 'request_hearing') + count(trail, 'receive_hearing_request')).toBe(1);
  }, 60_000);
});
