/**
 * The public's comment window across a holiday, through the local server and DynamoDB Local: a
 * REPORT_FORM accepted on Monday 2026-09-28 has 5 working days of comments. National Day
 * (10-01 to 10-07) does not count and Saturday 10-10 is a make-up working day, so the window runs
 * 09-29, 09-30, 10-08, 10-09, 10-10: a comment at 23:30 on Saturday 10-10 is taken, one ten minutes
 * after midnight is refused. Without the holiday the window would have ended on 10-05.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

interface NoticeJson {
  noticeId: string;
  applicationId: string;
  kind: string;
  endsOn?: string;
  commentsOpenUntil?: string;
}

let stack: LocalStack;
let noticeId = '';

const comment = (text: string) =>
  stack.request<{ type?: string; commentId?: string }>(
    'POST',
    `/public/notices/${encodeURIComponent(noticeId)}/comments`,
    { body: { text } },
  );

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-09-28', '09:00'));
  const id = await draft(stack, 'REPORT_FORM', '节日窗口测试项目');
  await ok(stack, id, 'submit', 'applicant');
  await stack.setNow(beijing('2026-09-28', '15:00'));
  await ok(stack, id, 'accept', 'clerk');
  const notices = await stack.request<{ items: NoticeJson[] }>('GET', '/public/notices?limit=100');
  const notice = notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
  if (!notice) throw new Error(`no acceptance notice: ${notices.text}`);
  noticeId = notice.noticeId;
});
afterAll(async () => {
  await stack?.stop();
});

describe('the comment window of an acceptance notice over National Day', () => {
  it('ends on the make-up Saturday 10-10, not on 10-05', async () => {
    const res = await stack.request<NoticeJson>('GET', `/public/notices/${encodeURIComponent(noticeId)}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ endsOn: '2026-10-10', commentsOpenUntil: '2026-10-10' });
  });

  it('takes a comment during the holiday and on the last day, and refuses one the next day', async () => {
    await stack.setNow(beijing('2026-10-03', '11:00'));
    expect((await comment('国庆期间提交的意见')).status).toBe(202);
    await stack.setNow(beijing('2026-10-10', '23:30'));
    expect((await comment('最后一天的意见')).status).toBe(202);
    await stack.setNow(beijing('2026-10-11', '00:10'));
    const late = await comment('晚了十分钟的意见');
    expect(late.status, JSON.stringify(late.json)).toBe(409);
    expect(late.json.type).toMatch(/\/comment-period-closed$/);
  });
});
