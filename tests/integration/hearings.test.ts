/**
 * Hearings asked for by interested parties, through the local server, real handlers and DynamoDB
 * Local: the first request moves the case to HEARING and pauses the clock, later ones are counted;
 * the officials' list with the requesters' contacts (403 for the applicant); schedule_hearing at
 * least 7 days ahead and no later than 20 working days after the first request (422 otherwise,
 * nothing written); its notice to the applicant and to every requester who left an e-mail address
 * (and nobody else); the window on its last day and the next; 404/409/400; a hearing not
 * scheduled in time overdue in the case officer's queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Directory,
  deliver,
  type Message,
  withHearingRequesters,
} from '../../functions/notifier/notify.ts';
import type { Notification, Recipient } from '../../shared/domain/notifications.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { act, beijing, draft, ok } from './helpers/scenario.ts';

interface ProblemJson {
  type: string;
  status: number;
  detail: string;
  issues?: { path: string; message: string }[];
}
interface RequestJson {
  hearingRequestId: string;
  noticeId: string;
  receivedAt: string;
  name: string;
  contact: string;
  reason: string;
}
interface EventJson {
  seq: number;
  action: string;
  from: string;
  to: string;
  actor: { id: string; role: string };
  payload: Record<string, unknown>;
}
interface AppJson {
  state: string;
  version: number;
  clock: { paused: boolean; dueDate: string };
  hearing?: {
    origin?: string;
    requests?: number;
    holdBy?: string;
    scheduleBy?: string;
    reason: string;
    scheduled?: { at: string; place: string };
    scheduleOverdue?: boolean;
  };
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Notices {
  items: { noticeId: string; applicationId: string; kind: string }[];
}
async function noticeOf(id: string, kind: string): Promise<string> {
  const res = await stack.request<Notices>('GET', '/public/notices?limit=100');
  const notice = res.json.items.find((n) => n.applicationId === id && n.kind === kind);
  if (!notice) throw new Error(`no ${kind} notice of ${id}: ${res.text}`);
  return notice.noticeId;
}

/**
 * A REPORT_FORM accepted 03-02 (its comments until 03-09), proposed for approval on `proposeOn`
 * (after the comment period); its id and the two notices.
 */
async function proposed(
  name: string,
  proposeOn = '2026-03-10',
): Promise<{ id: string; acceptance: string; proposal: string }> {
  await stack.setNow(beijing('2026-03-02', '09:00'));
  const id = await draft(stack, 'REPORT_FORM', name);
  await ok(stack, id, 'submit', 'applicant');
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  await stack.setNow(beijing(proposeOn, '09:00'));
  await ok(stack, id, 'propose_decision', 'reviewer', {
    proposal: 'approve',
    conditions: ['窑炉烟气颗粒物排放浓度不高于 30 mg/m³'],
  });
  return {
    id,
    acceptance: await noticeOf(id, 'ACCEPTANCE'),
    proposal: await noticeOf(id, 'PROPOSED_DECISION'),
  };
}

const ask = (noticeId: string, body: unknown) =>
  stack.request<{ hearingRequestId: string; receivedAt: string } & ProblemJson>(
    'POST',
    `/public/notices/${encodeURIComponent(noticeId)}/hearing-requests`,
    { body },
  );
const party = (n: number, contact: string) => ({
  name: `利害关系人${n}`,
  contact,
  reason: `项目距我家仅 200 米，对噪声结论有异议（${n}）`,
});
const read = async (id: string) => {
  const res = await stack.request<AppJson>('GET', `/applications/${id}`, { as: 'reviewer' });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const list = (id: string, as: 'reviewer' | 'auditor' | 'applicant' | 'clerk' | 'approver') =>
  stack.request<{ items: RequestJson[] } & ProblemJson>('GET', `/applications/${id}/hearing-requests`, {
    as,
  });
async function trail(id: string): Promise<EventJson[]> {
  const res = await stack.request<{ items: EventJson[] }>('GET', `/applications/${id}/events?limit=100`, {
    as: 'auditor',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}
async function outboxOf(id: string): Promise<Notification[]> {
  const res = await stack.request<{ items: (Notification & { type?: string })[] }>(
    'GET',
    '/local/outbox?limit=100',
  );
  expect(res.status, res.text).toBe(200);
  return res.json.items.filter((n) => n.applicationId === id && n.type === undefined);
}

describe('an interested party asks for a hearing', () => {
  let app: { id: string; acceptance: string; proposal: string };
  beforeAll(async () => {
    app = await proposed('听证一号窑炉');
  });

  it('the first request moves the case to HEARING and pauses the clock; a second is counted', async () => {
    const before = await read(app.id);
    expect(before.state).toBe('PUBLIC_NOTICE');
    expect(before.clock.paused).toBe(false);

    await stack.setNow(beijing('2026-03-10', '15:00'));
    const first = await ask(app.proposal, party(1, 'party.one@example.com'));
    expect(first.status, first.text).toBe(202);
    expect(first.json).toMatchObject({
      hearingRequestId: expect.any(String),
      receivedAt: expect.any(String),
    });
    const heard = await read(app.id);
    expect(heard.state).toBe('HEARING');
    expect(heard.clock.paused).toBe(true);
    // 20 working days from 03-10 (Qingming, 04-06, not counted); announced 7 days before.
    expect(heard.hearing).toMatchObject({
      origin: 'public',
      requests: 1,
      reason: '',
      holdBy: '2026-04-08',
      scheduleBy: '2026-04-01',
    });

    await stack.setNow(beijing('2026-03-11', '10:00'));
    const second = await ask(app.proposal, party(2, '13873300001'));
    expect(second.status, second.text).toBe(202);
    const counted = await read(app.id);
    expect(counted.state).toBe('HEARING');
    expect(counted.hearing).toMatchObject({ requests: 2, holdBy: '2026-04-08' });
    expect(counted.clock.paused).toBe(true);

    const events = (await trail(app.id)).filter((e) => e.actor.id === 'public');
    expect(events.map((e) => [e.action, e.from, e.to])).toEqual([
      ['request_hearing', 'PUBLIC_NOTICE', 'HEARING'],
      ['receive_hearing_request', 'HEARING', 'HEARING'],
    ]);
    // The name and contact (masked for all but officials and auditors), never the reason.
    expect(events[0]?.payload).toEqual({
      noticeId: app.proposal,
      hearingRequestId: first.json.hearingRequestId,
      name: '利害关系人1',
      contact: 'party.one@example.com',
    });
    expect(JSON.stringify(events)).not.toContain('对噪声结论有异议');
    // The case officer hears of the first (with the dates), not of every later one.
    const told = (await outboxOf(app.id)).filter((n) => n.action === 'request_hearing');
    expect(told).toHaveLength(1);
    expect(told[0]?.recipients).toEqual([{ kind: 'user', id: users.reviewer.sub }]);
    expect(told[0]?.deadline).toBe('2026-04-01');
  });

  it('lists the requests with names, contacts and reasons for officials and the auditor, never for the applicant', async () => {
    for (const as of ['reviewer', 'auditor', 'clerk', 'approver'] as const) {
      const res = await list(app.id, as);
      expect(res.status, `${as}: ${res.text}`).toBe(200);
      expect(res.json.items.map((r) => [r.name, r.contact])).toEqual([
        ['利害关系人1', 'party.one@example.com'],
        ['利害关系人2', '13873300001'],
      ]);
      expect(res.json.items[0]).toMatchObject({
        noticeId: app.proposal,
        reason: expect.stringContaining('（1）'),
      });
    }
    const owner = await list(app.id, 'applicant');
    expect(owner.status, owner.text).toBe(403);
    expect(owner.json.type).toMatch(/\/wrong-role$/);
  });

  it('schedule_hearing refuses less than 7 days ahead and after holdBy, writing nothing', async () => {
    await stack.setNow(beijing('2026-03-12', '10:00'));
    const before = await read(app.id);
    // 03-18 is 6 days ahead: refused; 04-09 is the day after holdBy: refused.
    const soon = await act<ProblemJson>(stack, app.id, 'schedule_hearing', 'reviewer', {
      at: '2026-03-18T09:30:00+08:00',
      place: '醴陵市生态环境局三楼听证室',
    });
    expect(soon.status, soon.text).toBe(422);
    expect(soon.json.type).toMatch(/\/hearing-too-soon$/);
    expect(soon.json.issues).toEqual([
      {
        path: 'at',
        message: expect.stringContaining('2026-03-19'),
        code: 'custom',
        params: expect.objectContaining({ rule: 'hearing-too-soon', earliest: '2026-03-19' }),
      },
    ]);
    const late = await act<ProblemJson>(stack, app.id, 'schedule_hearing', 'reviewer', {
      at: '2026-04-09T09:30:00+08:00',
      place: '醴陵市生态环境局三楼听证室',
    });
    expect(late.status, late.text).toBe(422);
    expect(late.json.type).toMatch(/\/hearing-too-late$/);
    expect(late.json.issues).toEqual([
      {
        path: 'at',
        message: expect.stringContaining('2026-04-08'),
        code: 'custom',
        params: expect.objectContaining({ rule: 'hearing-too-late', holdBy: '2026-04-08' }),
      },
    ]);
    const bad = await act<ProblemJson>(stack, app.id, 'schedule_hearing', 'reviewer', {
      at: '2026-03-25 09:30',
      place: '听证室',
    });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.json.issues?.map((i) => i.path)).toEqual(['at']);
    const after = await read(app.id);
    expect(after.version).toBe(before.version);
    expect(after.hearing?.scheduled).toBeUndefined();
  });

  it('once scheduled, tells the applicant and each requester with an e-mail address, one message each', async () => {
    await stack.setNow(beijing('2026-03-12', '11:00'));
    // 7 days ahead: allowed (Beijing date 03-19, even sent as UTC).
    const done = await ok(stack, app.id, 'schedule_hearing', 'reviewer', {
      at: '2026-03-19T01:30:00Z',
      place: '醴陵市生态环境局三楼听证室',
    });
    expect(done.status).toBe(200);
    const scheduled = await read(app.id);
    expect(scheduled.state).toBe('HEARING');
    expect(scheduled.clock.paused).toBe(true);
    expect(scheduled.hearing?.scheduled).toMatchObject({
      at: '2026-03-19T01:30:00Z',
      place: '醴陵市生态环境局三楼听证室',
    });
    // Hearings are held in public: the notice says when and where, and nothing about who asked.
    const onNotice = await stack.request<Record<string, unknown>>(
      'GET',
      `/public/notices/${encodeURIComponent(app.proposal)}`,
    );
    expect(onNotice.json.hearing).toEqual({
      at: '2026-03-19T01:30:00Z',
      place: '醴陵市生态环境局三楼听证室',
    });

    const notices = (await outboxOf(app.id)).filter((n) => n.action === 'schedule_hearing');
    expect(notices).toHaveLength(1);
    const notice = notices[0] as Notification;
    expect(notice.recipients).toEqual([
      { kind: 'user', id: users.applicant.sub },
      { kind: 'hearingRequesters', applicationId: app.id, since: expect.any(String) },
    ]);
    expect(notice.body.zh).toContain('2026-03-19 09:30');
    expect(notice.body.zh).toContain('醴陵市生态环境局三楼听证室');
    expect(notice.body.en).toContain('may attend, speak');
    // No address travels in the outbox.
    expect(JSON.stringify(notice)).not.toContain('@');

    // The notifier: the applicant from the user directory, the requesters from their requests.
    const { getStore } = await import('../../shared/runtime/clients.ts');
    const users_: Directory = {
      addressesOf: async (r: Recipient) =>
        r.kind === 'user' && r.id === users.applicant.sub ? ['applicant@liling.example'] : [],
    };
    const sent: Message[] = [];
    const report = await deliver(notice, withHearingRequesters(users_, getStore()), {
      send: async (m) => {
        sent.push(m);
      },
    });
    expect(sent.map((m) => m.to).sort()).toEqual(['applicant@liling.example', 'party.one@example.com']);
    expect(report).toMatchObject({ sent: 2, unreachable: [] });
    for (const m of sent) expect(m.text).not.toContain('13873300001');
  });

  it('may be rescheduled under the same rules, notifying again', async () => {
    await stack.setNow(beijing('2026-03-13', '10:00'));
    await ok(stack, app.id, 'schedule_hearing', 'reviewer', {
      at: '2026-04-08T14:00:00+08:00',
      place: '醴陵市政务服务中心二楼',
    });
    const notices = (await outboxOf(app.id)).filter((n) => n.action === 'schedule_hearing');
    expect(notices).toHaveLength(2);
  });
});

describe('the hearing window', () => {
  it('is open on the hearing deadline and closed the next day; 404 unknown, 409 on an acceptance notice', async () => {
    const app = await proposed('听证二号窑炉');
    const before = await trail(app.id);
    // Before the case reaches a proposal's notice, its acceptance notice takes no hearing request.
    await stack.setNow(beijing('2026-03-17', '10:00'));
    const onAcceptance = await ask(app.acceptance, party(3, 'p3@example.com'));
    expect(onAcceptance.status, onAcceptance.text).toBe(409);
    expect(onAcceptance.json.type).toMatch(/\/hearing-window-closed$/);
    const unknown = await ask('bm8tc3VjaC1ub3RpY2U', party(3, 'p3@example.com'));
    expect(unknown.status, unknown.text).toBe(404);
    expect((await trail(app.id)).length).toBe(before.length);

    // 03-17 is the proposal's hearing deadline (5 working days from 03-10): still open.
    const last = await ask(app.proposal, party(4, 'p4@example.com'));
    expect(last.status, last.text).toBe(202);
    expect((await read(app.id)).hearing).toMatchObject({ holdBy: '2026-04-15', scheduleBy: '2026-04-08' });
    await stack.setNow(beijing('2026-03-18', '09:00'));
    const late = await ask(app.proposal, party(5, 'p5@example.com'));
    expect(late.status, late.text).toBe(409);
    expect(late.json.type).toMatch(/\/hearing-window-closed$/);
    expect(late.json.detail).toContain('2026-03-17');
    expect((await list(app.id, 'reviewer')).json.items.map((r) => r.name)).toEqual(['利害关系人4']);
  });

  it('refuses bad input with 400 naming the field, storing nothing', async () => {
    const app = await proposed('听证三号窑炉');
    const cases: [unknown, string[]][] = [
      [{ contact: 'a@example.com', reason: '异议' }, ['name']],
      [{ name: '张三', contact: 'x'.repeat(201), reason: '异议' }, ['contact']],
      [{ name: '张三', contact: 'a@example.com', reason: '异议\u0007' }, ['reason']],
      [{ name: '  ', contact: 'a@example.com', reason: '异议' }, ['name']],
      [{ name: '张三', contact: 'a@example.com', reason: 'x'.repeat(5001) }, ['reason']],
      [{ name: '张三', contact: 'a@example.com', reason: '异议', text: '多余' }, ['text']],
      [['张三'], ['']],
    ];
    for (const [body, paths] of cases) {
      const res = await ask(app.proposal, body);
      expect(res.status, res.text).toBe(400);
      expect(res.json.issues?.map((i) => i.path)).toEqual(paths);
    }
    expect((await read(app.id)).state).toBe('PUBLIC_NOTICE');
    expect((await list(app.id, 'reviewer')).json.items).toEqual([]);
  });
});

describe("the case officer's queue", () => {
  it('shows a hearing not scheduled by scheduleBy as overdue from the next day, due that day', async () => {
    const app = await proposed('听证四号窑炉');
    await stack.setNow(beijing('2026-03-10', '16:00'));
    expect((await ask(app.proposal, party(6, 'p6@example.com'))).status).toBe(202);
    const queue = async () => {
      const res = await stack.request<{ items: (AppJson & { id: string })[] }>(
        'GET',
        '/applications?queue=mine&state=HEARING&limit=100',
        { as: 'reviewer' },
      );
      expect(res.status, res.text).toBe(200);
      return res.json.items.find((a) => a.id === app.id);
    };
    await stack.setNow(beijing('2026-04-01', '10:00'));
    const onTime = await queue();
    expect(onTime?.hearing).toMatchObject({ scheduleBy: '2026-04-01' });
    expect(onTime?.hearing?.scheduleOverdue).toBeUndefined();
    await stack.setNow(beijing('2026-04-02', '10:00'));
    expect((await queue())?.hearing?.scheduleOverdue).toBe(true);
    // Past scheduleBy no day is both 7 days ahead and by holdBy (04-08): 04-09 is too late.
    const tooLate = await act<ProblemJson>(stack, app.id, 'schedule_hearing', 'reviewer', {
      at: '2026-04-09T09:30:00+08:00',
      place: '听证室',
    });
    expect(tooLate.status, tooLate.text).toBe(422);
    expect(tooLate.json.type).toMatch(/\/hearing-too-late$/);
  });
});
