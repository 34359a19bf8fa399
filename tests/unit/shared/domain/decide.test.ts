/**
 * The rules of shared/domain/decide.ts beyond the action table (rules.test.ts and
 * action-matrix.test.ts): problem types, who counts as an official, who may edit and what an
 * edit records.
 */
import { describe, expect, it } from 'vitest';
import {
  canEdit,
  canSee,
  createApplication,
  decide,
  editApplication,
  isOfficial,
} from '../../../../shared/domain/decide.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from '../../../../shared/domain/errors.ts';
import type { ActorRole, Caller, State } from '../../../../shared/domain/types.ts';
import {
  at,
  callers,
  createBody,
  driveTo,
  material,
  newId,
  OTHER_ORG_CODE,
  paths,
  refusal,
  workingDay,
} from './fixtures.ts';

const opts = (now: Date) => ({ now, requestId: 'req-decide' });
const now = at('2026-03-20');
const { orgCode: _none, ...withoutOrg } = callers.owner;
const as = (roles: ActorRole[], id = 'u-someone'): Caller => ({ id, name: '某人', roles });

type Refusal = typeof ForbiddenError | typeof NotFoundError | typeof ConflictError | typeof RuleError;
interface Case {
  name: string;
  run: () => unknown;
  kind: Refusal;
  status: number;
  type: string;
}

describe('a refusal', () => {
  // The problem type is what a client branches on, so each refusal is pinned to its own.
  const draft = driveTo('DRAFT').app;
  const submitted = driveTo('SUPPLEMENT_REQUIRED').app;
  const cases: Case[] = [
    {
      name: 'an unknown action',
      run: () => decide(draft, 'approve_all', callers.owner, {}, opts(now)),
      kind: NotFoundError,
      status: 404,
      type: 'unknown-action',
    },
    {
      name: 'an action for another role',
      run: () => decide(draft, 'submit', callers.clerk, {}, opts(now)),
      kind: ForbiddenError,
      status: 403,
      type: 'wrong-role',
    },
    {
      name: "another applicant's action",
      run: () => decide(draft, 'submit', callers.otherApplicant, {}, opts(now)),
      kind: ForbiddenError,
      status: 403,
      type: 'not-yours',
    },
    {
      name: "another reviewer's case",
      run: () =>
        decide(driveTo('UNDER_REVIEW').app, 'start_expert_review', callers.otherReviewer, {}, opts(now)),
      kind: ForbiddenError,
      status: 403,
      type: 'not-yours',
    },
    {
      name: 'a decision on what one proposed',
      run: () =>
        decide(
          driveTo('PUBLIC_NOTICE', 'REPORT', { caseOfficer: callers.reviewerApprover }).app,
          'approve',
          callers.reviewerApprover,
          {},
          opts(at(workingDay('2026-03-02', 10))),
        ),
      kind: ForbiddenError,
      status: 403,
      type: 'separation-of-duties',
    },
    {
      name: 'an action in the wrong state',
      run: () => decide(draft, 'accept', callers.clerk, {}, opts(now)),
      kind: ConflictError,
      status: 409,
      type: 'not-allowed-in-state',
    },
    {
      name: 'a broken rule that does not depend on the payload',
      run: () =>
        decide(
          driveTo('PUBLIC_NOTICE').app,
          'approve',
          callers.approver,
          {},
          opts(at(workingDay('2026-03-02', 5))),
        ),
      kind: RuleError,
      status: 422,
      type: 'rule',
    },
    {
      name: 'a payload that breaks a rule',
      run: () =>
        decide(
          driveTo('UNDER_REVIEW').app,
          'propose_decision',
          callers.reviewer,
          { proposal: 'reject' },
          opts(now),
        ),
      kind: RuleError,
      status: 422,
      type: 'rule',
    },
    {
      name: 'a create by anyone but an applicant',
      run: () => createApplication(createBody('REPORT'), callers.clerk, { ...opts(now), id: newId() }),
      kind: ForbiddenError,
      status: 403,
      type: 'wrong-role',
    },
    {
      name: 'a create by an applicant without an organisation code',
      run: () => createApplication(createBody('REPORT'), withoutOrg, { ...opts(now), id: newId() }),
      kind: ForbiddenError,
      status: 403,
      type: 'no-organisation',
    },
    {
      name: 'a create for another organisation',
      run: () =>
        createApplication(createBody('REPORT'), callers.otherApplicant, { ...opts(now), id: newId() }),
      kind: RuleError,
      status: 422,
      type: 'org-mismatch',
    },
    {
      name: "an edit of another applicant's application",
      run: () => editApplication(draft, { project: { name: '新名称' } }, callers.otherApplicant, opts(now)),
      kind: ForbiddenError,
      status: 403,
      type: 'not-yours',
    },
    {
      name: 'an edit after submission outside a supplement or revision',
      run: () =>
        editApplication(driveTo('SUBMITTED').app, { project: { name: '新名称' } }, callers.owner, opts(now)),
      kind: ConflictError,
      status: 409,
      type: 'not-editable',
    },
    {
      name: 'a change of category after submission',
      run: () => editApplication(submitted, { category: 'REPORT_FORM' }, callers.owner, opts(now)),
      kind: RuleError,
      status: 422,
      type: 'rule',
    },
    {
      name: 'a change of organisation after submission',
      run: () =>
        editApplication(
          submitted,
          { applicant: { orgCode: OTHER_ORG_CODE } },
          { ...callers.owner, orgCode: OTHER_ORG_CODE },
          opts(now),
        ),
      kind: RuleError,
      status: 422,
      type: 'rule',
    },
    {
      name: 'dropping a required material after submission',
      run: () =>
        editApplication(submitted, { materials: [material('EIA_DOCUMENT')] }, callers.owner, opts(now)),
      kind: RuleError,
      status: 422,
      type: 'rule',
    },
  ];

  it.each(cases)('$name is refused with its own problem type', ({ run, kind, status, type }) => {
    expect(refusal(run, kind, status).type).toBe(type);
  });

  it('of a payload rule names the field as the issue path', () => {
    const error = refusal(
      () =>
        decide(
          driveTo('UNDER_REVIEW').app,
          'propose_decision',
          callers.reviewer,
          { proposal: 'reject' },
          opts(now),
        ),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['reasons']);
  });
});

describe('a missing payload', () => {
  it('is taken as an empty one', () => {
    const s = decide(driveTo('DRAFT').app, 'submit', callers.owner, undefined, opts(now));
    expect(s.app.state).toBe('SUBMITTED');
    expect(s.event.payload).toEqual({});
  });
});

describe('an official', () => {
  it('is a caller of whom any one role is clerk, reviewer or approver', () => {
    expect(isOfficial(as(['reviewer', 'auditor']))).toBe(true);
    expect(isOfficial(as(['applicant', 'clerk']))).toBe(true);
    expect(isOfficial(as(['approver']))).toBe(true);
    expect(isOfficial(as(['applicant', 'auditor']))).toBe(false);
    expect(isOfficial(as(['system']))).toBe(false);
  });

  it('sees every application, also when holding the applicant role besides', () => {
    const app = driveTo('DRAFT').app;
    expect(canSee(app, as(['applicant', 'clerk']))).toBe(true);
    expect(canSee(app, as(['applicant']))).toBe(false);
  });
});

describe('canEdit', () => {
  it.each([
    ['DRAFT', true],
    ['SUPPLEMENT_REQUIRED', true],
    ['REVISION_REQUIRED', true],
    ['PREVIEW_REQUESTED', false],
    ['SUBMITTED', false],
    ['UNDER_REVIEW', false],
    ['APPROVED', false],
  ] as [State, boolean][])('for the owner in %s is %s', (state, editable) => {
    expect(canEdit(driveTo(state).app, callers.owner)).toBe(editable);
  });

  it('is false for anyone but the owner, and for the owner acting without the applicant role', () => {
    const app = driveTo('DRAFT').app;
    expect(canEdit(app, callers.otherApplicant)).toBe(false);
    expect(canEdit(app, callers.clerk)).toBe(false);
    expect(canEdit(app, { ...callers.owner, roles: ['auditor'] })).toBe(false);
  });
});

describe('an edit', () => {
  it('records only the fields it changes', () => {
    const draft = driveTo('DRAFT').app;
    const project = editApplication(draft, { project: { name: '新名称' } }, callers.owner, opts(now));
    expect(Object.keys(project.event.changes)).toEqual(['project']);
    const contact = editApplication(draft, { applicant: { contactName: '李四' } }, callers.owner, opts(now));
    expect(Object.keys(contact.event.changes)).toEqual(['applicant']);
    expect(contact.app.applicant).toEqual({ ...draft.applicant, contactName: '李四' });
  });

  it("after submission may change the applicant's contact, within the same organisation", () => {
    const t = driveTo('SUPPLEMENT_REQUIRED');
    const s = editApplication(
      t.app,
      { applicant: { contactPhone: '13900139000' } },
      callers.owner,
      opts(now),
    );
    expect(s.app.applicant.contactPhone).toBe('13900139000');
  });

  it('of a DRAFT may leave out required materials and change the organisation: both are checked on submission', () => {
    const draft = driveTo('DRAFT').app;
    const fewer = editApplication(draft, { materials: [material('EIA_DOCUMENT')] }, callers.owner, opts(now));
    expect(fewer.app.materials.map((m) => m.code)).toEqual(['EIA_DOCUMENT']);
    const moved = { ...callers.owner, orgCode: OTHER_ORG_CODE };
    const org = editApplication(draft, { applicant: { orgCode: OTHER_ORG_CODE } }, moved, opts(now));
    expect(org.app.applicant.orgCode).toBe(OTHER_ORG_CODE);
  });
});
