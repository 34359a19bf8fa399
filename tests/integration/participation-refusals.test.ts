/**
 * The public's bad input that the other participation tests do not send, through the local server,
 * the real handlers and DynamoDB Local, each refused with a problem naming the rule and nothing
 * stored: a comment or hearing request on a notice not (yet) published (a well-formed id of the
 * proposed decision before it is proposed: 404), a comment and a hearing request on the decision's
 * own notice, which takes neither (409), and the case officer's response to a comment of another
 * application sent under this application's id (404; both comments stay unanswered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeIdOf } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

interface ProblemJson {
  type: string;
  status: number;
  detail: string;
}
interface NoticeJson {
  noticeId: string;
  applicationId: string;
  kind: string;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function noticeOf(id: string, kind: string): Promise<string> {
  const res = await stack.request<{ items: NoticeJson[] }>('GET', '/public/notices?limit=100');
  const notice = res.json.items.find((n) => n.applicationId === id && n.kind === kind);
  if (!notice) throw new Error(`no ${kind} notice of ${id}: ${res.text}`);
  return notice.noticeId;
}
/** A REPORT_FORM submitted and accepted on 03-02 (comments through 03-09), under review. */
async function reviewing(name: string): Promise<string> {
  await stack.setNow(beijing('2026-03-02', '09:00'));
  const id = await draft(stack, 'REPORT_FORM', name);
  await ok(stack, id, 'submit', 'applicant');
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  return id;
}
const comment = (noticeId: string, text: string) =>
  stack.request<ProblemJson>('POST', `/public/notices/${encodeURIComponent(noticeId)}/comments`, {
    body: { text },
  });
const askHearing = (noticeId: string) =>
  stack.request<ProblemJson>('POST', `/public/notices/${encodeURIComponent(noticeId)}/hearing-requests`, {
    body: { name: '刘利害', contact: 'party@example.com', reason: '对噪声结论有异议' },
  });
const comments = (id: string) =>
  stack.request<{ items: { commentId: string; response?: string }[]; received: number; answered: number }>(
    'GET',
    `/applications/${id}/comments`,
    { as: 'reviewer' },
  );
const trail = async (id: string) =>
  (
    await stack.request<{ items: { action: string }[] }>('GET', `/applications/${id}/events?limit=100`, {
      as: 'auditor',
    })
  ).json.items.map((e) => e.action);

describe('a notice not yet published', () => {
  it('takes no comment and no hearing request: 404, nothing stored', async () => {
    const id = await reviewing('未公示通知测试项目');
    await stack.setNow(beijing('2026-03-05'));
    const before = await trail(id);
    // The id its proposed decision would have if proposed now: well formed, but no such notice.
    const unpublished = noticeIdOf({
      publishedAt: new Date(beijing('2026-03-05')).toISOString(),
      applicationId: id,
      kind: 'PROPOSED_DECISION',
    });
    expect((await stack.request('GET', `/public/notices/${unpublished}`)).status).toBe(404);
    const commented = await comment(unpublished, '尚未公示的拟审批意见');
    expect(commented.status, JSON.stringify(commented.json)).toBe(404);
    expect(commented.json.type).toMatch(/\/not-found$/);
    const asked = await askHearing(unpublished);
    expect(asked.status, JSON.stringify(asked.json)).toBe(404);
    expect(await trail(id)).toEqual(before);
    expect((await comments(id)).json).toMatchObject({ items: [], received: 0 });
  });
});

describe('the decision’s own notice', () => {
  it('takes no comment (409 comment-period-closed) and no hearing request (409 hearing-window-closed)', async () => {
    const id = await reviewing('决定公告测试项目');
    await stack.setNow(beijing('2026-03-10'));
    await ok(stack, id, 'propose_decision', 'reviewer', { proposal: 'approve' });
    await stack.setNow(beijing('2026-03-18'));
    await ok(stack, id, 'approve', 'approver');
    const decision = await noticeOf(id, 'DECISION');
    const before = await trail(id);

    const commented = await comment(decision, '对批复的意见');
    expect(commented.status, JSON.stringify(commented.json)).toBe(409);
    expect(commented.json.type).toMatch(/\/comment-period-closed$/);
    expect(commented.json.detail).toContain('takes no comments');
    const asked = await askHearing(decision);
    expect(asked.status, JSON.stringify(asked.json)).toBe(409);
    expect(asked.json.type).toMatch(/\/hearing-window-closed$/);
    expect(await trail(id)).toEqual(before);
    expect((await comments(id)).json.received).toBe(0);
  });
});

describe('a response to another application’s comment', () => {
  it('is 404 under this application’s id, and answers neither comment', async () => {
    const mine = await reviewing('答复本案项目');
    const theirs = await reviewing('答复他案项目');
    await stack.setNow(beijing('2026-03-04'));
    for (const id of [mine, theirs]) {
      const res = await comment(await noticeOf(id, 'ACCEPTANCE'), `对${id}的意见`);
      expect(res.status, JSON.stringify(res.json)).toBe(202);
    }
    const [other] = (await comments(theirs)).json.items;
    expect(other?.commentId).toBeTruthy();
    const before = await trail(mine);

    // The same case officer for both: only the id in the path ties the comment to its case.
    const res = await stack.request<ProblemJson>(
      'POST',
      `/applications/${mine}/comments/${other?.commentId}/response`,
      { as: 'reviewer', body: { response: '已研究' } },
    );
    expect(res.status, JSON.stringify(res.json)).toBe(404);
    expect(res.json.type).toMatch(/\/not-found$/);
    expect(await trail(mine)).toEqual(before);
    expect((await comments(mine)).json).toMatchObject({ received: 1, answered: 0 });
    expect((await comments(theirs)).json).toMatchObject({ received: 1, answered: 0 });
    expect((await comments(theirs)).json.items[0]?.response).toBeUndefined();
  });
});
