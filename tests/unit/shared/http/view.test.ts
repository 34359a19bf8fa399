/** The API view marks provisional dates beside them, from the calendar passed in, and keeps every stored field. */
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../../shared/domain/calendar.ts';
import data from '../../../../shared/domain/calendar-data.json' with { type: 'json' };
import type { Notice } from '../../../../shared/domain/types.ts';
import { applicationView, noticeView } from '../../../../shared/http/view.ts';
import { noticeIdOf } from '../../../../shared/store/keys.ts';
import { at, callers, driveTo } from '../domain/fixtures.ts';

const unpublished = new WorkCalendar(data.years);
const published = new WorkCalendar({ ...data.years, '2027': { holidays: ['2027-01-01'], workdays: [] } });

describe('applicationView', () => {
  it('marks the proposal and the clock of a case whose dates run into 2027, keeping every field', () => {
    const t = driveTo('PUBLIC_NOTICE', 'REPORT_FORM', { on: '2026-12-21' });
    const view = applicationView(t.app, callers.approver, at('2026-12-28'), unpublished);
    expect(view.proposal).toMatchObject({
      ...t.app.proposal,
      provisional: true,
      provisionalDates: ['noticeEndsOn', 'hearingDeadline'],
    });
    // The comment period ended on 2026-12-29: counted inside 2026, not marked.
    expect(view.acceptance).toEqual(t.app.acceptance);
    expect(view.clock?.provisional).toBe(true);

    const later = applicationView(t.app, callers.approver, at('2026-12-28'), published);
    expect(later.proposal).toEqual(t.app.proposal);
    expect(later.acceptance).toEqual(t.app.acceptance);
    expect(later.clock?.provisional).toBe(false);
  });

  it("adds the completeness check's deadline while SUBMITTED, and the expert review's expected end", () => {
    const submitted = driveTo('SUBMITTED', 'REPORT', { on: '2026-12-28' });
    expect(
      applicationView(submitted.app, callers.clerk, at('2026-12-28'), unpublished).completenessCheck,
    ).toEqual(
      expect.objectContaining({ deadline: '2027-01-04', provisional: true, provisionalDates: ['deadline'] }),
    );
    const expert = driveTo('EXPERT_REVIEW', 'REPORT', { on: '2026-03-02' });
    const view = applicationView(expert.app, callers.reviewer, at('2026-03-10'), unpublished);
    expect(view.expertReview).toEqual({ ...expert.app.expertReview, expectedEndsOn: '2026-03-19' });
    expect(view.completenessCheck).toBeUndefined();
  });
});

describe('the clock of a decided case', () => {
  it('says it has stopped, with no days remaining; a running clock says it runs', () => {
    const running = driveTo('UNDER_REVIEW', 'REPORT', { on: '2026-03-02' });
    const open = applicationView(running.app, callers.reviewer, at('2026-03-10'), unpublished).clock;
    expect(open?.stopped).toBe(false);
    expect(open?.remaining).toBeGreaterThan(0);
    expect(open?.stoppedOn).toBeUndefined();

    for (const state of ['APPROVED', 'REJECTED'] as const) {
      const t = driveTo(state, 'REPORT', { on: '2026-03-02' });
      const stoppedOn = t.app.clockState?.stoppedOn;
      expect(stoppedOn, state).toBeDefined();
      // Read a month later: still stopped, nothing left to run, what it used kept.
      const clock = applicationView(t.app, callers.approver, at('2026-05-04'), unpublished).clock;
      expect(clock, state).toMatchObject({
        stopped: true,
        stoppedOn,
        paused: false,
        remaining: 0,
        commitment: expect.objectContaining({ remaining: 0 }),
      });
      expect(clock?.used, state).toBeGreaterThan(0);
    }
  });
});

describe('noticeView', () => {
  const notice: Notice = {
    kind: 'ACCEPTANCE',
    applicationId: 'a-1',
    publishedAt: '2026-12-28T02:00:00.000Z',
    publishedOn: '2026-12-28',
    endsOn: '2027-01-04',
    category: 'REPORT_FORM',
    projectName: '陶瓷窑炉改造',
    location: '醴陵',
    industry: '陶瓷',
    orgName: '醴陵某公司',
  };

  it('says in both languages that the period ends on a provisional date', () => {
    expect(noticeView(notice, unpublished)).toEqual({
      noticeId: noticeIdOf(notice),
      ...notice,
      provisional: true,
      provisionalDates: ['endsOn'],
      provisionalNote: {
        zh: '2027年节假日安排尚未公布，此日期按周一至周五推算，为暂定日期',
        en: '2027 holidays not yet published: this date is counted Monday–Friday and may move',
      },
    });
  });

  it('is the notice itself once the year is published, or when it has no period', () => {
    expect(noticeView(notice, published)).toEqual({ noticeId: noticeIdOf(notice), ...notice });
    const { endsOn: _e, ...decision } = notice;
    expect(noticeView({ ...decision, kind: 'DECISION' }, unpublished)).toEqual({
      noticeId: noticeIdOf({ ...decision, kind: 'DECISION' }),
      ...decision,
      kind: 'DECISION',
    });
  });
});
