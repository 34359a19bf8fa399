/**
 * The workflow table of shared/domain/workflow.ts as GET /workflow publishes it, and what each
 * action writes into the application. rules.test.ts states when an action is allowed; this file
 * states what it records.
 */
import { describe, expect, it } from 'vitest';
import { allowedActions, decide } from '../../../../shared/domain/decide.ts';
import { RuleError } from '../../../../shared/domain/errors.ts';
import type { Application, Caller } from '../../../../shared/domain/types.ts';
import { actionDef } from '../../../../shared/domain/workflow.ts';
import { type ActionName, actionNames } from '../../../../shared/schemas/actions.ts';
import { at, callers, driveTo, material, payloads, REQUIRED, refusal } from './fixtures.ts';

const opts = (now: Date) => ({ now, requestId: 'req-workflow' });
const run = (app: Application, action: ActionName, caller: Caller, payload: unknown, now: Date) =>
  decide(app, action, caller, payload, opts(now));
const table = <T>(read: (action: ActionName) => T | undefined) =>
  Object.fromEntries(actionNames.flatMap((a) => (read(a) === undefined ? [] : [[a, read(a)]])));

describe('the published workflow table', () => {
  it('lists, for each action, every state it can lead to, the usual one first', () => {
    expect(table((a) => actionDef(a).to)).toEqual({
      request_preview: ['PREVIEW_REQUESTED'],
      give_preview_advice: ['DRAFT'],
      submit: ['SUBMITTED', 'FILED'],
      request_supplement: ['SUPPLEMENT_REQUIRED'],
      resubmit: ['SUBMITTED'],
      accept: ['ACCEPTED'],
      decline: ['NOT_ACCEPTED'],
      start_review: ['UNDER_REVIEW'],
      start_expert_review: ['EXPERT_REVIEW'],
      record_expert_opinion: ['UNDER_REVIEW'],
      request_revision: ['REVISION_REQUIRED'],
      submit_revision: ['UNDER_REVIEW'],
      propose_decision: ['PUBLIC_NOTICE'],
      approve: ['APPROVED'],
      reject: ['REJECTED'],
      return_to_review: ['UNDER_REVIEW'],
      request_hearing: ['HEARING'],
      schedule_hearing: ['HEARING'],
      record_hearing_outcome: ['PUBLIC_NOTICE', 'UNDER_REVIEW'],
      withdraw: ['WITHDRAWN'],
      record_milestone: ['APPROVED'],
    });
  });

  it('says which holders of the allowed roles may act: anyone, the owner, the case officer, or not the proposer', () => {
    expect(table((a) => actionDef(a).who)).toEqual({
      request_preview: 'owner',
      give_preview_advice: 'anyone',
      submit: 'owner',
      request_supplement: 'anyone',
      resubmit: 'owner',
      accept: 'anyone',
      decline: 'anyone',
      start_review: 'anyone',
      start_expert_review: 'caseOfficer',
      record_expert_opinion: 'caseOfficer',
      request_revision: 'caseOfficer',
      submit_revision: 'owner',
      propose_decision: 'caseOfficer',
      approve: 'notProposer',
      reject: 'notProposer',
      return_to_review: 'anyone',
      request_hearing: 'owner',
      schedule_hearing: 'caseOfficer',
      record_hearing_outcome: 'caseOfficer',
      withdraw: 'owner',
      record_milestone: 'anyone',
    });
  });

  it('says which actions start, pause and resume the review clock', () => {
    expect(table((a) => actionDef(a).clock)).toEqual({
      accept: 'start',
      start_expert_review: 'pause',
      record_expert_opinion: 'resume',
      request_revision: 'pause',
      submit_revision: 'resume',
      request_hearing: 'pause',
      record_hearing_outcome: 'resume',
    });
  });
});

describe('request_preview', () => {
  it('records the question, if one is asked, and when the preview was requested', () => {
    const draft = driveTo('DRAFT').app;
    const now = at('2026-03-02', '11:00');
    const asked = run(draft, 'request_preview', callers.owner, { question: '报告书还是报告表？' }, now);
    expect(asked.app.preview).toEqual({ question: '报告书还是报告表？', requestedAt: now.toISOString() });
    const plain = run(draft, 'request_preview', callers.owner, {}, now);
    expect(plain.app.preview).toEqual({ requestedAt: now.toISOString() });
  });
});

describe('give_preview_advice', () => {
  it('adds the advice, who gave it and when to the request, and a suggested category only when given', () => {
    const t = driveTo('PREVIEW_REQUESTED');
    const request = t.app.preview;
    const now = at('2026-03-03');
    const s = run(t.app, 'give_preview_advice', callers.clerk, payloads.give_preview_advice, now);
    expect(s.app.state).toBe('DRAFT');
    expect(s.app.preview).toEqual({
      question: payloads.request_preview.question,
      requestedAt: request?.requestedAt,
      advice: payloads.give_preview_advice.advice,
      suggestedCategory: 'REPORT_FORM',
      advisedBy: callers.clerk.id,
      advisedAt: now.toISOString(),
    });
    const plain = run(t.app, 'give_preview_advice', callers.reviewer, { advice: '按报告书编制。' }, now);
    expect(plain.app.preview).toEqual({
      question: payloads.request_preview.question,
      requestedAt: request?.requestedAt,
      advice: '按报告书编制。',
      advisedBy: callers.reviewer.id,
      advisedAt: now.toISOString(),
    });
  });

  it('dates a request that is missing from the record at the advice', () => {
    const { preview: _none, ...app } = driveTo('PREVIEW_REQUESTED').app;
    const now = at('2026-03-03');
    const s = run(app, 'give_preview_advice', callers.clerk, { advice: '编制报告表。' }, now);
    expect(s.app.preview).toEqual({
      requestedAt: now.toISOString(),
      advice: '编制报告表。',
      advisedBy: callers.clerk.id,
      advisedAt: now.toISOString(),
    });
  });
});

describe('resubmit', () => {
  it('needs every required material present, not only the items the notice listed', () => {
    // The notice lists PUBLIC_VERSION; LAND_USE_OPINION went missing since (say, the list grew).
    const t = driveTo('SUPPLEMENT_REQUIRED');
    const app = { ...t.app, materials: t.app.materials.filter((m) => m.code !== 'LAND_USE_OPINION') };
    const error = refusal(
      () => run(app, 'resubmit', callers.owner, payloads.resubmit, at('2026-03-04')),
      RuleError,
      422,
    );
    expect(error.issues).toEqual([
      {
        path: 'materials',
        message: 'required materials missing: LAND_USE_OPINION',
        code: 'custom',
        params: { rule: 'materials-missing', codes: ['LAND_USE_OPINION'] },
      },
    ]);
  });

  it('without a supplement notice on record needs only the required materials', () => {
    const { supplement: _none, ...app } = driveTo('SUPPLEMENT_REQUIRED').app;
    const s = run(app, 'resubmit', callers.owner, payloads.resubmit, at('2026-03-04'));
    expect(s.app.state).toBe('SUBMITTED');
    expect(s.app.supplement).toBeUndefined();
  });
});

describe('accept', () => {
  it('refuses a registration form, which is filed and never accepted', () => {
    const app: Application = { ...driveTo('SUBMITTED', 'REPORT_FORM').app, category: 'REGISTRATION' };
    refusal(() => run(app, 'accept', callers.clerk, {}, at('2026-03-03')), RuleError, 422);
  });
});

describe('start_expert_review', () => {
  it('records the expected working days, the panel if named, and when it started', () => {
    const app = driveTo('UNDER_REVIEW').app;
    const now = at('2026-03-05');
    const named = run(app, 'start_expert_review', callers.reviewer, payloads.start_expert_review, now);
    expect(named.app.expertReview).toEqual({
      expectedWorkingDays: 10,
      panel: ['刘专家', '陈专家'],
      startedAt: now.toISOString(),
    });
    const unnamed = run(app, 'start_expert_review', callers.reviewer, { expectedWorkingDays: 7 }, now);
    expect(unnamed.app.expertReview).toEqual({ expectedWorkingDays: 7, startedAt: now.toISOString() });
  });
});

describe('record_expert_opinion', () => {
  it('adds the opinion, the conclusion and when they were recorded to the expert review', () => {
    const t = driveTo('EXPERT_REVIEW');
    const now = at('2026-03-12');
    const s = run(t.app, 'record_expert_opinion', callers.reviewer, payloads.record_expert_opinion, now);
    expect(s.app.expertReview).toEqual({
      ...t.app.expertReview,
      opinion: payloads.record_expert_opinion.opinion,
      conclusion: 'PASS_WITH_CHANGES',
      recordedAt: now.toISOString(),
    });
  });

  it('with no expert review on record keeps a whole one, started at the opinion', () => {
    const { expertReview: _none, ...app } = driveTo('EXPERT_REVIEW').app;
    const now = at('2026-03-12');
    const s = run(
      app,
      'record_expert_opinion',
      callers.reviewer,
      { opinion: '通过', conclusion: 'PASS' },
      now,
    );
    expect(s.app.expertReview).toEqual({
      expectedWorkingDays: 0,
      startedAt: now.toISOString(),
      opinion: '通过',
      conclusion: 'PASS',
      recordedAt: now.toISOString(),
    });
  });
});

describe('request_revision', () => {
  it('records the items, when and by whom', () => {
    const now = at('2026-03-05');
    const s = run(
      driveTo('UNDER_REVIEW').app,
      'request_revision',
      callers.reviewer,
      payloads.request_revision,
      now,
    );
    expect(s.app.revision).toEqual({
      items: payloads.request_revision.items,
      requestedAt: now.toISOString(),
      requestedBy: callers.reviewer.id,
    });
  });
});

describe('submit_revision', () => {
  it('adds the response and when it came to the request, and replaces the materials sent by code', () => {
    const t = driveTo('REVISION_REQUIRED');
    const now = at('2026-03-10');
    const s = run(t.app, 'submit_revision', callers.owner, payloads.submit_revision, now);
    expect(s.app.revision).toEqual({
      ...t.app.revision,
      response: payloads.submit_revision.response,
      respondedAt: now.toISOString(),
    });
    // EIA_DOCUMENT v2 takes the place of v1; the others stay as they were.
    expect(s.app.materials).toEqual(
      REQUIRED.REPORT.map((code) => material(code, code === 'EIA_DOCUMENT' ? 2 : 1)),
    );
  });

  it('without materials leaves them as they were', () => {
    const t = driveTo('REVISION_REQUIRED');
    const s = run(t.app, 'submit_revision', callers.owner, { response: '已说明' }, at('2026-03-10'));
    expect(s.app.materials).toEqual(t.app.materials);
    expect(s.event.changes).not.toHaveProperty('materials');
  });
});

describe('propose_decision', () => {
  it('records the reasons of a proposal to reject, and publishes them with it', () => {
    const reasons = ['选址位于饮用水水源保护区'];
    const s = run(
      driveTo('UNDER_REVIEW').app,
      'propose_decision',
      callers.reviewer,
      { proposal: 'reject', reasons },
      at('2026-03-05'),
    );
    expect(s.app.proposal?.reasons).toEqual(reasons);
    expect(s.app.proposal).not.toHaveProperty('conditions');
    expect(s.notice).toMatchObject({ outcome: 'reject', reasons });
    expect(s.notice).not.toHaveProperty('conditions');
  });

  it('publishes the conditions of a proposal to approve', () => {
    const { conditions } = payloads.propose_decision as { conditions: string[] };
    const s = run(
      driveTo('UNDER_REVIEW').app,
      'propose_decision',
      callers.reviewer,
      payloads.propose_decision,
      at('2026-03-05'),
    );
    expect(s.notice).toMatchObject({ outcome: 'approve', conditions });
    expect(s.notice).not.toHaveProperty('reasons');
  });
});

describe('a decision', () => {
  // driveTo proposes on Fri 03-06; the notice ends on Fri 03-13.
  const after = at('2026-03-16');

  it('to approve publishes the conditions that were on notice, sent or not', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const noticed = t.app.proposal?.conditions;
    expect(noticed?.length).toBeGreaterThan(0);
    const proposed = run(t.app, 'approve', callers.approver, {}, after);
    expect(proposed.app.decision?.conditions).toEqual(noticed);
    expect(proposed.notice?.conditions).toEqual(noticed);
    const restated = run(t.app, 'approve', callers.approver, { conditions: noticed }, after);
    expect(restated.app.decision?.conditions).toEqual(noticed);
    expect(restated.notice?.conditions).toEqual(noticed);
  });

  it('to reject gets a decision number, published with it', () => {
    const s = run(driveTo('PUBLIC_NOTICE').app, 'reject', callers.approver, payloads.reject, after);
    // Approvals and rejections share the decision series.
    expect(s.app.decisionNumber).toMatch(/^醴环评〔2026〕\d+号$/);
    expect(s.app.documents?.at(-1)).toMatchObject({ kind: 'REJECTION', number: s.app.decisionNumber });
    expect(s.notice).toMatchObject({ kind: 'DECISION', number: s.app.decisionNumber });
  });

  it('needs a proposed decision on record, as does a hearing', () => {
    const { proposal: _none, ...app } = driveTo('PUBLIC_NOTICE').app;
    for (const [action, caller, payload] of [
      ['approve', callers.approver, {}],
      ['reject', callers.approver, payloads.reject],
      ['request_hearing', callers.owner, payloads.request_hearing],
    ] as const) {
      refusal(() => run(app, action, caller, payload, after), RuleError, 422);
    }
    expect(allowedActions(app, callers.approver, { now: after })).toEqual(['return_to_review']);
  });
});

describe('request_hearing', () => {
  it('records the reason and when the hearing was requested', () => {
    const now = at('2026-03-09');
    const s = run(
      driveTo('PUBLIC_NOTICE').app,
      'request_hearing',
      callers.owner,
      payloads.request_hearing,
      now,
    );
    // Held within 20 working days (Qingming, 04-04 to 04-06, not counted), scheduled 7 days before.
    expect(s.app.hearing).toEqual({
      reason: payloads.request_hearing.reason,
      requestedAt: now.toISOString(),
      origin: 'applicant',
      holdBy: '2026-04-07',
      scheduleBy: '2026-03-31',
    });
  });

  it('is granted once per proposal, also when asked for in the same instant as the proposal', () => {
    const now = at('2026-03-05');
    const proposed = run(
      driveTo('UNDER_REVIEW').app,
      'propose_decision',
      callers.reviewer,
      payloads.propose_decision,
      now,
    );
    const heard = run(proposed.app, 'request_hearing', callers.owner, payloads.request_hearing, now);
    const back = run(
      heard.app,
      'record_hearing_outcome',
      callers.reviewer,
      payloads.record_hearing_outcome,
      at('2026-03-06'),
    );
    refusal(
      () => run(back.app, 'request_hearing', callers.owner, payloads.request_hearing, at('2026-03-09')),
      RuleError,
      422,
    );
  });
});

describe('record_hearing_outcome', () => {
  it('with no hearing request on record keeps a whole hearing, requested at the outcome', () => {
    const { hearing: _none, ...app } = driveTo('HEARING').app;
    const now = at('2026-03-12');
    const s = run(app, 'record_hearing_outcome', callers.reviewer, payloads.record_hearing_outcome, now);
    expect(s.app.hearing).toEqual({
      reason: '',
      requestedAt: now.toISOString(),
      summary: payloads.record_hearing_outcome.summary,
      next: 'PUBLIC_NOTICE',
      recordedAt: now.toISOString(),
    });
  });
});

describe('withdraw', () => {
  it('records the reason, if one is given, and when', () => {
    const draft = driveTo('DRAFT').app;
    const now = at('2026-03-02', '15:00');
    expect(run(draft, 'withdraw', callers.owner, { reason: '项目暂缓' }, now).app.withdrawal).toEqual({
      reason: '项目暂缓',
      at: now.toISOString(),
    });
    expect(run(draft, 'withdraw', callers.owner, {}, now).app.withdrawal).toEqual({ at: now.toISOString() });
  });
});
