/**
 * The rules of docs/workflow.md and docs/clocks.md, one `it` each. Expected dates are worked out by hand from the 2026
 * State Council calendar (see the comments), never computed with the calendar under test.
 */
import { describe, expect, it } from 'vitest';
import { viewClock } from '../../../../shared/domain/clock.ts';
import {
  allowedActions,
  canSee,
  createApplication,
  decide,
  editApplication,
} from '../../../../shared/domain/decide.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleError,
  ValidationError,
} from '../../../../shared/domain/errors.ts';
import type { Application, Caller, State } from '../../../../shared/domain/types.ts';
import {
  act,
  at,
  callers,
  createBody,
  driveTo,
  material,
  newId,
  ORG_CODE,
  OTHER_ORG_CODE,
  paths,
  payloads,
  refusal,
  start,
  type Trail,
} from './fixtures.ts';

const opts = (now: Date) => ({ now, requestId: 'req-rule' });
const clockOf = (app: Application) => {
  if (!app.clockState) throw new Error(`${app.id} has no clock`);
  return app.clockState;
};

/** REPORT_FORM accepted by the clerk on Mon 2026-03-02, review started 03-03 by `reviewer`. */
function underReview(category: 'REPORT' | 'REPORT_FORM' = 'REPORT_FORM'): Trail {
  let t = start(category, { on: '2026-03-02' });
  t = act(t, 'submit', callers.owner, {}, at('2026-03-02', '10:00'));
  t = act(t, 'accept', callers.clerk, {}, at('2026-03-02', '15:00'));
  return act(t, 'start_review', callers.reviewer, {}, at('2026-03-03'));
}

const OPEN: readonly State[] = [
  'DRAFT',
  'PREVIEW_REQUESTED',
  'SUBMITTED',
  'SUPPLEMENT_REQUIRED',
  'ACCEPTED',
  'UNDER_REVIEW',
  'EXPERT_REVIEW',
  'REVISION_REQUIRED',
  'PUBLIC_NOTICE',
  'HEARING',
];

describe('submit', () => {
  it('names every missing material code at once', () => {
    const t = start('REPORT', { materials: ['APPLICATION_LETTER', 'EIA_DOCUMENT'] });
    const error = refusal(
      () => decide(t.app, 'submit', callers.owner, {}, opts(at('2026-03-02'))),
      RuleError,
      422,
    );
    const missing = [
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
      'BUSINESS_LICENSE',
      'PUBLIC_PARTICIPATION',
    ];
    for (const code of missing) expect(error.message).toContain(code);
    expect(error.message).not.toContain('APPLICATION_LETTER');
    expect(allowedActions(t.app, callers.owner, { now: at('2026-03-02') })).not.toContain('submit');
  });

  it('does not ask a REPORT_FORM for the public participation statement', () => {
    const t = start('REPORT_FORM', { materials: ['EIA_DOCUMENT'] });
    const error = refusal(
      () => decide(t.app, 'submit', callers.owner, {}, opts(at('2026-03-02'))),
      RuleError,
      422,
    );
    for (const code of [
      'APPLICATION_LETTER',
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
      'BUSINESS_LICENSE',
    ]) {
      expect(error.message).toContain(code);
    }
    expect(error.message).not.toContain('PUBLIC_PARTICIPATION');
  });

  it('files a REGISTRATION at once, with a receipt number and a FILING notice', () => {
    const t = start('REGISTRATION', { on: '2026-03-02' });
    const s = decide(
      t.app,
      'submit',
      callers.owner,
      {},
      {
        ...opts(at('2026-03-02', '11:00')),
        counters: { 'receipt#2026': 6 },
      },
    );
    expect(s.app.state).toBe('FILED');
    expect(s.event).toMatchObject({ from: 'DRAFT', to: 'FILED', action: 'submit', seq: 2 });
    // The next of the receipt series of the year.
    expect(s.app.receiptNumber).toBe('醴环备〔2026〕7号');
    expect(s.app.documents).toEqual([
      {
        documentId: 'FILING_RECEIPT-2',
        kind: 'FILING_RECEIPT',
        number: '醴环备〔2026〕7号',
        issuedOn: '2026-03-02',
        seq: 2,
      },
    ]);
    expect(s.issued).toEqual({ ref: s.app.documents?.[0], series: 'receipt', year: 2026, read: 6 });
    expect(s.notice).toMatchObject({
      kind: 'FILING',
      applicationId: t.app.id,
      number: s.app.receiptNumber,
      publishedOn: '2026-03-02',
      category: 'REGISTRATION',
    });
    expect(s.app.caseNumber).toBeUndefined();
    expect(s.app.clockState).toBeUndefined();
  });

  it('moves a REPORT to SUBMITTED with the date of receipt and publishes nothing', () => {
    const t = start('REPORT');
    // 23:30 UTC on 03-01 is 07:30 on Mon 03-02 in Beijing.
    const s = decide(t.app, 'submit', callers.owner, {}, opts(new Date('2026-03-01T23:30:00Z')));
    expect(s.app).toMatchObject({ state: 'SUBMITTED', receivedOn: '2026-03-02' });
    expect(s.app.receiptNumber).toBeUndefined();
    expect(s.app.documents).toBeUndefined();
    expect(s.issued).toBeUndefined();
    expect(s.notice).toBeUndefined();
  });
});

describe('request_supplement', () => {
  it('refuses a second notice', () => {
    let t = driveTo('SUPPLEMENT_REQUIRED');
    t = act(t, 'resubmit', callers.owner, payloads.resubmit, at('2026-03-04'));
    expect(t.app.state).toBe('SUBMITTED');
    refusal(
      () =>
        decide(
          t.app,
          'request_supplement',
          callers.clerk,
          payloads.request_supplement,
          opts(at('2026-03-04', '15:00')),
        ),
      RuleError,
      422,
    );
    expect(allowedActions(t.app, callers.clerk, { now: at('2026-03-04', '15:00') })).toEqual([
      'accept',
      'decline',
    ]);
  });

  it('lists every item, with its reason, in one notice', () => {
    const t = driveTo('SUBMITTED');
    const items = [
      { code: 'PUBLIC_VERSION', reason: '未删除商业秘密' },
      { code: 'LAND_USE_OPINION', reason: '已过有效期' },
    ];
    const s = decide(t.app, 'request_supplement', callers.clerk, { items }, opts(at('2026-03-03')));
    expect(s.app.state).toBe('SUPPLEMENT_REQUIRED');
    expect(s.app.supplement).toMatchObject({
      items,
      requestedBy: callers.clerk.id,
      requestedAt: '2026-03-03T02:00:00.000Z',
    });
  });

  it('refuses items with unknown material codes, naming the path', () => {
    const t = driveTo('SUBMITTED');
    const items = [
      { code: 'PUBLIC_VERSION', reason: '未删除商业秘密' },
      { code: 'FENG_SHUI_REPORT', reason: '缺失' },
    ];
    const error = refusal(
      () => decide(t.app, 'request_supplement', callers.clerk, { items }, opts(at('2026-03-03'))),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['items.1.code']);
  });

  it('refuses an empty notice', () => {
    const t = driveTo('SUBMITTED');
    const error = refusal(
      () => decide(t.app, 'request_supplement', callers.clerk, { items: [] }, opts(at('2026-03-03'))),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['items']);
  });

  it('refuses the same material listed twice', () => {
    const t = driveTo('SUBMITTED');
    const items = [
      { code: 'PUBLIC_VERSION', reason: 'a' },
      { code: 'PUBLIC_VERSION', reason: 'b' },
    ];
    const error = refusal(
      () => decide(t.app, 'request_supplement', callers.clerk, { items }, opts(at('2026-03-03'))),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['items.1.code']);
  });
});

describe('resubmit', () => {
  const noticed = () =>
    act(
      driveTo('SUBMITTED'),
      'request_supplement',
      callers.clerk,
      {
        items: [
          { code: 'PUBLIC_VERSION', reason: '未删除商业秘密' },
          { code: 'LAND_USE_OPINION', reason: '已过有效期' },
        ],
      },
      at('2026-03-03'),
    );

  it('must answer every listed item', () => {
    const t = noticed();
    const error = refusal(
      () =>
        decide(
          t.app,
          'resubmit',
          callers.owner,
          { materials: [material('PUBLIC_VERSION', 2)] },
          opts(at('2026-03-05')),
        ),
      RuleError,
      422,
    );
    expect(error.message).toContain('LAND_USE_OPINION');
    expect(error.message).not.toContain('PUBLIC_VERSION');
    expect(paths(error)).toEqual(['materials']);
  });

  it('returns to SUBMITTED when every item is answered, with a new date of receipt', () => {
    const t = noticed();
    const answers = [material('PUBLIC_VERSION', 2), material('LAND_USE_OPINION', 2)];
    const s = decide(t.app, 'resubmit', callers.owner, { materials: answers }, opts(at('2026-03-05')));
    expect(s.app).toMatchObject({ state: 'SUBMITTED', receivedOn: '2026-03-05' });
    expect(s.app.supplement?.answeredAt).toBe('2026-03-05T02:00:00.000Z');
    expect(s.app.materials).toHaveLength(7);
    expect(s.app.materials.find((m) => m.code === 'PUBLIC_VERSION')).toEqual(answers[0]);
    expect(s.app.materials.find((m) => m.code === 'EIA_DOCUMENT')).toEqual(material('EIA_DOCUMENT'));
  });
});

describe('accept', () => {
  it.each([
    // 10 working days after Tue 03-03: 03-04..06 (3), 03-09..13 (8), 03-16, 03-17 (10)
    { category: 'REPORT', limitDays: 60, commitmentDays: 15, commentEndsOn: '2026-03-17' },
    // 5 working days after Tue 03-03: 03-04..06 (3), 03-09, 03-10 (5)
    { category: 'REPORT_FORM', limitDays: 30, commitmentDays: 7, commentEndsOn: '2026-03-10' },
  ] as const)(
    'starts the $category clock today and publishes the acceptance notice with its comment period',
    ({ category, limitDays, commitmentDays, commentEndsOn }) => {
      const t = driveTo('SUBMITTED', category);
      const s = decide(t.app, 'accept', callers.clerk, {}, opts(at('2026-03-03', '16:00')));
      expect(s.app.state).toBe('ACCEPTED');
      expect(s.app.caseNumber).toMatch(/^LLHS-2026-[0-9A-Z]{8}$/);
      expect(s.app.clockState).toEqual({
        startedOn: '2026-03-03',
        limitDays,
        dayType: 'WORKING',
        commitmentDays,
        pauses: [],
        // Its comment period does not count toward the commitment (docs/clocks.md#the-commitment).
        noticePeriods: [{ kind: 'comment', from: '2026-03-03', to: commentEndsOn }],
      });
      expect(s.app.acceptance).toEqual({
        acceptedOn: '2026-03-03',
        deemed: false,
        noticePublishedOn: '2026-03-03',
        commentEndsOn,
      });
      expect(s.notice).toMatchObject({
        kind: 'ACCEPTANCE',
        applicationId: t.app.id,
        number: s.app.caseNumber,
        publishedOn: '2026-03-03',
        endsOn: commentEndsOn,
        category,
        projectName: t.app.project.name,
      });
    },
  );

  it('deems acceptance by system only after 5 working days from receipt, across National Day', () => {
    /*
     * Received Tue 2026-09-29. Working days after it: Wed 09-30 (1), holiday 10-01..07,
     * Thu 10-08 (2), Fri 10-09 (3), Sat 10-10 调休 (4), Mon 10-12 (5). The window may act until
     * 10-12; the sweeper's acceptance is possible from Tue 10-13.
     */
    const t = driveTo('SUBMITTED', 'REPORT', { on: '2026-09-29' });
    expect(t.app.receivedOn).toBe('2026-09-29');
    for (const now of [at('2026-10-07'), at('2026-10-09'), at('2026-10-11'), at('2026-10-12', '23:59')]) {
      refusal(() => decide(t.app, 'accept', callers.system, {}, opts(now)), RuleError, 422);
      expect(allowedActions(t.app, callers.system, { now })).toEqual([]);
    }
    const now = at('2026-10-13', '00:05');
    expect(allowedActions(t.app, callers.system, { now })).toEqual(['accept']);
    const s = decide(t.app, 'accept', callers.system, {}, opts(now));
    expect(s.event.actor).toEqual({ id: callers.system.id, role: 'system', name: callers.system.name });
    expect(s.app.acceptance).toEqual({
      acceptedOn: '2026-09-29',
      deemed: true,
      noticePublishedOn: '2026-10-13',
      // 10 working days after 10-13: 10-14..16 (3), 10-19..23 (8), 10-26, 10-27 (10)
      commentEndsOn: '2026-10-27',
    });
    expect(clockOf(s.app).startedOn).toBe('2026-09-29');
    // 60 working days from 09-29: 09-30, 10-08, 10-09, 10-10 (4) … 12-21..25 (59), Mon 12-28 (60)
    expect(viewClock(clockOf(s.app), '2026-10-13').dueDate).toBe('2026-12-28');
  });

  it('is not deemed when the clerk accepts', () => {
    const t = driveTo('SUBMITTED', 'REPORT', { on: '2026-09-29' });
    const s = decide(t.app, 'accept', callers.clerk, {}, opts(at('2026-09-30')));
    expect(s.app.acceptance?.deemed).toBe(false);
    expect(s.event.actor.role).toBe('clerk');
  });

  it('is refused to anyone but the clerk and system', () => {
    const t = driveTo('SUBMITTED');
    for (const caller of [callers.owner, callers.reviewer, callers.approver, callers.auditor]) {
      refusal(() => decide(t.app, 'accept', caller, {}, opts(at('2026-03-20'))), ForbiddenError, 403);
    }
  });
});

describe('decline', () => {
  it('needs a reason', () => {
    const t = driveTo('SUBMITTED');
    const error = refusal(
      () => decide(t.app, 'decline', callers.clerk, {}, opts(at('2026-03-03'))),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['reason']);
    const s = decide(
      t.app,
      'decline',
      callers.clerk,
      { reason: '  不属于本局审批权限 ' },
      opts(at('2026-03-03')),
    );
    expect(s.app).toMatchObject({ state: 'NOT_ACCEPTED', declineReason: '不属于本局审批权限' });
  });
});

describe('start_review', () => {
  it('makes the caller the case officer', () => {
    const t = driveTo('ACCEPTED');
    const s = decide(t.app, 'start_review', callers.otherReviewer, {}, opts(at('2026-03-04')));
    expect(s.app).toMatchObject({ state: 'UNDER_REVIEW', caseOfficerId: callers.otherReviewer.id });
    const now = at('2026-03-05');
    refusal(
      () => decide(s.app, 'start_expert_review', callers.reviewer, payloads.start_expert_review, opts(now)),
      ForbiddenError,
      403,
    );
    expect(allowedActions(s.app, callers.reviewer, { now })).toEqual([]);
    expect(allowedActions(s.app, callers.otherReviewer, { now }).sort()).toEqual(
      ['propose_decision', 'request_revision', 'start_expert_review'].sort(),
    );
  });
});

describe('the review clock', () => {
  /*
   * REPORT_FORM, 30 working days from Mon 03-02: 03-03..06 (4), 03-09..13 (9), 03-16..20 (14),
   * 03-23..27 (19), 03-30..04-03 (24), Qingming 04-04..06, 04-07..10 (28), 04-13, Tue 04-14 (30).
   * Paused on Thu 03-05 and resumed on Thu 03-12: 03-06, 09, 10, 11, 12 (5 working days) do not
   * count, so the due date moves to 04-15, 16, 17, 20, Tue 04-21.
   */
  const cases: { name: string; pause: (t: Trail) => Trail; resume: (t: Trail) => Trail; back: State }[] = [
    {
      name: 'expert review',
      pause: (t) =>
        act(t, 'start_expert_review', callers.reviewer, { expectedWorkingDays: 5 }, at('2026-03-05')),
      resume: (t) =>
        act(t, 'record_expert_opinion', callers.reviewer, payloads.record_expert_opinion, at('2026-03-12')),
      back: 'UNDER_REVIEW',
    },
    {
      name: 'a revision',
      pause: (t) => act(t, 'request_revision', callers.reviewer, payloads.request_revision, at('2026-03-05')),
      resume: (t) => act(t, 'submit_revision', callers.owner, { response: '已修改' }, at('2026-03-12')),
      back: 'UNDER_REVIEW',
    },
    {
      name: 'a hearing',
      pause: (t) =>
        act(
          act(t, 'propose_decision', callers.reviewer, payloads.propose_decision, at('2026-03-04')),
          'request_hearing',
          callers.owner,
          payloads.request_hearing,
          at('2026-03-05'),
        ),
      resume: (t) =>
        act(t, 'record_hearing_outcome', callers.reviewer, payloads.record_hearing_outcome, at('2026-03-12')),
      back: 'PUBLIC_NOTICE',
    },
  ];

  it.each(cases)(
    'pauses for $name, and resuming moves the due date by the paused working days',
    ({ pause, resume, back }) => {
      const reviewing = underReview();
      expect(viewClock(clockOf(reviewing.app), '2026-03-04').dueDate).toBe('2026-04-14');

      const paused = pause(reviewing);
      expect(clockOf(paused.app).pauses).toEqual([{ from: '2026-03-05' }]);
      expect(viewClock(clockOf(paused.app), '2026-03-09')).toMatchObject({ paused: true, used: 3 });

      const resumed = resume(paused);
      expect(resumed.app.state).toBe(back);
      expect(clockOf(resumed.app).pauses).toEqual([{ from: '2026-03-05', to: '2026-03-12' }]);
      expect(viewClock(clockOf(resumed.app), '2026-03-12')).toMatchObject({
        paused: false,
        used: 3,
        pausedDays: 5,
        dueDate: '2026-04-21',
      });
    },
  );

  it('stops when the application reaches a terminal state', () => {
    const t = act(underReview(), 'withdraw', callers.owner, {}, at('2026-03-10'));
    expect(clockOf(t.app).stoppedOn).toBe('2026-03-10');
  });

  it('tells the applicant the expected working days of the expert review', () => {
    const t = act(
      underReview(),
      'start_expert_review',
      callers.reviewer,
      payloads.start_expert_review,
      at('2026-03-05'),
    );
    expect(t.app.expertReview).toMatchObject({ expectedWorkingDays: 10, panel: ['刘专家', '陈专家'] });
  });
});

describe('propose_decision', () => {
  it('refuses to propose reject without reasons', () => {
    const t = driveTo('UNDER_REVIEW');
    const error = refusal(
      () =>
        decide(t.app, 'propose_decision', callers.reviewer, { proposal: 'reject' }, opts(at('2026-03-06'))),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['reasons']);
  });

  it('publishes the proposed decision for 5 working days', () => {
    const t = underReview();
    // Wed 03-04 + 5 working days: 03-05, 06, 09, 10, Wed 03-11
    const s = decide(
      t.app,
      'propose_decision',
      callers.reviewer,
      payloads.propose_decision,
      opts(at('2026-03-04')),
    );
    expect(s.app.state).toBe('PUBLIC_NOTICE');
    expect(s.app.proposal).toMatchObject({
      proposal: 'approve',
      proposedBy: callers.reviewer.id,
      noticeStartsOn: '2026-03-04',
      noticeEndsOn: '2026-03-11',
      hearingDeadline: '2026-03-11',
    });
    expect(s.notice).toMatchObject({
      kind: 'PROPOSED_DECISION',
      endsOn: '2026-03-11',
      outcome: 'approve',
      number: t.app.caseNumber,
    });
  });
});

describe('approve', () => {
  // driveTo proposes on Fri 03-06; the notice runs 03-09..13, so it ends on Fri 03-13.
  it('is refused until the notice period ends, and allowed from the day after noticeEndsOn (Beijing time)', () => {
    const t = driveTo('PUBLIC_NOTICE');
    expect(t.app.proposal?.noticeEndsOn).toBe('2026-03-13');
    for (const now of [at('2026-03-09'), at('2026-03-13', '23:59'), new Date('2026-03-13T15:59:00Z')]) {
      refusal(() => decide(t.app, 'approve', callers.approver, {}, opts(now)), RuleError, 422);
      refusal(() => decide(t.app, 'reject', callers.approver, payloads.reject, opts(now)), RuleError, 422);
      expect(allowedActions(t.app, callers.approver, { now })).toEqual(['return_to_review']);
    }
    // 16:00 UTC on 03-13 is midnight on Sat 03-14 in Beijing.
    const now = new Date('2026-03-13T16:00:00Z');
    expect(allowedActions(t.app, callers.approver, { now }).sort()).toEqual([
      'approve',
      'reject',
      'return_to_review',
    ]);
    expect(decide(t.app, 'approve', callers.approver, {}, opts(now)).app.state).toBe('APPROVED');
  });

  it('is refused when reject was proposed', () => {
    const t = driveTo('PUBLIC_NOTICE', 'REPORT', { proposal: 'reject' });
    const error = refusal(
      () => decide(t.app, 'approve', callers.approver, {}, opts(at('2026-03-20'))),
      RuleError,
      422,
    );
    expect(error.message).toContain('not proposed');
    expect(decide(t.app, 'reject', callers.approver, payloads.reject, opts(at('2026-03-20'))).app.state).toBe(
      'REJECTED',
    );
  });

  it('refuses the proposer, even when they hold the approver role', () => {
    const t = driveTo('PUBLIC_NOTICE', 'REPORT', { caseOfficer: callers.reviewerApprover });
    expect(t.app.proposal?.proposedBy).toBe(callers.reviewerApprover.id);
    const now = at('2026-03-20');
    const error = refusal(
      () => decide(t.app, 'approve', callers.reviewerApprover, {}, opts(now)),
      ForbiddenError,
      403,
    );
    expect(error.type).toBe('separation-of-duties');
    refusal(
      () => decide(t.app, 'reject', callers.reviewerApprover, payloads.reject, opts(now)),
      ForbiddenError,
      403,
    );
    expect(allowedActions(t.app, callers.reviewerApprover, { now })).toEqual(['return_to_review']);
    expect(decide(t.app, 'approve', callers.approver, {}, opts(now)).app.state).toBe('APPROVED');
  });

  it('lets a reviewer-approver approve what someone else proposed, acting as approver', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const s = decide(t.app, 'approve', callers.reviewerApprover, {}, opts(at('2026-03-20')));
    expect(s.event.actor).toEqual({
      id: callers.reviewerApprover.id,
      role: 'approver',
      name: callers.reviewerApprover.name,
    });
  });

  it('assigns the decision number, keeps the proposed conditions and publishes the decision', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const s = decide(t.app, 'approve', callers.approver, {}, opts(at('2026-03-18')));
    // No counter read: the first of the year (a stale guess makes the commit's condition fail).
    expect(s.app.decisionNumber).toBe('醴环评〔2026〕1号');
    expect(s.app.documents?.at(-1)).toEqual({
      documentId: `APPROVAL-${t.app.version + 1}`,
      kind: 'APPROVAL',
      number: '醴环评〔2026〕1号',
      issuedOn: '2026-03-18',
      seq: t.app.version + 1,
    });
    expect(s.event.changes.documents).toEqual(s.app.documents);
    expect(s.app.decision).toMatchObject({
      outcome: 'APPROVED',
      conditions: payloads.propose_decision.conditions,
      decidedBy: callers.approver.id,
    });
    expect(s.notice).toMatchObject({ kind: 'DECISION', outcome: 'APPROVED', number: s.app.decisionNumber });
    expect(clockOf(s.app).stoppedOn).toBe('2026-03-18');
  });
});

describe('reject', () => {
  it('needs reasons', () => {
    const t = driveTo('PUBLIC_NOTICE');
    for (const payload of [{}, { reasons: [] }, { reasons: ['  '] }]) {
      refusal(
        () => decide(t.app, 'reject', callers.approver, payload, opts(at('2026-03-18'))),
        ValidationError,
        400,
      );
    }
    const s = decide(t.app, 'reject', callers.approver, payloads.reject, opts(at('2026-03-18')));
    expect(s.app.decision).toMatchObject({ outcome: 'REJECTED', reasons: payloads.reject.reasons });
    expect(s.notice).toMatchObject({
      kind: 'DECISION',
      outcome: 'REJECTED',
      reasons: payloads.reject.reasons,
    });
  });
});

describe('return_to_review', () => {
  it('needs a reason and withdraws the proposal', () => {
    const t = driveTo('PUBLIC_NOTICE');
    refusal(
      () => decide(t.app, 'return_to_review', callers.approver, {}, opts(at('2026-03-09'))),
      ValidationError,
      400,
    );
    const s = decide(
      t.app,
      'return_to_review',
      callers.approver,
      payloads.return_to_review,
      opts(at('2026-03-09')),
    );
    expect(s.app.state).toBe('UNDER_REVIEW');
    expect(s.app.proposal).toBeUndefined();
  });
});

describe('request_hearing', () => {
  it('is allowed within 5 working days of the notice, and refused after', () => {
    // Proposed Fri 03-06; 5 working days: 03-09..13.
    const t = driveTo('PUBLIC_NOTICE');
    expect(t.app.proposal?.hearingDeadline).toBe('2026-03-13');
    const last = at('2026-03-13', '23:59');
    expect(
      decide(t.app, 'request_hearing', callers.owner, payloads.request_hearing, opts(last)).app.state,
    ).toBe('HEARING');
    refusal(
      () =>
        decide(
          t.app,
          'request_hearing',
          callers.owner,
          payloads.request_hearing,
          opts(at('2026-03-14', '00:00')),
        ),
      RuleError,
      422,
    );
  });

  it('is for the owner only', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const now = at('2026-03-09');
    refusal(
      () => decide(t.app, 'request_hearing', callers.otherApplicant, payloads.request_hearing, opts(now)),
      ForbiddenError,
      403,
    );
    refusal(
      () => decide(t.app, 'request_hearing', callers.clerk, payloads.request_hearing, opts(now)),
      ForbiddenError,
      403,
    );
  });
});

describe('record_hearing_outcome', () => {
  it('next=UNDER_REVIEW clears the proposal', () => {
    const t = driveTo('HEARING');
    const s = decide(
      t.app,
      'record_hearing_outcome',
      callers.reviewer,
      { summary: '需重新审查', next: 'UNDER_REVIEW' },
      opts(at('2026-03-12')),
    );
    expect(s.app.state).toBe('UNDER_REVIEW');
    expect(s.app.proposal).toBeUndefined();
    expect(s.event.changes.proposal).toBeNull();
    expect(s.app.hearing).toMatchObject({ summary: '需重新审查', next: 'UNDER_REVIEW' });
    expect(allowedActions(s.app, callers.reviewer, { now: at('2026-03-12') })).toContain('propose_decision');
  });

  it('next=PUBLIC_NOTICE keeps the proposal and its notice period', () => {
    const t = driveTo('HEARING');
    const s = decide(
      t.app,
      'record_hearing_outcome',
      callers.reviewer,
      payloads.record_hearing_outcome,
      opts(at('2026-03-12')),
    );
    expect(s.app.state).toBe('PUBLIC_NOTICE');
    expect(s.app.proposal).toEqual(t.app.proposal);
  });

  it('is for the case officer only', () => {
    const t = driveTo('HEARING');
    refusal(
      () =>
        decide(
          t.app,
          'record_hearing_outcome',
          callers.otherReviewer,
          payloads.record_hearing_outcome,
          opts(at('2026-03-12')),
        ),
      ForbiddenError,
      403,
    );
  });
});

describe('withdraw', () => {
  it.each(OPEN)('withdraws from %s', (state) => {
    const t = driveTo(state);
    const s = decide(t.app, 'withdraw', callers.owner, {}, opts(at('2026-03-20')));
    expect(s.app).toMatchObject({ state: 'WITHDRAWN', withdrawal: { at: '2026-03-20T02:00:00.000Z' } });
    expect(s.event).toMatchObject({ from: state, to: 'WITHDRAWN', seq: t.app.version + 1 });
  });

  it.each([
    ['APPROVED', 'REPORT'],
    ['REJECTED', 'REPORT'],
    ['NOT_ACCEPTED', 'REPORT'],
    ['WITHDRAWN', 'REPORT'],
    ['FILED', 'REGISTRATION'],
  ] as const)('never withdraws from %s', (state, category) => {
    const t = driveTo(state, category);
    refusal(() => decide(t.app, 'withdraw', callers.owner, {}, opts(at('2026-03-20'))), ConflictError, 409);
  });
});

describe('record_milestone', () => {
  it('records the milestones in order only, and at most three', () => {
    const order = ['CONSTRUCTION_STARTED', 'FACILITIES_COMPLETED', 'COMPLETION_ACCEPTED'];
    let t = driveTo('APPROVED');
    const now = at('2026-03-20');
    for (const [i, milestone] of order.entries()) {
      for (const wrong of order.filter((m) => m !== milestone)) {
        const error = refusal(
          () => decide(t.app, 'record_milestone', callers.reviewer, { milestone: wrong }, opts(now)),
          RuleError,
          422,
        );
        expect(paths(error)).toEqual(['milestone']);
      }
      t = act(t, 'record_milestone', callers.otherReviewer, { milestone, note: '现场核查' }, now);
      expect(t.app.state).toBe('APPROVED');
      expect(t.app.milestones).toHaveLength(i + 1);
    }
    expect(t.app.milestones.map((m) => m.milestone)).toEqual(order);
    expect(t.app.milestones[0]).toMatchObject({ note: '现场核查', by: callers.otherReviewer.id });
    for (const milestone of order) {
      refusal(
        () => decide(t.app, 'record_milestone', callers.reviewer, { milestone }, opts(now)),
        RuleError,
        422,
      );
    }
    expect(allowedActions(t.app, callers.reviewer, { now })).toEqual([]);
  });

  it('refuses an unknown milestone as bad input', () => {
    const t = driveTo('APPROVED');
    const error = refusal(
      () =>
        decide(t.app, 'record_milestone', callers.reviewer, { milestone: 'OPENED' }, opts(at('2026-03-20'))),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['milestone']);
  });
});

describe('editApplication', () => {
  const editable = ['DRAFT', 'SUPPLEMENT_REQUIRED', 'REVISION_REQUIRED'] as const;
  const now = at('2026-03-20');

  it.each(editable)('lets the owner edit in %s', (state) => {
    const t = driveTo(state);
    // The description is no fact the acceptance notice froze (facts.test.ts).
    const s = editApplication(t.app, { project: { description: '新的项目说明' } }, callers.owner, opts(now));
    expect(s.app).toMatchObject({ state, version: t.app.version + 1 });
    expect(s.app.project).toEqual({ ...t.app.project, description: '新的项目说明' });
    expect(s.event).toMatchObject({
      action: 'edit',
      from: state,
      to: state,
      seq: t.app.version + 1,
      actor: { id: callers.owner.id, role: 'applicant' },
    });
  });

  it.each([
    'PREVIEW_REQUESTED',
    'SUBMITTED',
    'ACCEPTED',
    'UNDER_REVIEW',
    'EXPERT_REVIEW',
    'PUBLIC_NOTICE',
    'HEARING',
    'APPROVED',
    'REJECTED',
    'NOT_ACCEPTED',
    'WITHDRAWN',
  ] as const)('refuses the owner in %s', (state) => {
    const t = driveTo(state);
    refusal(
      () => editApplication(t.app, { project: { name: '新项目名称' } }, callers.owner, opts(now)),
      ConflictError,
      409,
    );
  });

  it.each(['otherApplicant', 'clerk', 'reviewer', 'approver', 'auditor', 'system'] as const)(
    'refuses %s',
    (who) => {
      const t = driveTo('DRAFT');
      refusal(
        () => editApplication(t.app, { project: { name: '新项目名称' } }, callers[who], opts(now)),
        ForbiddenError,
        403,
      );
    },
  );

  it('changes the category only in DRAFT', () => {
    const draft = driveTo('DRAFT');
    expect(
      editApplication(draft.app, { category: 'REPORT_FORM' }, callers.owner, opts(now)).app.category,
    ).toBe('REPORT_FORM');
    const t = driveTo('SUPPLEMENT_REQUIRED');
    const error = refusal(
      () => editApplication(t.app, { category: 'REPORT_FORM' }, callers.owner, opts(now)),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['category']);
    // Restating the same category is not a change.
    expect(editApplication(t.app, { category: 'REPORT' }, callers.owner, opts(now)).app.state).toBe(
      'SUPPLEMENT_REQUIRED',
    );
  });

  it.each([
    [{ project: { colour: 'red' } }, 'project.colour'],
    [{ state: 'APPROVED' }, 'state'],
    [{ ownerId: callers.otherApplicant.id }, 'ownerId'],
    [{ applicant: { orgName: '某公司', email: 'a@b.c' } }, 'applicant.email'],
  ])('refuses unknown fields, naming the field: %j', (input, path) => {
    const t = driveTo('DRAFT');
    const error = refusal(
      () => editApplication(t.app, input, callers.owner, opts(now)),
      ValidationError,
      400,
    );
    expect(paths(error)).toContain(path);
  });

  it('refuses an empty edit', () => {
    const t = driveTo('DRAFT');
    refusal(() => editApplication(t.app, {}, callers.owner, opts(now)), ValidationError, 400);
  });

  it('refuses a bad USCC check character, naming applicant.orgCode', () => {
    const t = driveTo('DRAFT');
    const wrong = ORG_CODE.slice(0, 17) + (ORG_CODE.endsWith('0') ? '1' : '0');
    const error = refusal(
      () => editApplication(t.app, { applicant: { orgCode: wrong } }, callers.owner, opts(now)),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['applicant.orgCode']);
    expect(error.issues?.[0]?.message).toContain('check character');
  });

  it("refuses another organisation's code", () => {
    const t = driveTo('DRAFT');
    const error = refusal(
      () => editApplication(t.app, { applicant: { orgCode: OTHER_ORG_CODE } }, callers.owner, opts(now)),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['applicant.orgCode']);
  });
});

describe('createApplication', () => {
  const now = at('2026-03-02');

  it('creates a DRAFT owned by the caller, as event 1', () => {
    const id = newId();
    const s = createApplication(createBody('REPORT'), callers.owner, { ...opts(now), id });
    expect(s.app).toMatchObject({
      id,
      state: 'DRAFT',
      version: 1,
      ownerId: callers.owner.id,
      milestones: [],
      category: 'REPORT',
    });
    expect(s.app.createdAt).toBe(now.toISOString());
    expect(s.event).toMatchObject({ applicationId: id, seq: 1, from: null, to: 'DRAFT', action: 'create' });
  });

  it("refuses an orgCode other than the caller's token orgCode", () => {
    const body = createBody('REPORT');
    const input = { ...body, applicant: { ...body.applicant, orgCode: OTHER_ORG_CODE } };
    const error = refusal(
      () => createApplication(input, callers.owner, { ...opts(now), id: newId() }),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['applicant.orgCode']);
  });

  it('refuses a bad USCC check character, naming applicant.orgCode', () => {
    const body = createBody('REPORT');
    const wrong = ORG_CODE.slice(0, 17) + (ORG_CODE.endsWith('0') ? '1' : '0');
    const input = { ...body, applicant: { ...body.applicant, orgCode: wrong } };
    const caller: Caller = { ...callers.owner, orgCode: wrong };
    const error = refusal(
      () => createApplication(input, caller, { ...opts(now), id: newId() }),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['applicant.orgCode']);
  });

  it('refuses unknown fields, naming each', () => {
    const body = createBody('REPORT');
    const input = { ...body, state: 'APPROVED', project: { ...body.project, colour: 'red' } };
    const error = refusal(
      () => createApplication(input, callers.owner, { ...opts(now), id: newId() }),
      ValidationError,
      400,
    );
    expect(paths(error).sort()).toEqual(['project.colour', 'state']);
  });

  it('is for applicants only', () => {
    refusal(
      () => createApplication(createBody('REPORT'), callers.clerk, { ...opts(now), id: newId() }),
      ForbiddenError,
      403,
    );
  });
});

describe('payloads', () => {
  it('refuse unknown fields, naming the field, also inside lists', () => {
    const t = driveTo('SUBMITTED');
    const items = [{ code: 'PUBLIC_VERSION', reason: '缺页', severity: 'high' }];
    const error = refusal(
      () => decide(t.app, 'request_supplement', callers.clerk, { items }, opts(at('2026-03-03'))),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['items.0.severity']);
  });

  it('refuse a payload that is not an object', () => {
    const t = driveTo('DRAFT');
    for (const payload of [[], 'submit', 1]) {
      refusal(
        () => decide(t.app, 'submit', callers.owner, payload, opts(at('2026-03-03'))),
        ValidationError,
        400,
      );
    }
  });

  it('are refused before the rule is checked', () => {
    // A second notice with a bad item: the payload is wrong (400) before the rule (422).
    let t = driveTo('SUPPLEMENT_REQUIRED');
    t = act(t, 'resubmit', callers.owner, payloads.resubmit, at('2026-03-04'));
    refusal(
      () => decide(t.app, 'request_supplement', callers.clerk, { items: [] }, opts(at('2026-03-04'))),
      ValidationError,
      400,
    );
  });
});

describe('an unknown action', () => {
  it('is 404', () => {
    const t = driveTo('DRAFT');
    const error = refusal(
      () => decide(t.app, 'fast_track', callers.owner, {}, opts(at('2026-03-03'))),
      NotFoundError,
      404,
    );
    expect(error.message).toContain('fast_track');
  });
});

describe('canSee', () => {
  it('lets the owner, officials and auditors see an application, and no other applicant', () => {
    const { app } = driveTo('SUBMITTED');
    expect(canSee(app, callers.otherApplicant)).toBe(false);
    for (const who of ['owner', 'clerk', 'reviewer', 'approver', 'auditor', 'reviewerApprover'] as const) {
      expect(canSee(app, callers[who]), who).toBe(true);
    }
  });
});

describe('the completeness check period (art. 32)', () => {
  // Submitted Mon 2026-03-02; 5 working days: 03-03..03-09. From 03-10 it counts as accepted.
  const submitted = () =>
    act(start('REPORT_FORM', { on: '2026-03-02' }), 'submit', callers.owner, {}, at('2026-03-02'));

  it('refuses a supplement notice once the period is over', () => {
    const t = submitted();
    expect(
      decide(
        t.app,
        'request_supplement',
        callers.clerk,
        payloads.request_supplement,
        opts(at('2026-03-09', '23:59')),
      ).app.state,
    ).toBe('SUPPLEMENT_REQUIRED');
    const error = refusal(
      () =>
        decide(
          t.app,
          'request_supplement',
          callers.clerk,
          payloads.request_supplement,
          opts(at('2026-03-10', '08:00')),
        ),
      RuleError,
      422,
    );
    expect(error.message).toContain('2026-03-09');
  });

  it('counts a late acceptance by the window from the receipt date, as deemed', () => {
    const late = decide(submitted().app, 'accept', callers.clerk, {}, opts(at('2026-03-16')));
    expect(late.app.acceptance).toMatchObject({ acceptedOn: '2026-03-02', deemed: true });
    expect(late.app.clockState?.startedOn).toBe('2026-03-02');
    const onTime = decide(submitted().app, 'accept', callers.clerk, {}, opts(at('2026-03-09')));
    expect(onTime.app.acceptance).toMatchObject({ acceptedOn: '2026-03-09', deemed: false });
  });
});

describe('a hearing per proposed decision', () => {
  it('may be requested again on a new proposal after the first hearing sent the case back', () => {
    // Proposed Fri 03-06 (driveTo); hearing Mon 03-09; back to review; proposed again Wed 03-11.
    let t = driveTo('PUBLIC_NOTICE');
    t = act(t, 'request_hearing', callers.owner, payloads.request_hearing, at('2026-03-09'));
    refusal(
      () =>
        decide(
          t.app,
          'request_hearing',
          callers.owner,
          payloads.request_hearing,
          opts(at('2026-03-09', '11:00')),
        ),
      ConflictError,
      409,
    );
    t = act(
      t,
      'record_hearing_outcome',
      callers.reviewer,
      { summary: '重新审查', next: 'PUBLIC_NOTICE' },
      at('2026-03-10'),
    );
    refusal(
      () =>
        decide(
          t.app,
          'request_hearing',
          callers.owner,
          payloads.request_hearing,
          opts(at('2026-03-10', '11:00')),
        ),
      RuleError,
      422,
    );
    t = act(t, 'return_to_review', callers.approver, { reason: '补充论证' }, at('2026-03-10', '12:00'));
    t = act(
      t,
      'propose_decision',
      callers.reviewer,
      { proposal: 'reject', reasons: ['选址不符合规划'] },
      at('2026-03-11'),
    );
    expect(
      decide(t.app, 'request_hearing', callers.owner, payloads.request_hearing, opts(at('2026-03-12'))).app
        .state,
    ).toBe('HEARING');
  });
});

describe('an applicant without an organisation code', () => {
  it('cannot create an application', () => {
    const { orgCode: _none, ...caller } = callers.owner;
    refusal(
      () => createApplication(createBody('REPORT'), caller, { ...opts(at('2026-03-02')), id: newId() }),
      ForbiddenError,
      403,
    );
  });
});

describe('investment', () => {
  it('is whole yuan: a fraction, or a number DynamoDB cannot hold, is refused naming the field', () => {
    for (const investmentCny of [0.5, 1e-200, 5e-324]) {
      const body = createBody('REPORT');
      const input = { ...body, project: { ...body.project, investmentCny } };
      const error = refusal(
        () => createApplication(input, callers.owner, { ...opts(at('2026-03-02')), id: newId() }),
        ValidationError,
        400,
      );
      expect(paths(error)).toEqual(['project.investmentCny']);
    }
  });
});

describe('editing after submission', () => {
  it('may not drop a required material, nor change the organisation', () => {
    const t = driveTo('SUPPLEMENT_REQUIRED');
    const now = at('2026-03-03');
    const dropped = refusal(
      () => editApplication(t.app, { materials: [] }, callers.owner, opts(now)),
      RuleError,
      422,
    );
    expect(paths(dropped)).toEqual(['materials']);
    const org = refusal(
      () =>
        editApplication(
          t.app,
          { applicant: { orgCode: OTHER_ORG_CODE } },
          { ...callers.owner, orgCode: OTHER_ORG_CODE },
          opts(now),
        ),
      RuleError,
      422,
    );
    expect(paths(org)).toEqual(['applicant.orgCode']);
    const fine = editApplication(t.app, { project: { description: '补充说明' } }, callers.owner, opts(now));
    expect(fine.app.project.description).toBe('补充说明');
  });
});

describe('a clock that is set back', () => {
  it('never fails a step: a pause or resume dated before the last one counts from the last one', () => {
    // Expert review started Thu 03-05 (driveTo); the server clock is then set back to Mon 03-02.
    const t = driveTo('EXPERT_REVIEW', 'REPORT_FORM');
    const pausedOn = t.app.clockState?.pauses.at(-1)?.from ?? '';
    const resumed = decide(
      t.app,
      'record_expert_opinion',
      callers.reviewer,
      payloads.record_expert_opinion,
      opts(at('2026-03-02')),
    );
    expect(resumed.app.clockState?.pauses.at(-1)).toEqual({ from: pausedOn, to: pausedOn });
  });
});
