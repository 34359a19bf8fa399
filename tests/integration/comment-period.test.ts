/**
 * propose_decision waits for the public's comments on the acceptance notice, through the local
 * server, the real take-action handler and DynamoDB Local. A REPORT accepted on Tuesday 2026-03-03
 * has 10 working days of comments (03-04..03-17): a proposal on 03-06 and one at 23:59 on 03-17
 * are refused with 422 `comment-period-open` naming the last day, and nothing is written; one a
 * minute after midnight on 03-18 (Beijing; still 03-17 in UTC) is taken. Across National Day: a
 * REPORT accepted on Tuesday 09-29 comments through Monday 10-19 (10-01..10-07 do not count, the
 * make-up Saturday 10-10 does), not through 10-13 as a count of weekdays would have it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { act, beijing, draft, ok, sweep } from './helpers/scenario.ts';

interface AppJson {
  state: string;
  version: number;
  acceptance?: { commentEndsOn: string; commentClosedOn?: string };
  proposal?: { noticeStartsOn: string };
}
interface ProblemJson {
  type: string;
  status: number;
  detail: string;
  issues?: { path: string; message: string }[];
}
interface EventJson {
  seq: number;
  action: string;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const proposal = { proposal: 'approve', conditions: ['造纸废水经深度处理后回用，不外排'] };

/** A REPORT submitted and accepted on `on` (10:00 Beijing) and under review; its id and last comment day. */
async function acceptedReport(on: string, name: string): Promise<{ id: string; commentEndsOn: string }> {
  await stack.setNow(beijing(on, '09:00'));
  const id = await draft(stack, 'REPORT', name);
  await ok(stack, id, 'submit', 'applicant');
  await stack.setNow(beijing(on, '10:00'));
  const accepted = await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  const { application } = accepted.json as unknown as { application: AppJson };
  return { id, commentEndsOn: application.acceptance?.commentEndsOn ?? '' };
}

async function application(id: string): Promise<AppJson> {
  const res = await stack.request<AppJson>('GET', `/applications/${id}`, { as: 'auditor' });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function trail(id: string): Promise<EventJson[]> {
  const res = await stack.request<{ items: EventJson[] }>('GET', `/applications/${id}/events?limit=100`, {
    as: 'auditor',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

async function proposedNotices(id: string): Promise<number> {
  const res = await stack.request<{ items: { applicationId: string; kind: string }[] }>(
    'GET',
    '/public/notices?limit=100',
  );
  return res.json.items.filter((n) => n.applicationId === id && n.kind === 'PROPOSED_DECISION').length;
}

/** Everything a refusal must leave alone: the application, its trail, its notices, the outbox. */
async function written(id: string) {
  const outbox = await stack.request<{ items: { applicationId?: string; action?: string }[] }>(
    'GET',
    '/local/outbox?limit=100',
  );
  return {
    application: await application(id),
    trail: await trail(id),
    notices: await proposedNotices(id),
    proposals: outbox.json.items.filter((n) => n.applicationId === id && n.action === 'propose_decision')
      .length,
  };
}

/** A proposal at `at` must be refused 422 comment-period-open naming `until`, writing nothing. */
async function expectRefused(id: string, at: string, until: string) {
  await stack.setNow(at);
  const before = await written(id);
  const res = await act<ProblemJson>(stack, id, 'propose_decision', 'reviewer', proposal);
  expect(res.status, res.text).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json.type).toMatch(/\/comment-period-open$/);
  expect(res.json.detail).toContain(until);
  expect(res.json.issues).toEqual([
    {
      path: 'acceptance.commentEndsOn',
      message: expect.stringContaining(until),
      code: 'custom',
      params: { rule: 'comment-period-open', until },
    },
  ]);
  const after = await written(id);
  expect(after).toEqual(before);
  expect(after.application.state).toBe('UNDER_REVIEW');
  expect(after.trail.map((e) => e.action)).not.toContain('propose_decision');
  expect(after.notices).toBe(0);
  expect(after.proposals).toBe(0);
}

describe('propose_decision during the acceptance notice’s comment period', () => {
  it('is refused on 03-06 and on the last day 03-17 (a REPORT accepted 03-03), taken on 03-18', async () => {
    const { id, commentEndsOn } = await acceptedReport('2026-03-03', '铁河口纸业废水深度处理项目');
    // 10 working days after Tuesday 03-03 (no holiday in March 2026).
    expect(commentEndsOn).toBe('2026-03-17');

    await expectRefused(id, beijing('2026-03-06'), '2026-03-17');
    await expectRefused(id, beijing('2026-03-17', '23:59'), '2026-03-17');

    // 00:01 on 03-18 in Beijing is still 03-17 in UTC: the rule counts Beijing days.
    await stack.setNow(beijing('2026-03-18', '00:01'));
    const before = await application(id);
    const taken = await ok(stack, id, 'propose_decision', 'reviewer', proposal);
    const { application: proposed } = taken.json as unknown as { application: AppJson };
    expect(proposed).toMatchObject({
      state: 'PUBLIC_NOTICE',
      version: before.version + 1,
      proposal: { noticeStartsOn: '2026-03-18' },
    });
    expect((await trail(id)).at(-1)?.action).toBe('propose_decision');
    expect(await proposedNotices(id)).toBe(1);
  });

  it('counts the period over National Day: refused through Monday 10-19, taken on Tuesday 10-20', async () => {
    const { id, commentEndsOn } = await acceptedReport('2026-09-29', '渌江造纸厂碱回收扩建项目');
    // 09-30, 10-08, 10-09, the make-up Saturday 10-10, 10-12..10-16, 10-19: 10 working days.
    expect(commentEndsOn).toBe('2026-10-19');

    await expectRefused(id, beijing('2026-10-05'), '2026-10-19'); // during the holiday
    await expectRefused(id, beijing('2026-10-13'), '2026-10-19'); // 10 weekdays, holidays ignored
    // The sweeper leaves the period open on its last day ...
    await sweep(stack, '2026-10-19');
    expect((await application(id)).acceptance?.commentClosedOn).toBeUndefined();
    await expectRefused(id, beijing('2026-10-19', '17:30'), '2026-10-19');

    // ... and closes it the next morning; the case officer proposes that day.
    await sweep(stack, '2026-10-20');
    expect((await application(id)).acceptance?.commentClosedOn).toBe('2026-10-20');
    await stack.setNow(beijing('2026-10-20', '09:00'));
    const taken = await ok(stack, id, 'propose_decision', 'reviewer', proposal);
    const { application: proposed } = taken.json as unknown as { application: AppJson };
    expect(proposed).toMatchObject({ state: 'PUBLIC_NOTICE', proposal: { noticeStartsOn: '2026-10-20' } });
    expect((await trail(id)).map((e) => e.action).slice(-2)).toEqual([
      'close_comment_period',
      'propose_decision',
    ]);
  });
});
