/**
 * The interested parties' hearing window across a holiday, through the local server and DynamoDB
 * Local: a REPORT_FORM proposed for approval on Tuesday 2026-09-29 may be asked for a hearing for 5
 * working days. National Day (10-01 to 10-07) does not count and Saturday 10-10 is a make-up working
 * day, so the window runs 09-30, 10-08, 10-09, 10-10, 10-12: a request during the holiday is taken
 * (and its 20 working days to hold the hearing run from the next working day), one at 23:30 on
 * Monday 10-12 too, one ten minutes after midnight is refused. Without the holiday the window would
 * have ended on 10-06.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

interface NoticeJson {
  noticeId: string;
  applicationId: string;
  kind: string;
  hearingRequestsOpenUntil?: string;
}

let stack: LocalStack;
let id = '';
let noticeId = '';

const ask = (n: number) =>
  stack.request<{ type?: string; detail?: string }>(
    'POST',
    `/public/notices/${encodeURIComponent(noticeId)}/hearing-requests`,
    { body: { name: `利害关系人${n}`, contact: `party${n}@example.com`, reason: '对噪声结论有异议' } },
  );

beforeAll(async () => {
  stack = await startLocalStack();
  // Accepted Monday 09-14: its comments run through Sunday 09-20, a make-up working day.
  await stack.setNow(beijing('2026-09-14', '09:00'));
  id = await draft(stack, 'REPORT_FORM', '节日听证窗口测试项目');
  await ok(stack, id, 'submit', 'applicant');
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  await stack.setNow(beijing('2026-09-29', '10:00'));
  await ok(stack, id, 'propose_decision', 'reviewer', { proposal: 'approve' });
  const notices = await stack.request<{ items: NoticeJson[] }>('GET', '/public/notices?limit=100');
  const notice = notices.json.items.find((n) => n.applicationId === id && n.kind === 'PROPOSED_DECISION');
  if (!notice) throw new Error(`no proposed decision: ${notices.text}`);
  noticeId = notice.noticeId;
});
afterAll(async () => {
  await stack?.stop();
});

describe('the hearing window of a proposed decision over National Day', () => {
  it('ends on Monday 10-12, not on 10-06', async () => {
    const res = await stack.request<NoticeJson>('GET', `/public/notices/${encodeURIComponent(noticeId)}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.hearingRequestsOpenUntil).toBe('2026-10-12');
  });

  it('takes a request during the holiday and on the last day, and refuses one the next day', async () => {
    await stack.setNow(beijing('2026-10-03', '11:00'));
    const first = await ask(1);
    expect(first.status, JSON.stringify(first.json)).toBe(202);
    const heard = await stack.request<{ state: string; hearing?: { holdBy?: string; scheduleBy?: string } }>(
      'GET',
      `/applications/${id}`,
      { as: 'reviewer' },
    );
    expect(heard.json.state).toBe('HEARING');
    // 20 working days from a holiday: 10-08 is the first, 11-03 the twentieth; 7 days before, 10-27.
    expect(heard.json.hearing).toMatchObject({ holdBy: '2026-11-03', scheduleBy: '2026-10-27' });

    await stack.setNow(beijing('2026-10-12', '23:30'));
    expect((await ask(2)).status).toBe(202);
    await stack.setNow(beijing('2026-10-13', '00:10'));
    const late = await ask(3);
    expect(late.status, JSON.stringify(late.json)).toBe(409);
    expect(late.json.type).toMatch(/\/hearing-window-closed$/);
    expect(late.json.detail).toContain('2026-10-12');
    const listed = await stack.request<{ items: { name: string }[] }>(
      'GET',
      `/applications/${id}/hearing-requests`,
      { as: 'reviewer' },
    );
    expect(listed.json.items.map((r) => r.name)).toEqual(['利害关系人1', '利害关系人2']);
  });
});
