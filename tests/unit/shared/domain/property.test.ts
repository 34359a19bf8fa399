/**
 * Random walks through the workflow: each run is a fresh application and a random sequence of
 * steps (action, caller, payload variant, time advance) applied with the real `decide` and
 * `editApplication`. Refusals are skipped; every success is checked against the invariants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chain, GENESIS, verifyChain } from '../../../../shared/domain/audit-chain.ts';
import { beijingDate } from '../../../../shared/domain/calendar.ts';
import { allowedActions, decide, editApplication } from '../../../../shared/domain/decide.ts';
import { AppError } from '../../../../shared/domain/errors.ts';
import { replay } from '../../../../shared/domain/replay.ts';
import type {
  Application,
  AuditEvent,
  Caller,
  Category,
  State,
  UnsignedEvent,
} from '../../../../shared/domain/types.ts';
import type { ActionName } from '../../../../shared/schemas/actions.ts';
import { type CallerKey, callers, material, payloads, start } from './fixtures.ts';

const RUNS = 400;

const TERMINAL: readonly State[] = ['APPROVED', 'REJECTED', 'NOT_ACCEPTED', 'WITHDRAWN', 'FILED'];

/**
 * What a guided step tries in each state (docs/workflow.md#actions), weighted towards progress so that runs get
 * far; withdraw and everything else are left to the unguided steps.
 */
const GUIDED: Readonly<Record<State, readonly ActionName[]>> = {
  DRAFT: ['submit', 'submit', 'submit', 'request_preview'],
  PREVIEW_REQUESTED: ['give_preview_advice'],
  SUBMITTED: ['accept', 'accept', 'accept', 'request_supplement', 'decline'],
  SUPPLEMENT_REQUIRED: ['resubmit'],
  ACCEPTED: ['start_review'],
  UNDER_REVIEW: [
    'propose_decision',
    'propose_decision',
    'propose_decision',
    'start_expert_review',
    'request_revision',
  ],
  EXPERT_REVIEW: ['record_expert_opinion'],
  REVISION_REQUIRED: ['submit_revision'],
  PUBLIC_NOTICE: ['approve', 'approve', 'approve', 'reject', 'return_to_review', 'request_hearing'],
  HEARING: ['record_hearing_outcome', 'schedule_hearing'],
  APPROVED: ['record_milestone'],
  REJECTED: [],
  NOT_ACCEPTED: [],
  WITHDRAWN: [],
  FILED: [],
};
const ACTIONS: readonly ActionName[] = [
  'request_preview',
  'give_preview_advice',
  'submit',
  'request_supplement',
  'resubmit',
  'accept',
  'decline',
  'start_review',
  'start_expert_review',
  'record_expert_opinion',
  'request_revision',
  'submit_revision',
  'propose_decision',
  'approve',
  'reject',
  'return_to_review',
  'request_hearing',
  'schedule_hearing',
  'record_hearing_outcome',
  'withdraw',
  'record_milestone',
];
/** What a random step may try: every action, an edit, and a name that is no action. */
const ANY = [...ACTIONS, 'edit', 'fast_track'] as const;
type Attempt = (typeof ANY)[number];

const CALLER_KEYS = Object.keys(callers) as CallerKey[];

/** The caller the definition expects for `action` (the variant picks among several). */
function fitting(action: Attempt, app: Application, variant: number): Caller {
  switch (action) {
    case 'request_preview':
    case 'submit':
    case 'resubmit':
    case 'submit_revision':
    case 'request_hearing':
    case 'withdraw':
    case 'edit':
      return callers.owner;
    case 'give_preview_advice':
      return variant % 2 ? callers.reviewer : callers.clerk;
    case 'request_supplement':
    case 'decline':
      return callers.clerk;
    case 'accept':
      return variant === 0 ? callers.clerk : callers.system;
    case 'start_review':
      return variant === 1 ? callers.reviewerApprover : callers.reviewer;
    case 'start_expert_review':
    case 'record_expert_opinion':
    case 'request_revision':
    case 'propose_decision':
    case 'schedule_hearing':
    case 'record_hearing_outcome':
      return app.caseOfficerId === callers.reviewerApprover.id ? callers.reviewerApprover : callers.reviewer;
    case 'approve':
    case 'reject':
    case 'return_to_review':
      return variant === 1 ? callers.reviewerApprover : callers.approver;
    case 'record_milestone':
      return callers.otherReviewer;
    case 'fast_track':
      return callers.owner;
  }
}

/** Three payloads per action: variants 0 and 1 are valid, 2 is (usually) not. */
function payload(action: Attempt, app: Application, variant: number): unknown {
  const v = variant % 3;
  switch (action) {
    case 'request_preview':
      return [{ question: '报告书还是报告表？' }, {}, { question: '' }][v];
    case 'give_preview_advice':
      return [{ advice: '编制报告表' }, { advice: '编制报告书', suggestedCategory: 'REPORT' }, {}][v];
    case 'request_supplement':
      return [
        payloads.request_supplement,
        {
          items: [
            { code: 'LAND_USE_OPINION', reason: '过期' },
            { code: 'BUSINESS_LICENSE', reason: '不清晰' },
          ],
        },
        { items: [] },
      ][v];
    case 'resubmit': {
      const codes = app.supplement?.items.map((i) => i.code) ?? [];
      return [
        {
          materials: [...codes, 'EIA_DOCUMENT']
            .filter((c, i, a) => a.indexOf(c) === i)
            .map((c) => material(c, 3)),
        },
        { materials: codes.slice(0, 1).map((c) => material(c, 3)) },
        { materials: [] },
      ][v];
    }
    case 'start_expert_review':
      return [{ expectedWorkingDays: 10 }, payloads.start_expert_review, { expectedWorkingDays: 0 }][v];
    case 'record_expert_opinion':
      return [payloads.record_expert_opinion, { opinion: '不可行', conclusion: 'FAIL' }, { opinion: 'x' }][v];
    case 'request_revision':
      return [payloads.request_revision, { items: [{ topic: '噪声', detail: '补充监测' }] }, { items: [] }][
        v
      ];
    case 'submit_revision':
      return [{ response: '已修改' }, payloads.submit_revision, {}][v];
    case 'propose_decision':
      return [
        payloads.propose_decision,
        { proposal: 'reject', reasons: ['不符合规划'] },
        { proposal: 'reject' },
      ][v];
    case 'approve':
      return [{}, { conditions: ['按期验收'] }, { conditions: [] }][v];
    case 'record_hearing_outcome':
      return [
        payloads.record_hearing_outcome,
        { summary: '重新审查', next: 'UNDER_REVIEW' },
        { summary: 'x' },
      ][v];
    case 'schedule_hearing': {
      const day = app.hearing?.holdBy ?? '2026-04-01';
      return [
        { at: `${day}T09:30:00+08:00`, place: '听证室' },
        { at: `${day}T14:00:00+08:00`, place: '醴陵市生态环境局三楼会议室' },
        { at: day, place: '听证室' },
      ][v];
    }
    case 'withdraw':
      return [{}, { reason: '项目取消' }, { reason: 5 }][v];
    case 'record_milestone': {
      const next = ['CONSTRUCTION_STARTED', 'FACILITIES_COMPLETED', 'COMPLETION_ACCEPTED'][
        app.milestones.length
      ];
      return [
        { milestone: next ?? 'COMPLETION_ACCEPTED' },
        { milestone: 'CONSTRUCTION_STARTED' },
        { milestone: 'X' },
      ][v];
    }
    case 'edit':
      return [
        { project: { name: '改名后的项目' } },
        { materials: [material('EIA_DOCUMENT', 4), material('APPLICATION_LETTER', 4)] },
        { category: (['REPORT', 'REPORT_FORM', 'REGISTRATION'] as const)[variant % 3] },
      ][v];
    case 'fast_track':
      return {};
    default:
      return v === 2 ? { unexpected: true } : payloads[action];
  }
}

interface StepSpec {
  guided: boolean;
  pick: number;
  who: number;
  variant: number;
  days: number;
  minutes: number;
}

const stepArb: fc.Arbitrary<StepSpec> = fc.record({
  // Mostly guided by the table, so that runs get far; sometimes anything at all.
  guided: fc.nat(9).map((n) => n < 7),
  pick: fc.nat(1000),
  who: fc.nat(CALLER_KEYS.length - 1),
  variant: fc.nat(2),
  // Mostly short steps, sometimes long enough for a notice period to pass.
  days: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 12 })),
  minutes: fc.nat(600),
});

const runArb = fc.record({
  category: fc.constantFrom<Category>('REPORT', 'REPORT_FORM', 'REGISTRATION'),
  startDay: fc.nat(360),
  steps: fc.array(stepArb, { maxLength: 40, size: 'max' }),
  tamperAt: fc.nat(1000),
  tamper: fc.constantFrom('payload', 'at', 'actor', 'to', 'changes', 'seq', 'prevHash', 'hash', 'requestId'),
});

interface Attempted {
  action: Attempt;
  caller: Caller;
  now: Date;
  before: Application;
  ok: boolean;
}

interface Walk {
  apps: Application[];
  events: UnsignedEvent[];
  attempts: Attempted[];
}

const DAY_MS = 86_400_000;

function walk(category: Category, startDay: number, steps: readonly StepSpec[]): Walk {
  const startDate = new Date(Date.UTC(2026, 0, 5) + startDay * DAY_MS).toISOString().slice(0, 10);
  const first = start(category, { on: startDate });
  const apps = [first.app];
  const events = [...first.events];
  const attempts: Attempted[] = [];
  let app = first.app;
  let now = first.now;
  for (const s of steps) {
    now = new Date(now.getTime() + s.days * DAY_MS + s.minutes * 60_000);
    let action: Attempt;
    let caller: Caller;
    if (s.guided) {
      const candidates = GUIDED[app.state];
      if (candidates.length === 0) continue;
      action = candidates[s.pick % candidates.length] ?? 'submit';
      caller = fitting(action, app, s.variant);
    } else {
      action = ANY[s.pick % ANY.length] ?? 'submit';
      caller = callers[CALLER_KEYS[s.who] ?? 'owner'];
    }
    const body = payload(action, app, s.variant);
    const options = { now, requestId: `req-${events.length + 1}` };
    try {
      const step =
        action === 'edit'
          ? editApplication(app, body, caller, options)
          : decide(app, action, caller, body, options);
      attempts.push({ action, caller, now, before: app, ok: true });
      app = step.app;
      apps.push(app);
      events.push(step.event);
    } catch (error) {
      // A refusal is a typed AppError with one of the statuses of docs/http-api.md#errors; anything else is a bug.
      if (!(error instanceof AppError)) throw error;
      expect([400, 403, 404, 409, 422]).toContain(error.status);
      attempts.push({ action, caller, now, before: app, ok: false });
    }
  }
  return { apps, events, attempts };
}

function linked(events: readonly UnsignedEvent[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  let prev = GENESIS;
  for (const e of events) {
    const c = chain(e, prev);
    out.push(c);
    prev = c.hash;
  }
  return out;
}

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function tampered(event: AuditEvent, how: string): AuditEvent {
  switch (how) {
    case 'payload':
      return { ...event, payload: { ...(event.payload as object), injected: true } };
    case 'at':
      return { ...event, at: new Date(Date.parse(event.at) - 60_000).toISOString() };
    case 'actor':
      return { ...event, actor: { ...event.actor, id: 'u-mallory' } };
    case 'to':
      return { ...event, to: event.to === 'APPROVED' ? 'REJECTED' : 'APPROVED' };
    case 'changes':
      return { ...event, changes: { ...event.changes, decisionNumber: 'LLHP-2026-FORGED' } };
    case 'seq':
      return { ...event, seq: event.seq + 1 };
    case 'prevHash':
      return { ...event, prevHash: 'f'.repeat(64) };
    case 'hash':
      return { ...event, hash: `${event.hash.slice(0, 63)}${event.hash.endsWith('0') ? '1' : '0'}` };
    default:
      return { ...event, requestId: `${event.requestId}-x` };
  }
}

const stats = {
  runs: 0,
  approved: 0,
  rejected: 0,
  filed: 0,
  hearings: 0,
  milestones: 0,
  deemed: 0,
  dualRefused: 0,
};

describe('random walks through the workflow', () => {
  it(`keep every invariant (${RUNS} runs of up to 40 steps)`, () => {
    fc.assert(
      fc.property(runArb, ({ category, startDay, steps, tamperAt, tamper }) => {
        const { apps, events, attempts } = walk(category, startDay, steps);
        const last = apps.at(-1);
        if (!last) throw new Error('no application');
        const states = events.map((e) => e.to);

        // (a) APPROVED only after ACCEPTED and PUBLIC_NOTICE, by an approver who did not propose,
        //     after the notice period.
        const approvedAt = states.indexOf('APPROVED');
        if (approvedAt >= 0) {
          const before = states.slice(0, approvedAt);
          expect(before).toContain('ACCEPTED');
          expect(before).toContain('PUBLIC_NOTICE');
        }
        for (const [i, e] of events.entries()) {
          if (e.action !== 'approve' && e.action !== 'reject') continue;
          const prior = apps[i - 1];
          const proposal = prior?.proposal;
          if (!proposal) throw new Error(`${e.action} without a proposal`);
          expect(e.actor.id).not.toBe(proposal.proposedBy);
          expect(e.actor.role).toBe('approver');
          expect(beijingDate(e.at) > proposal.noticeEndsOn).toBe(true);
          if (e.action === 'approve') expect(proposal.proposal).toBe('approve');
        }

        // (b) seq runs 1..n with no gap; (e) the version is the number of events.
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect(last.version).toBe(events.length);
        for (const [i, app] of apps.entries()) expect(app.version).toBe(i + 1);

        // (c) the chain verifies, also as stored (JSON); tampering with one event breaks it there.
        const trail = linked(events);
        expect(verifyChain(trail)).toEqual({ ok: true });
        expect(verifyChain(json(trail))).toEqual({ ok: true });
        const k = tamperAt % trail.length;
        const target = trail[k];
        if (!target) throw new Error('no event to tamper with');
        const forged = trail.map((e, i) => (i === k ? tampered(e, tamper) : e));
        expect(verifyChain(forged)).toMatchObject({ ok: false, firstBrokenSeq: k + 1 });
        // A forger who also recomputes the forged event's hash is caught at the next link.
        if (k + 1 < trail.length && tamper !== 'seq' && tamper !== 'prevHash') {
          const { hash: _, ...rest } = tampered(target, tamper === 'hash' ? 'requestId' : tamper);
          const resigned = chain(rest, rest.prevHash);
          const reforged = trail.map((e, i) => (i === k ? resigned : e));
          expect(verifyChain(reforged)).toMatchObject({ ok: false, firstBrokenSeq: k + 2 });
        }
        // Dropping an event (but the last: truncation is for the daily digests to catch) leaves a gap.
        if (k + 1 < trail.length) {
          expect(verifyChain(trail.filter((_, i) => i !== k))).toMatchObject({
            ok: false,
            firstBrokenSeq: k + 1,
          });
        }

        // (d) replaying the stored events rebuilds the application exactly.
        expect(json(replay(json(events)))).toStrictEqual(json(last));
        expect(json(replay(json(trail)))).toStrictEqual(json(last));

        // (f) once terminal, only record_milestone (in APPROVED) succeeds.
        const terminalAt = events.findIndex((e) => TERMINAL.includes(e.to));
        if (terminalAt >= 0) {
          for (const e of events.slice(terminalAt + 1)) {
            expect(e).toMatchObject({ action: 'record_milestone', from: 'APPROVED', to: 'APPROVED' });
          }
          expect(last.milestones.length).toBeLessThanOrEqual(3);
        }

        // (g) whatever decide accepted was in allowedActions for that caller at that time.
        for (const a of attempts) {
          if (!a.ok || a.action === 'edit') continue;
          expect(allowedActions(a.before, a.caller, { now: a.now })).toContain(a.action);
        }

        stats.runs++;
        if (states.includes('APPROVED')) stats.approved++;
        if (states.includes('REJECTED')) stats.rejected++;
        if (states.includes('FILED')) stats.filed++;
        if (states.includes('HEARING')) stats.hearings++;
        if (last.milestones.length > 0) stats.milestones++;
        if (last.acceptance?.deemed) stats.deemed++;
        if (attempts.some((a) => !a.ok && a.caller === callers.reviewerApprover && a.action === 'approve')) {
          stats.dualRefused++;
        }
      }),
      { numRuns: RUNS },
    );

    // The walks reach the interesting states often enough for the invariants to mean something.
    expect(stats.runs).toBeGreaterThanOrEqual(RUNS);
    expect(stats.approved).toBeGreaterThan(RUNS / 50);
    expect(stats.rejected).toBeGreaterThan(0);
    expect(stats.filed).toBeGreaterThan(0);
    expect(stats.hearings).toBeGreaterThan(0);
    expect(stats.milestones).toBeGreaterThan(0);
    expect(stats.deemed).toBeGreaterThan(0);
  }, 60_000); // ~2 s alone; a loaded 2-core machine can take 10× that.
});
