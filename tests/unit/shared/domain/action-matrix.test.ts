/**
 * Every action × every state × every role, against an oracle written out here from docs/workflow.md —
 * not read from shared/domain/workflow.ts, so that a wrong definition makes these tests fail.
 *
 * Refusals are checked in this order: unknown action (404), role (403), conflict of interest
 * (403; none of these callers has one, see decision-rules.test.ts), relation to the
 * application — owner, case officer, not the proposer — (403), state (409), payload (400),
 * rule (422).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../shared/domain/calendar.ts';
import { allowedActions, decide } from '../../../../shared/domain/decide.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleError,
  ValidationError,
} from '../../../../shared/domain/errors.ts';
import type { ActorRole, Caller, Category, State } from '../../../../shared/domain/types.ts';
import type { ActionName } from '../../../../shared/schemas/actions.ts';
import {
  act,
  at,
  callers,
  deepFreeze,
  driveTo,
  payloadFor,
  payloads,
  start,
  type Trail,
  workingDay,
} from './fixtures.ts';

// ---------------------------------------------------------------------------------------------
// The oracle: the action table of docs/workflow.md as data.

const ALL_STATES: readonly State[] = [
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
  'APPROVED',
  'REJECTED',
  'NOT_ACCEPTED',
  'WITHDRAWN',
  'FILED',
];
const TERMINAL: readonly State[] = ['APPROVED', 'REJECTED', 'NOT_ACCEPTED', 'WITHDRAWN', 'FILED'];
const OPEN = ALL_STATES.filter((s) => !TERMINAL.includes(s));

type Relation = 'owner' | 'caseOfficer' | 'notProposer' | 'anyone';

interface Row {
  from: readonly State[];
  /** The target, given the application's category. */
  to: (category: Category) => State;
  roles: readonly ActorRole[];
  who: Relation;
}

const to = (s: State) => () => s;

const TABLE: Readonly<Record<ActionName, Row>> = {
  request_preview: { from: ['DRAFT'], to: to('PREVIEW_REQUESTED'), roles: ['applicant'], who: 'owner' },
  give_preview_advice: {
    from: ['PREVIEW_REQUESTED'],
    to: to('DRAFT'),
    roles: ['clerk', 'reviewer'],
    who: 'anyone',
  },
  submit: {
    from: ['DRAFT'],
    to: (category) => (category === 'REGISTRATION' ? 'FILED' : 'SUBMITTED'),
    roles: ['applicant'],
    who: 'owner',
  },
  request_supplement: { from: ['SUBMITTED'], to: to('SUPPLEMENT_REQUIRED'), roles: ['clerk'], who: 'anyone' },
  resubmit: { from: ['SUPPLEMENT_REQUIRED'], to: to('SUBMITTED'), roles: ['applicant'], who: 'owner' },
  accept: { from: ['SUBMITTED'], to: to('ACCEPTED'), roles: ['clerk', 'system'], who: 'anyone' },
  decline: { from: ['SUBMITTED'], to: to('NOT_ACCEPTED'), roles: ['clerk'], who: 'anyone' },
  start_review: { from: ['ACCEPTED'], to: to('UNDER_REVIEW'), roles: ['reviewer'], who: 'anyone' },
  start_expert_review: {
    from: ['UNDER_REVIEW'],
    to: to('EXPERT_REVIEW'),
    roles: ['reviewer'],
    who: 'caseOfficer',
  },
  record_expert_opinion: {
    from: ['EXPERT_REVIEW'],
    to: to('UNDER_REVIEW'),
    roles: ['reviewer'],
    who: 'caseOfficer',
  },
  request_revision: {
    from: ['UNDER_REVIEW'],
    to: to('REVISION_REQUIRED'),
    roles: ['reviewer'],
    who: 'caseOfficer',
  },
  submit_revision: {
    from: ['REVISION_REQUIRED'],
    to: to('UNDER_REVIEW'),
    roles: ['applicant'],
    who: 'owner',
  },
  propose_decision: {
    from: ['UNDER_REVIEW'],
    to: to('PUBLIC_NOTICE'),
    roles: ['reviewer'],
    who: 'caseOfficer',
  },
  approve: { from: ['PUBLIC_NOTICE'], to: to('APPROVED'), roles: ['approver'], who: 'notProposer' },
  reject: { from: ['PUBLIC_NOTICE'], to: to('REJECTED'), roles: ['approver'], who: 'notProposer' },
  return_to_review: { from: ['PUBLIC_NOTICE'], to: to('UNDER_REVIEW'), roles: ['approver'], who: 'anyone' },
  request_hearing: { from: ['PUBLIC_NOTICE'], to: to('HEARING'), roles: ['applicant'], who: 'owner' },
  schedule_hearing: { from: ['HEARING'], to: to('HEARING'), roles: ['reviewer'], who: 'caseOfficer' },
  // The payload used here says next: PUBLIC_NOTICE; rules.test.ts covers next: UNDER_REVIEW.
  record_hearing_outcome: {
    from: ['HEARING'],
    to: to('PUBLIC_NOTICE'),
    roles: ['reviewer'],
    who: 'caseOfficer',
  },
  withdraw: { from: OPEN, to: to('WITHDRAWN'), roles: ['applicant'], who: 'owner' },
  record_milestone: { from: ['APPROVED'], to: to('APPROVED'), roles: ['reviewer'], who: 'anyone' },
};
const ACTIONS = Object.keys(TABLE) as ActionName[];

/** The eight kinds of caller of the matrix, each with the one role it acts under. */
type MatrixRole =
  | 'applicant-owner'
  | 'applicant-not-owner'
  | 'clerk'
  | 'reviewer-case-officer'
  | 'reviewer-not-case-officer'
  | 'approver'
  | 'auditor'
  | 'system';

const MATRIX_ROLES: Readonly<Record<MatrixRole, { caller: Caller; role: ActorRole }>> = {
  'applicant-owner': { caller: callers.owner, role: 'applicant' },
  'applicant-not-owner': { caller: callers.otherApplicant, role: 'applicant' },
  clerk: { caller: callers.clerk, role: 'clerk' },
  'reviewer-case-officer': { caller: callers.reviewer, role: 'reviewer' },
  'reviewer-not-case-officer': { caller: callers.otherReviewer, role: 'reviewer' },
  approver: { caller: callers.approver, role: 'approver' },
  auditor: { caller: callers.auditor, role: 'auditor' },
  system: { caller: callers.system, role: 'system' },
};
const ROLE_NAMES = Object.keys(MATRIX_ROLES) as MatrixRole[];

// ---------------------------------------------------------------------------------------------
// Situations: every state, and the variants in which a time- or history-dependent rule differs.

interface Scenario {
  name: string;
  state: State;
  category: Category;
  /** Whether `reviewer` has started the review (and so is the case officer). */
  hasCaseOfficer: boolean;
  /** The actions whose rule is broken here (for the roles listed, or for every role). */
  broken: Partial<Record<ActionName, 'all' | readonly MatrixRole[]>>;
  trail: Trail;
  now: Date;
  /** The application as JSON before any test ran. */
  snapshot: string;
}

const D0: IsoDate = '2026-03-02';
const day = (n: number) => workingDay(D0, n);
// Written out as a check on the schedule the scenarios rely on (see driveTo).
const SCHEDULE: Record<number, IsoDate> = {
  1: '2026-03-03',
  4: '2026-03-06',
  9: '2026-03-13',
  10: '2026-03-16',
};

function scenario(
  name: string,
  trail: Trail,
  now: Date,
  hasCaseOfficer: boolean,
  broken: Scenario['broken'] = {},
): Scenario {
  deepFreeze(trail.app);
  const snapshot = JSON.stringify(trail.app);
  return {
    name,
    state: trail.app.state,
    category: trail.app.category,
    hasCaseOfficer,
    broken,
    trail,
    now,
    snapshot,
  };
}

const afterHearing = (() => {
  const t = driveTo('HEARING');
  return act(t, 'record_hearing_outcome', callers.reviewer, payloads.record_hearing_outcome, at(day(6)));
})();
const allMilestones = (() => {
  let t = driveTo('APPROVED');
  for (const [i, milestone] of [
    'CONSTRUCTION_STARTED',
    'FACILITIES_COMPLETED',
    'COMPLETION_ACCEPTED',
  ].entries()) {
    t = act(t, 'record_milestone', callers.reviewer, { milestone }, at(day(13), `1${i}:00`));
  }
  return t;
})();
const resubmitted = act(
  driveTo('SUPPLEMENT_REQUIRED'),
  'resubmit',
  callers.owner,
  payloads.resubmit,
  at(day(2)),
);

const SCENARIOS: Scenario[] = [
  scenario('DRAFT', driveTo('DRAFT'), at(D0, '13:00'), false),
  scenario(
    'DRAFT (materials missing)',
    start('REPORT_FORM', { materials: ['EIA_DOCUMENT'] }),
    at(D0, '13:00'),
    false,
    {
      submit: 'all',
    },
  ),
  scenario('DRAFT (REGISTRATION)', driveTo('DRAFT', 'REGISTRATION'), at(D0, '13:00'), false),
  scenario('PREVIEW_REQUESTED', driveTo('PREVIEW_REQUESTED'), at(D0, '13:00'), false),
  // The window has 5 working days from receipt; the sweeper may not accept before they pass.
  scenario('SUBMITTED (day of receipt)', driveTo('SUBMITTED'), at(D0, '13:00'), false, {
    accept: ['system'],
  }),
  scenario('SUBMITTED (on the 5th working day)', driveTo('SUBMITTED'), at(day(5), '23:59'), false, {
    accept: ['system'],
  }),
  // Past the check period the application counts as accepted: no supplement notice and no
  // declining any more (art. 32).
  scenario('SUBMITTED (completeness check over)', driveTo('SUBMITTED'), at(day(6), '00:01'), false, {
    request_supplement: 'all',
    decline: 'all',
  }),
  scenario('SUBMITTED (resubmitted after the notice)', resubmitted, at(day(2), '13:00'), false, {
    request_supplement: 'all',
    accept: ['system'],
  }),
  scenario('SUPPLEMENT_REQUIRED', driveTo('SUPPLEMENT_REQUIRED'), at(day(1), '13:00'), false),
  scenario('ACCEPTED', driveTo('ACCEPTED'), at(day(1), '13:00'), false),
  scenario('UNDER_REVIEW', driveTo('UNDER_REVIEW'), at(day(2), '13:00'), true),
  scenario('EXPERT_REVIEW', driveTo('EXPERT_REVIEW'), at(day(3), '13:00'), true),
  scenario('REVISION_REQUIRED', driveTo('REVISION_REQUIRED'), at(day(3), '13:00'), true),
  scenario('PUBLIC_NOTICE (during the notice)', driveTo('PUBLIC_NOTICE'), at(day(4), '13:00'), true, {
    approve: 'all',
    reject: 'all',
  }),
  scenario('PUBLIC_NOTICE (last day of the notice)', driveTo('PUBLIC_NOTICE'), at(day(9), '23:59'), true, {
    approve: 'all',
    reject: 'all',
  }),
  scenario('PUBLIC_NOTICE (notice over)', driveTo('PUBLIC_NOTICE'), at(day(10), '00:01'), true, {
    request_hearing: 'all',
  }),
  scenario(
    'PUBLIC_NOTICE (reject proposed, notice over)',
    driveTo('PUBLIC_NOTICE', 'REPORT', { proposal: 'reject' }),
    at(day(10)),
    true,
    { approve: 'all', request_hearing: 'all' },
  ),
  scenario('PUBLIC_NOTICE (after a hearing)', afterHearing, at(day(7)), true, {
    approve: 'all',
    reject: 'all',
    request_hearing: 'all',
  }),
  scenario('HEARING', driveTo('HEARING'), at(day(5), '13:00'), true),
  scenario('APPROVED', driveTo('APPROVED'), at(day(12), '13:00'), true),
  scenario('APPROVED (every milestone recorded)', allMilestones, at(day(13), '15:00'), true, {
    record_milestone: 'all',
  }),
  scenario('REJECTED', driveTo('REJECTED'), at(day(12), '13:00'), true),
  scenario('NOT_ACCEPTED', driveTo('NOT_ACCEPTED'), at(day(1), '13:00'), false),
  scenario('WITHDRAWN', driveTo('WITHDRAWN'), at(D0, '13:00'), false),
  scenario('FILED', driveTo('FILED', 'REGISTRATION'), at(D0, '13:00'), false),
];

type Expected =
  | { kind: 'allowed'; to: State }
  | {
      kind: 'refused';
      error: typeof ForbiddenError | typeof ConflictError | typeof ValidationError | typeof RuleError;
      status: number;
    };

const forbidden: Expected = { kind: 'refused', error: ForbiddenError, status: 403 };
const conflict: Expected = { kind: 'refused', error: ConflictError, status: 409 };
const invalid: Expected = { kind: 'refused', error: ValidationError, status: 400 };
const broken: Expected = { kind: 'refused', error: RuleError, status: 422 };

function related(who: Relation, role: MatrixRole, sc: Scenario): boolean {
  switch (who) {
    case 'owner':
      return role === 'applicant-owner';
    case 'caseOfficer':
      return role === 'reviewer-case-officer' && sc.hasCaseOfficer;
    case 'notProposer':
      // In the matrix the proposer is always the reviewer, who holds no approver role.
      return true;
    case 'anyone':
      return true;
  }
}

function expected(
  sc: Scenario,
  action: ActionName,
  role: MatrixRole,
  payload: 'valid' | 'unknown field',
): Expected {
  const row = TABLE[action];
  if (!row.roles.includes(MATRIX_ROLES[role].role)) return forbidden;
  if (!related(row.who, role, sc)) return forbidden;
  if (!row.from.includes(sc.state)) return conflict;
  if (payload === 'unknown field') return invalid;
  const rule = sc.broken[action];
  if (rule === 'all' || rule?.includes(role)) return broken;
  return { kind: 'allowed', to: row.to(sc.category) };
}

function check(sc: Scenario, action: ActionName, role: MatrixRole, payload: unknown, want: Expected): void {
  const { caller, role: actingAs } = MATRIX_ROLES[role];
  const run = () => decide(sc.trail.app, action, caller, payload, { now: sc.now, requestId: 'req-matrix' });
  if (want.kind === 'refused') {
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'expected a refusal, but decide succeeded').toBeInstanceOf(want.error);
    expect(thrown).toMatchObject({ status: want.status });
    return;
  }
  const { app, event } = run();
  const before = sc.trail.app;
  expect(event).toMatchObject({
    applicationId: before.id,
    seq: before.version + 1,
    action,
    actor: { id: caller.id, role: actingAs, name: caller.name },
    at: sc.now.toISOString(),
    from: before.state,
    to: want.to,
    requestId: 'req-matrix',
  });
  expect(app).toMatchObject({
    id: before.id,
    state: want.to,
    version: before.version + 1,
    updatedAt: sc.now.toISOString(),
  });
}

// ---------------------------------------------------------------------------------------------

describe('action matrix', () => {
  it('drives every state, on the schedule the scenarios assume', () => {
    for (const [n, date] of Object.entries(SCHEDULE)) expect(day(Number(n))).toBe(date);
    const reached = new Set(SCENARIOS.map((s) => s.state));
    expect([...reached].sort()).toEqual([...ALL_STATES].sort());
  });

  const valid = SCENARIOS.flatMap((sc) =>
    ACTIONS.flatMap((action) =>
      ROLE_NAMES.map((role) => ({
        sc,
        action,
        role,
        scenario: sc.name,
        want: expected(sc, action, role, 'valid'),
      })),
    ),
  );

  describe.each(ACTIONS)('%s', (action) => {
    it.each(valid.filter((c) => c.action === action))(
      'in $scenario by $role with a valid payload',
      ({ sc, role, want }) => {
        check(sc, action, role, payloadFor(action, sc.trail.app), want);
      },
    );

    // Unknown fields are refused (400) once role, relation and state allow the action.
    it.each(
      SCENARIOS.filter((sc) => TABLE[action].from.includes(sc.state)).flatMap((sc) =>
        ROLE_NAMES.map((role) => ({
          sc,
          role,
          scenario: sc.name,
          want: expected(sc, action, role, 'unknown field'),
        })),
      ),
    )('in $scenario by $role with an unknown field', ({ sc, role, want }) => {
      check(sc, action, role, { ...payloadFor(action, sc.trail.app), unexpected: true }, want);
    });
  });

  describe('an unknown action', () => {
    it.each(
      ['approve_all', 'create', 'edit', 'constructor', '__proto__', 'toString', 'APPROVE', ''].flatMap(
        (action) => ROLE_NAMES.map((role) => ({ action, role })),
      ),
    )("'$action' by $role is 404 in every state", ({ action, role }) => {
      for (const sc of SCENARIOS) {
        let thrown: unknown;
        try {
          decide(sc.trail.app, action, MATRIX_ROLES[role].caller, {}, { now: sc.now, requestId: 'r' });
        } catch (error) {
          thrown = error;
        }
        expect(thrown, sc.name).toBeInstanceOf(NotFoundError);
        expect(thrown).toMatchObject({ status: 404 });
      }
    });
  });

  describe('allowedActions', () => {
    it.each(SCENARIOS.flatMap((sc) => ROLE_NAMES.map((role) => ({ sc, role, scenario: sc.name }))))(
      'in $scenario for $role lists exactly what decide accepts',
      ({ sc, role }) => {
        const caller = MATRIX_ROLES[role].caller;
        const oracle = ACTIONS.filter((a) => expected(sc, a, role, 'valid').kind === 'allowed');
        const accepted = ACTIONS.filter((a) => {
          try {
            decide(sc.trail.app, a, caller, payloadFor(a, sc.trail.app), { now: sc.now, requestId: 'r' });
            return true;
          } catch {
            return false;
          }
        });
        const listed = allowedActions(sc.trail.app, caller, { now: sc.now });
        expect([...listed].sort()).toEqual([...oracle].sort());
        expect([...listed].sort()).toEqual([...accepted].sort());
      },
    );
  });

  it('never changes the application it is given', () => {
    // The scenarios' applications are also deep-frozen, so a mutation above would have thrown.
    for (const sc of SCENARIOS) expect(JSON.stringify(sc.trail.app), sc.name).toBe(sc.snapshot);
  });
});
