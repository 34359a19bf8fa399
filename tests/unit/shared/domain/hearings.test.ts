/**
 * Hearings (shared/domain/hearings.ts and the workflow's request_hearing / schedule_hearing): the
 * dates counted in working days across a holiday, schedule_hearing at its boundaries (7 days ahead
 * and 6; holdBy and the day after), the public window on its last day and the next, the public's
 * first request as `request_hearing` pausing the clock and later ones counted, the case officer's
 * queue, the notifications and a calendar change moving the dates.
 */
import { describe, expect, it } from 'vitest';
import { withHearingRequesters } from '../../../../functions/notifier/notify.ts';
import { beijingDate, chinaCalendar, WorkCalendar } from '../../../../shared/domain/calendar.ts';
import { seedYears } from '../../../../shared/domain/calendar-years.ts';
import { decide } from '../../../../shared/domain/decide.ts';
import {
  ConflictError,
  ForbiddenError,
  RuleError,
  ValidationError,
} from '../../../../shared/domain/errors.ts';
import {
  type HearingRequest,
  hearingDates,
  hearingRequestsOpenUntil,
  hearingWindowRefusal,
  isEmailAddress,
  receiveHearingRequest,
  scheduleRefusal,
} from '../../../../shared/domain/hearings.ts';
import { notificationsFor } from '../../../../shared/domain/notifications.ts';
import { waitsOn } from '../../../../shared/domain/queue.ts';
import { recomputeStep } from '../../../../shared/domain/recompute.ts';
import { replay } from '../../../../shared/domain/replay.ts';
import type { Application, Caller, Notice } from '../../../../shared/domain/types.ts';
import { hearingRequestInput, hearingView } from '../../../../shared/http/hearings.ts';
import { act, at, callers, deepFreeze, driveTo, payloads, refusal } from './fixtures.ts';

const opts = (now: Date) => ({ now, requestId: 'req-hearing', calendar: chinaCalendar });

/** `schedule_hearing` on `app` by `caller` (the case officer unless given), sent on `on` (03-10). */
const scheduleOn = (
  app: Application,
  payload: unknown = { at: '2026-03-20T09:30:00+08:00', place: '听证室' },
  { on = '2026-03-10', caller = callers.reviewer }: { on?: string; caller?: Caller } = {},
) => decide(app, 'schedule_hearing', caller, payload, opts(at(on)));

/** The proposed-decision notice of `app`'s current proposal, as propose_decision published it. */
function noticeOf(app: Application): Notice {
  const p = app.proposal;
  if (!p) throw new Error('no proposal');
  return {
    kind: 'PROPOSED_DECISION',
    applicationId: app.id,
    publishedAt: p.proposedAt,
    publishedOn: p.noticeStartsOn,
    endsOn: p.noticeEndsOn,
    category: app.category,
    projectName: app.project.name,
    location: app.project.location,
    industry: app.project.industry,
    orgName: app.applicant.orgName,
  };
}

const request = (app: Application, n: number, contact = `party${n}@example.com`): HearingRequest => ({
  hearingRequestId: `hr-${n}`,
  applicationId: app.id,
  noticeId: 'notice-1',
  receivedAt: '2026-03-09T02:00:00.000Z',
  name: `利害关系人${n}`,
  contact,
  reason: '对噪声结论有异议',
});

describe('the hearing dates', () => {
  it('hold by 20 working days after the first request, across a holiday; schedule by 7 calendar days before', () => {
    // From 03-09: Qingming (04-04 to 04-06) is not counted, so the 20th working day is 04-07.
    expect(hearingDates('2026-03-09', chinaCalendar)).toEqual({
      holdBy: '2026-04-07',
      scheduleBy: '2026-03-31',
    });
    // Without a holiday in between: four weeks exactly.
    expect(hearingDates('2026-05-11', chinaCalendar)).toEqual({
      holdBy: '2026-06-08',
      scheduleBy: '2026-06-01',
    });
  });
});

describe('schedule_hearing', () => {
  // driveTo: the owner asks for a hearing on 03-09; holdBy 04-07.
  const heard = deepFreeze(driveTo('HEARING').app);
  const schedule = (on: string, day: string, time = '09:30:00+08:00') =>
    scheduleOn(heard, { at: `${day}T${time}`, place: '三楼听证室' }, { on });

  it('is allowed exactly 7 days ahead, and refused 6 days ahead (hearing-too-soon, path at)', () => {
    expect(schedule('2026-03-10', '2026-03-17').app.hearing?.scheduled).toMatchObject({
      at: '2026-03-17T09:30:00+08:00',
      place: '三楼听证室',
      scheduledBy: callers.reviewer.id,
    });
    const error = refusal(() => schedule('2026-03-10', '2026-03-16'), RuleError, 422);
    expect(error.type).toBe('hearing-too-soon');
    expect(error.issues).toEqual([
      {
        path: 'at',
        message: expect.stringContaining('2026-03-17 or later'),
        code: 'custom',
        params: { rule: 'hearing-too-soon', earliest: '2026-03-17', days: 7, day: '2026-03-16' },
      },
    ]);
  });

  it('counts the day in Beijing: 23:30 UTC is the next day there', () => {
    expect(scheduleRefusal(heard, '2026-03-16T16:30:00Z', '2026-03-10', chinaCalendar)).toBeUndefined();
    expect(scheduleRefusal(heard, '2026-03-16T15:30:00Z', '2026-03-10', chinaCalendar)?.type).toBe(
      'hearing-too-soon',
    );
  });

  it('is allowed on holdBy, and refused the day after (hearing-too-late, path at)', () => {
    expect(schedule('2026-03-10', '2026-04-07', '16:00:00+08:00').app.state).toBe('HEARING');
    const error = refusal(() => schedule('2026-03-10', '2026-04-08'), RuleError, 422);
    expect(error.type).toBe('hearing-too-late');
    expect(error.issues).toEqual([
      {
        path: 'at',
        message: expect.stringContaining('2026-04-07'),
        code: 'custom',
        params: expect.objectContaining({ rule: 'hearing-too-late', holdBy: '2026-04-07' }),
      },
    ]);
  });

  it('keeps the clock paused, and may be called again to move the date', () => {
    const first = schedule('2026-03-10', '2026-03-20');
    expect(first.app.clockState?.pauses.at(-1)?.to).toBeUndefined();
    const moved = scheduleOn(
      first.app,
      { at: '2026-03-27T14:00:00+08:00', place: '政务中心' },
      { on: '2026-03-11' },
    );
    expect(moved.app.hearing?.scheduled).toMatchObject({
      at: '2026-03-27T14:00:00+08:00',
      place: '政务中心',
    });
    expect(moved.event).toMatchObject({ action: 'schedule_hearing', from: 'HEARING', to: 'HEARING' });
  });

  it('is for the case officer only, and only in HEARING', () => {
    const by = { caller: callers.otherReviewer };
    refusal(() => scheduleOn(heard, payloads.schedule_hearing, by), ForbiddenError, 403);
    const notice = driveTo('PUBLIC_NOTICE').app;
    refusal(() => scheduleOn(notice, payloads.schedule_hearing), ConflictError, 409);
  });
});

describe('the public hearing window', () => {
  // Proposed on 03-06 (day 4): the hearing deadline is 5 working days later, 03-13.
  const onNotice = deepFreeze(driveTo('PUBLIC_NOTICE').app);
  const notice = noticeOf(onNotice);

  it('is open from the notice day through the hearing deadline, closed the day after', () => {
    expect(onNotice.proposal?.hearingDeadline).toBe('2026-03-13');
    expect(hearingRequestsOpenUntil(onNotice, notice)).toBe('2026-03-13');
    expect(hearingWindowRefusal(onNotice, notice, '2026-03-06')).toBeUndefined();
    expect(hearingWindowRefusal(onNotice, notice, '2026-03-13')).toBeUndefined();
    expect(hearingWindowRefusal(onNotice, notice, '2026-03-14')).toBe(
      'hearing requests on this notice are taken from 2026-03-06 until 2026-03-13',
    );
    expect(hearingWindowRefusal(onNotice, notice, '2026-03-05')).toMatch(/from 2026-03-06/);
  });

  it('is closed on an acceptance notice, an old proposal, a withdrawn case and a hearing already held', () => {
    expect(hearingWindowRefusal(onNotice, { ...notice, kind: 'ACCEPTANCE' }, '2026-03-09')).toMatch(
      /notice of a proposed decision/,
    );
    expect(
      hearingWindowRefusal(onNotice, { ...notice, publishedAt: '2026-03-01T02:00:00.000Z' }, '2026-03-09'),
    ).toMatch(/no longer the current one/);
    const withdrawn = act(
      { app: onNotice, events: [], steps: [], now: at('2026-03-06') },
      'withdraw',
      callers.owner,
      {},
      at('2026-03-09'),
    ).app;
    expect(hearingWindowRefusal(withdrawn, notice, '2026-03-09')).toMatch(/withdrawn/);
    const held = decide(
      driveTo('HEARING').app,
      'record_hearing_outcome',
      callers.reviewer,
      payloads.record_hearing_outcome,
      opts(at('2026-03-10')),
    ).app;
    expect(held.state).toBe('PUBLIC_NOTICE');
    expect(hearingRequestsOpenUntil(held, notice)).toBeUndefined();
    expect(hearingWindowRefusal(held, notice, '2026-03-10')).toMatch(/was held/);
  });
});

describe('an interested party’s request', () => {
  const trail = driveTo('PUBLIC_NOTICE');
  const onNotice = deepFreeze(trail.app);
  const now = at('2026-03-09', '10:00');

  it('first: request_hearing by the public, PUBLIC_NOTICE → HEARING, the clock paused, no reason in the trail', () => {
    const step = receiveHearingRequest(onNotice, request(onNotice, 1), opts(now));
    expect(step.event).toMatchObject({
      action: 'request_hearing',
      actor: { id: 'public', role: 'system' },
      from: 'PUBLIC_NOTICE',
      to: 'HEARING',
      payload: {
        noticeId: 'notice-1',
        hearingRequestId: 'hr-1',
        name: '利害关系人1',
        contact: 'party1@example.com',
      },
    });
    expect(JSON.stringify(step.event)).not.toContain('对噪声结论有异议');
    expect(step.app.state).toBe('HEARING');
    expect(step.app.clockState?.pauses.at(-1)).toEqual({ from: '2026-03-09' });
    expect(step.app.hearing).toEqual({
      reason: '',
      requestedAt: now.toISOString(),
      origin: 'public',
      requests: 1,
      holdBy: '2026-04-07',
      scheduleBy: '2026-03-31',
    });
    // The event alone rebuilds it.
    expect(replay([...trail.events, step.event])).toMatchObject({
      state: 'HEARING',
      hearing: step.app.hearing,
    });

    const second = receiveHearingRequest(step.app, request(step.app, 2), opts(at('2026-03-10')));
    expect(second.event).toMatchObject({
      action: 'receive_hearing_request',
      actor: { id: 'public' },
      from: 'HEARING',
      to: 'HEARING',
    });
    expect(second.app.hearing).toMatchObject({ requests: 2, origin: 'public', holdBy: '2026-04-07' });
    expect(second.app.clockState).toEqual(step.app.clockState);
  });

  it('after the applicant’s own request: counted, the applicant stays first', () => {
    const heard = driveTo('HEARING').app;
    expect(heard.hearing).toMatchObject({ origin: 'applicant', holdBy: '2026-04-07' });
    const step = receiveHearingRequest(heard, request(heard, 1), opts(at('2026-03-10')));
    expect(step.event.action).toBe('receive_hearing_request');
    expect(step.app.hearing).toMatchObject({
      origin: 'applicant',
      requests: 1,
      reason: payloads.request_hearing.reason,
    });
  });

  it('then leaves the applicant no second request on the same proposal (409 in HEARING)', () => {
    const step = receiveHearingRequest(onNotice, request(onNotice, 1), opts(now));
    refusal(
      () => decide(step.app, 'request_hearing', callers.owner, payloads.request_hearing, opts(now)),
      ConflictError,
      409,
    );
  });

  it('reads a contact as an e-mail address only when it is one', () => {
    expect(isEmailAddress('party.one@example.com')).toBe(true);
    expect(isEmailAddress(' a@b.cn ')).toBe(true);
    for (const c of [
      '13873300001',
      '0731-23456789',
      'a@b',
      'a b@example.com',
      '微信 abc',
      'x@y.com, z@w.com',
    ])
      expect(isEmailAddress(c), c).toBe(false);
  });
});

describe("the case officer's queue", () => {
  it('is due by scheduleBy until the hearing is scheduled, then by the clock', () => {
    const heard = driveTo('HEARING').app;
    expect(waitsOn(heard)).toEqual({ userId: callers.reviewer.id, due: '2026-03-31' });
    const scheduled = scheduleOn(heard).app;
    const due = waitsOn(scheduled)?.due;
    expect(due).toBeDefined();
    expect(due).not.toBe('2026-03-31');
    expect(waitsOn(scheduled)).toEqual({ userId: callers.reviewer.id, due });
  });
});

describe('notifications', () => {
  const onNotice = driveTo('PUBLIC_NOTICE').app;
  const first = receiveHearingRequest(onNotice, request(onNotice, 1), opts(at('2026-03-09')));

  it('tell the case officer of the public’s first request, with the day to schedule by', () => {
    const [n, ...more] = notificationsFor(first.event, first.app);
    expect(more).toEqual([]);
    expect(n?.recipients).toEqual([{ kind: 'user', id: callers.reviewer.id }]);
    expect(n?.deadline).toBe('2026-03-31');
    expect(n?.body.zh).toContain('2026-03-31');
    expect(n?.body.zh).toContain('2026-04-07');
    expect(n?.body.en).toContain('schedule the hearing by 2026-03-31');
    // Plain words: no action names or states.
    expect(`${n?.body.zh}${n?.body.en}`).not.toMatch(/request_hearing|HEARING|PUBLIC_NOTICE/);
  });

  it('tell nobody of the applicant’s own request, nor of a later public one', () => {
    const heard = driveTo('HEARING');
    expect(notificationsFor(heard.events.at(-1) ?? first.event, heard.app)).toEqual([]);
    const second = receiveHearingRequest(first.app, request(first.app, 2), opts(at('2026-03-10')));
    expect(notificationsFor(second.event, second.app)).toEqual([]);
  });

  it('tell the applicant and the requesters of the scheduled hearing: date, time, place, zh first', () => {
    const step = scheduleOn(first.app, { at: '2026-03-20T01:30:00Z', place: '醴陵市生态环境局三楼听证室' });
    const [n] = notificationsFor(step.event, step.app);
    expect(n?.recipients).toEqual([
      { kind: 'user', id: callers.owner.id },
      { kind: 'hearingRequesters', applicationId: first.app.id, since: first.app.hearing?.requestedAt },
    ]);
    expect(n?.body.zh).toContain('2026-03-20 09:30');
    expect(n?.body.zh).toContain('醴陵市生态环境局三楼听证室');
    expect(n?.body.en).toContain('2026-03-20 09:30 (Beijing time)');
    // Without public requests, the applicant alone.
    const own = driveTo('HEARING').app;
    const alone = scheduleOn(own, payloads.schedule_hearing);
    expect(notificationsFor(alone.event, alone.app)[0]?.recipients).toEqual([
      { kind: 'user', id: callers.owner.id },
    ]);
  });

  it('tell someone who asks once the hearing is scheduled its date, and nobody else', () => {
    const scheduled = scheduleOn(first.app, { at: '2026-03-20T01:30:00Z', place: '三楼听证室' });
    const late = receiveHearingRequest(scheduled.app, request(scheduled.app, 7), opts(at('2026-03-11')));
    const [n, ...more] = notificationsFor(late.event, late.app);
    expect(more).toEqual([]);
    expect(n?.recipients).toEqual([
      { kind: 'hearingRequesters', applicationId: first.app.id, hearingRequestId: 'hr-7' },
    ]);
    expect(n?.body.zh).toContain('2026-03-20 09:30');
    expect(n?.body.zh).toContain('三楼听证室');
  });

  it('reach only the requests of the current hearing, or the one named', async () => {
    const earlier = { ...request(onNotice, 1), receivedAt: '2026-01-05T02:00:00.000Z' };
    const current = { ...request(onNotice, 2), receivedAt: '2026-03-09T02:00:00.000Z' };
    const directory = withHearingRequesters(
      { addressesOf: async () => [] },
      { hearingRequests: async () => ({ items: [earlier, current] }) },
    );
    const of = (r: Partial<{ since: string; hearingRequestId: string }>) =>
      directory.addressesOf({ kind: 'hearingRequesters', applicationId: onNotice.id, ...r });
    expect(await of({ since: '2026-03-09T02:00:00.000Z' })).toEqual(['party2@example.com']);
    expect(await of({ hearingRequestId: 'hr-1' })).toEqual(['party1@example.com']);
    expect(await of({})).toEqual(['party1@example.com', 'party2@example.com']);
  });

  it('reach the requesters through their e-mail contacts, read when sending, page by page', async () => {
    const pages = [
      { items: [request(onNotice, 1), request(onNotice, 2, '13873300001')], lastKey: { sk: 'x' } },
      { items: [request(onNotice, 3, ' p3@example.org ')] },
    ];
    const asked: unknown[] = [];
    const directory = withHearingRequesters(
      { addressesOf: async () => ['someone@liling.example'] },
      {
        hearingRequests: async (id, _limit, startKey) => {
          asked.push([id, startKey]);
          return pages[asked.length - 1] ?? { items: [] };
        },
      },
    );
    expect(await directory.addressesOf({ kind: 'hearingRequesters', applicationId: onNotice.id })).toEqual([
      'party1@example.com',
      'p3@example.org',
    ]);
    expect(asked).toEqual([
      [onNotice.id, undefined],
      [onNotice.id, { sk: 'x' }],
    ]);
    expect(await directory.addressesOf({ kind: 'user', id: 'u' })).toEqual(['someone@liling.example']);
  });
});

describe('the hearing as the API shows it', () => {
  it('is overdue from the day after scheduleBy while not scheduled, and never once scheduled', () => {
    const heard = driveTo('HEARING').app;
    expect(hearingView(heard, '2026-03-31', chinaCalendar)).not.toHaveProperty('scheduleOverdue');
    expect(hearingView(heard, '2026-04-01', chinaCalendar)).toMatchObject({ scheduleOverdue: true });
    const scheduled = scheduleOn(heard).app;
    expect(hearingView(scheduled, '2026-04-01', chinaCalendar)).not.toHaveProperty('scheduleOverdue');
  });

  it('marks holdBy and scheduleBy provisional when counted through a year not yet published', () => {
    const late = driveTo('HEARING', 'REPORT', { on: '2026-12-01' }).app;
    expect(hearingView(late, '2026-12-09', chinaCalendar)).toMatchObject({
      provisional: true,
      provisionalDates: expect.arrayContaining(['holdBy']),
    });
    expect(hearingView(driveTo('HEARING').app, '2026-03-10', chinaCalendar)).not.toHaveProperty(
      'provisional',
    );
  });
});

describe('a calendar change', () => {
  it('moves holdBy and scheduleBy of a hearing not yet held, and its queue date', () => {
    // Asked for on 12-08 (day 5 from 12-01): 20 working days reach into 2027.
    const trail = driveTo('HEARING', 'REPORT', { on: '2026-12-01' });
    const app = deepFreeze(trail.app);
    expect(beijingDate(app.hearing?.requestedAt ?? '')).toBe('2026-12-08');
    const before = app.hearing?.holdBy ?? '';
    const published = new WorkCalendar({
      ...seedYears,
      '2027': { holidays: ['2027-01-01', '2027-01-04'], workdays: [] },
    });
    const counted = hearingDates('2026-12-08', published);
    expect(counted.holdBy > before).toBe(true);
    const step = recomputeStep(
      app,
      { queueDue: app.hearing?.scheduleBy ?? '' },
      { now: at('2026-12-20'), requestId: 'recompute', calendar: published },
    );
    expect(step?.app.hearing).toMatchObject(counted);
    expect(step?.event.payload).toMatchObject({
      before: { holdBy: before },
      after: { holdBy: counted.holdBy, scheduleBy: counted.scheduleBy, queueDue: counted.scheduleBy },
    });
    expect(replay([...trail.events, step?.event].filter((e) => e !== undefined))).toEqual(step?.app);
  });
});

describe('the request body', () => {
  it('takes name, contact and reason, trimmed, and names every bad field', () => {
    expect(hearingRequestInput({ name: ' 张三 ', contact: 'a@b.cn', reason: ' 异议 ' })).toEqual({
      name: '张三',
      contact: 'a@b.cn',
      reason: '异议',
    });
    const error = refusal(
      () => hearingRequestInput({ name: 'x'.repeat(101), reason: '\u0000', extra: 1 }),
      ValidationError,
      400,
    );
    expect(error.issues?.map((i) => i.path)).toEqual(['name', 'contact', 'reason', 'extra']);
  });
});
