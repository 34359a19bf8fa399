/**
 * Public comments through the local server, real handlers and DynamoDB Local: the window of the
 * acceptance notice at its last day and the next, 202/400/404/409, the officials' list with the
 * commenters' names (403 for the applicant), the case officer's one response, propose_decision
 * refused while a comment is unanswered and allowed once answered, and 100 comments sent at once
 * on one notice, each stored once with its event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { act, beijing, draft, ok } from './helpers/scenario.ts';

interface ProblemJson {
  type: string;
  status: number;
  detail: string;
  issues?: { path: string; message: string }[];
}
interface CommentJson {
  commentId: string;
  text: string;
  name?: string;
  contact?: string;
  response?: string;
}
interface ListJson {
  items: CommentJson[];
  received: number;
  answered: number;
}
interface EventJson {
  action: string;
  actor: { id: string; role: string };
  payload: Record<string, unknown>;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** A REPORT submitted 03-02 and accepted 03-03 (comments until 03-17), under review; its id and notice. */
async function accepted(name: string): Promise<{ id: string; noticeId: string }> {
  await stack.setNow(beijing('2026-03-02'));
  const id = await draft(stack, 'REPORT', name);
  await ok(stack, id, 'submit', 'applicant');
  await stack.setNow(beijing('2026-03-03'));
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  const notices = await stack.request<{ items: { noticeId: string; applicationId: string; kind: string }[] }>(
    'GET',
    '/public/notices?limit=100',
  );
  const notice = notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
  if (!notice) throw new Error(`no acceptance notice of ${id}: ${notices.text}`);
  return { id, noticeId: notice.noticeId };
}

const comment = (noticeId: string, body: unknown) =>
  stack.request<{ commentId: string; receivedAt: string } & ProblemJson>(
    'POST',
    `/public/notices/${encodeURIComponent(noticeId)}/comments`,
    { body },
  );
const list = (id: string, as: 'reviewer' | 'auditor' | 'applicant' | 'clerk') =>
  stack.request<ListJson & ProblemJson>('GET', `/applications/${id}/comments`, { as });
async function trail(id: string): Promise<EventJson[]> {
  const events: EventJson[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await stack.request<{ items: EventJson[]; cursor?: string }>(
      'GET',
      `/applications/${id}/events?${query}`,
      { as: 'auditor' },
    );
    expect(res.status, res.text).toBe(200);
    events.push(...res.json.items);
    cursor = res.json.cursor;
  } while (cursor);
  return events;
}

describe('POST /public/notices/{noticeId}/comments', () => {
  let app: { id: string; noticeId: string };
  beforeAll(async () => {
    app = await accepted('意见测试项目');
  });

  it('refuses bad text 400 naming the field, and stores nothing', async () => {
    await stack.setNow(beijing('2026-03-10'));
    for (const [body, path] of [
      [{ text: '' }, 'text'],
      [{}, 'text'],
      [{ text: 'a'.repeat(5001) }, 'text'],
      [{ text: '正常\u0000内容' }, 'text'],
      [{ text: '好', name: 'x\u001b' }, 'name'],
      [{ text: '好', extra: 1 }, 'extra'],
    ] as const) {
      const res = await comment(app.noticeId, body);
      expect(res.status, res.text).toBe(400);
      expect(res.json.issues?.map((i) => i.path)).toContain(path);
    }
    expect((await list(app.id, 'reviewer')).json.items).toEqual([]);
  });

  it('answers 404 for an unknown notice', async () => {
    const res = await comment('no-such-notice', { text: '意见' });
    expect(res.status).toBe(404);
  });

  it('takes a comment on the last comment day (202), keeping its text out of the trail', async () => {
    await stack.setNow(beijing('2026-03-17', '23:30'));
    const res = await comment(app.noticeId, { text: '担心粉尘影响', name: '王五', contact: '13800000000' });
    expect(res.status, res.text).toBe(202);
    expect(res.json.commentId).toBeTruthy();
    expect(res.json.receivedAt.slice(0, 19)).toBe('2026-03-17T15:30:00');
    const events = await trail(app.id);
    const received = events.filter((e) => e.action === 'receive_comment');
    expect(received).toHaveLength(1);
    expect(received[0]?.actor.id).toBe('public');
    expect(received[0]?.payload).toMatchObject({ commentId: res.json.commentId, noticeId: app.noticeId });
    // Name and contact are in the event (the auditor reads them; the applicant gets them masked:
    // public-privacy.test.ts), the text never.
    expect(received[0]?.payload).toMatchObject({ name: '王五', contact: '13800000000' });
    expect(JSON.stringify(events)).not.toContain('担心粉尘影响');
  });

  it('refuses the next day with 409 comment-period-closed', async () => {
    await stack.setNow(beijing('2026-03-18', '00:10'));
    const res = await comment(app.noticeId, { text: '晚到的意见' });
    expect(res.status).toBe(409);
    expect(res.json.type).toMatch(/\/comment-period-closed$/);
    expect(res.json.detail).toContain('2026-03-17');
    expect((await list(app.id, 'reviewer')).json.received).toBe(1);
  });

  it('lists the comments with names and contacts for officials and the auditor, 403 for the applicant', async () => {
    for (const as of ['reviewer', 'clerk', 'auditor'] as const) {
      const res = await list(app.id, as);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ received: 1, answered: 0 });
      expect(res.json.items[0]).toMatchObject({ text: '担心粉尘影响', name: '王五', contact: '13800000000' });
    }
    expect((await list(app.id, 'applicant')).status).toBe(403);
  });

  it('refuses propose_decision while a comment is unanswered, and allows it once answered', async () => {
    await stack.setNow(beijing('2026-03-18'));
    const refused = await act<ProblemJson>(stack, app.id, 'propose_decision', 'reviewer', {
      proposal: 'approve',
    });
    expect(refused.status).toBe(422);
    expect(refused.json.type).toMatch(/\/comments-unanswered$/);

    const [first] = (await list(app.id, 'reviewer')).json.items;
    const path = `/applications/${app.id}/comments/${first?.commentId}/response`;
    const byClerk = await stack.request('POST', path, { as: 'clerk', body: { response: '已采纳' } });
    expect(byClerk.status).toBe(403);
    const bad = await stack.request<ProblemJson>('POST', path, { as: 'reviewer', body: { response: '' } });
    expect(bad.status).toBe(400);
    const missing = await stack.request('POST', `/applications/${app.id}/comments/nope/response`, {
      as: 'reviewer',
      body: { response: '已采纳' },
    });
    expect(missing.status).toBe(404);
    const answered = await stack.request<{ comment: CommentJson }>('POST', path, {
      as: 'reviewer',
      body: { response: '已要求加装布袋除尘' },
    });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json.comment.response).toBe('已要求加装布袋除尘');
    const again = await stack.request<ProblemJson>('POST', path, {
      as: 'reviewer',
      body: { response: '再答' },
    });
    expect(again.status).toBe(409);
    expect(again.json.type).toMatch(/\/comment-already-answered$/);
    expect((await list(app.id, 'auditor')).json).toMatchObject({ received: 1, answered: 1 });
    expect((await trail(app.id)).filter((e) => e.action === 'respond_to_comment')).toHaveLength(1);

    await ok(stack, app.id, 'propose_decision', 'reviewer', { proposal: 'approve' });
  });
});

describe('100 comments at once on one notice', () => {
  it('stores each once, each with its own event', async () => {
    const app = await accepted('并发意见项目');
    await stack.setNow(beijing('2026-03-05'));
    const n = 100;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => comment(app.noticeId, { text: `第${i}条意见` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(202));
    const ids = new Set(results.map((r) => r.json.commentId));
    expect(ids.size).toBe(n);
    const stored = (await list(app.id, 'reviewer')).json;
    expect(stored.received).toBe(n);
    expect(stored.items).toHaveLength(n);
    expect(new Set(stored.items.map((c) => c.commentId))).toEqual(ids);
    expect(new Set(stored.items.map((c) => c.text)).size).toBe(n);
    expect((await trail(app.id)).filter((e) => e.action === 'receive_comment')).toHaveLength(n);
    // One chain still: every comment's event links to the one before it.
    const verify = await stack.request<{ ok?: boolean; valid?: boolean }>(
      'GET',
      `/audit/applications/${app.id}/verify`,
      { as: 'auditor' },
    );
    expect(verify.status, verify.text).toBe(200);
    expect(verify.text).not.toMatch(/"(ok|valid|intact)":false/);
  }, 120_000);
});
