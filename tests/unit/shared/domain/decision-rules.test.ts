/**
 * The rules around a decision (docs/workflow.md#rules, docs/roles.md#conflict-of-interest), each at
 * its boundary: the facts frozen by the acceptance notice, nobody acting officially on their own
 * organisation's application, and the approver signing only the conditions that were on notice.
 */
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  canEdit,
  createApplication,
  decide,
  editApplication,
  frozenFacts,
} from '../../../../shared/domain/decide.ts';
import { ForbiddenError, RuleError } from '../../../../shared/domain/errors.ts';
import { type Application, type Caller, officialRoles, states } from '../../../../shared/domain/types.ts';
import { actionDef } from '../../../../shared/domain/workflow.ts';
import { type ActionName, actionNames } from '../../../../shared/schemas/actions.ts';
import {
  act,
  at,
  callers,
  createBody,
  DEFAULT_START,
  driveTo,
  newId,
  ORG_CODE,
  OTHER_ORG_CODE,
  paths,
  payloadFor,
  payloads,
  refusal,
  type Trail,
  workingDay,
} from './fixtures.ts';

const opts = (now: Date) => ({ now, requestId: 'req-decision-rules' });
/** driveTo: submitted on day 0, accepted day 1, proposed day 4 (notice until day 9), decided day 12. */
const day = (n: number) => at(workingDay(DEFAULT_START, n), '16:00');

describe('facts-frozen', () => {
  const facts = {
    project: {
      name: '改名后的项目',
      location: '醴陵市东富镇',
      industry: '化学原料制造',
      investmentCny: 99_000_000,
    },
    applicant: { orgName: '改名后的公司' },
  };

  it('lets the owner change every fact before acceptance (SUPPLEMENT_REQUIRED)', () => {
    const t = driveTo('SUPPLEMENT_REQUIRED');
    expect(t.app.acceptance).toBeUndefined();
    const s = editApplication(t.app, facts, callers.owner, opts(day(1)));
    expect(s.app.project).toMatchObject(facts.project);
    expect(s.app.applicant.orgName).toBe('改名后的公司');
  });

  it('refuses each fact once the acceptance notice is out, naming every field', () => {
    const t = driveTo('REVISION_REQUIRED');
    expect(t.app.acceptance?.noticePublishedOn).toBeDefined();
    const error = refusal(() => editApplication(t.app, facts, callers.owner, opts(day(4))), RuleError, 422);
    expect(error.type).toBe('facts-frozen');
    expect(paths(error)).toEqual([
      'project.name',
      'project.location',
      'project.industry',
      'project.investmentCny',
      'applicant.orgName',
    ]);
    expect(error.message).toContain(t.app.acceptance?.noticePublishedOn);
  });

  it.each(frozenFacts)('refuses %s.%s alone after acceptance', (part, field) => {
    const t = driveTo('REVISION_REQUIRED');
    const value = field === 'investmentCny' ? 1 : field === 'orgCode' ? OTHER_ORG_CODE : '另一个值';
    const error = refusal(
      () => editApplication(t.app, { [part]: { [field]: value } }, callers.owner, opts(day(4))),
      RuleError,
      422,
    );
    expect(error.type).toBe('facts-frozen');
    expect(paths(error)).toEqual([`${part}.${field}`]);
  });

  it('refuses a frozen fact sent together with an allowed edit: the whole edit', () => {
    const t = driveTo('REVISION_REQUIRED');
    const error = refusal(
      () =>
        editApplication(
          t.app,
          { project: { name: '改名', description: '新说明' }, applicant: { contactName: '李四' } },
          callers.owner,
          opts(day(4)),
        ),
      RuleError,
      422,
    );
    expect(paths(error)).toEqual(['project.name']);
  });

  it('still lets the owner change the description, contact, consultancy and materials after acceptance', () => {
    const t = driveTo('REVISION_REQUIRED');
    const edit = {
      project: { description: '补充了非正常工况' },
      applicant: { contactName: '李四', contactPhone: '13900000000' },
      preparedBy: { orgName: '湖南某环保科技有限公司', orgCode: OTHER_ORG_CODE },
    };
    const s = editApplication(t.app, edit, callers.owner, opts(day(4)));
    expect(s.app.project).toEqual({ ...t.app.project, description: '补充了非正常工况' });
    expect(s.app.applicant).toEqual({ ...t.app.applicant, contactName: '李四', contactPhone: '13900000000' });
    expect(s.app.preparedBy).toEqual(edit.preparedBy);
  });

  it('takes the facts restated as they are (the whole project sent back unchanged)', () => {
    const t = driveTo('REVISION_REQUIRED');
    const { name, location, industry, investmentCny } = t.app.project;
    const { orgName, orgCode } = t.app.applicant;
    const s = editApplication(
      t.app,
      { project: { name, location, industry, investmentCny }, applicant: { orgName, orgCode } },
      callers.owner,
      opts(day(4)),
    );
    expect(s.app.project).toEqual(t.app.project);
    expect(s.app.applicant).toEqual(t.app.applicant);
  });

  it('freezes the facts of a deemed acceptance too', () => {
    let t = driveTo('SUBMITTED');
    // Past the completeness check the sweeper records the acceptance.
    t = act(t, 'accept', callers.system, {}, day(20));
    t = act(t, 'start_review', callers.reviewer, {}, day(21));
    t = act(t, 'request_revision', callers.reviewer, payloads.request_revision, day(22));
    expect(t.app.acceptance?.deemed).toBe(true);
    const error = refusal(
      () => editApplication(t.app, { project: { location: '株洲市' } }, callers.owner, opts(day(23))),
      RuleError,
      422,
    );
    expect(error.type).toBe('facts-frozen');
  });
});

/** One person holding the applicant role and every official role, of the owner's organisation. */
const ownerWithAllRoles: Caller = {
  id: callers.owner.id,
  name: callers.owner.name,
  roles: ['applicant', ...officialRoles],
  orgCode: ORG_CODE,
};
/** Not the owner, no applicant role, but of the applicant's organisation. */
const colleagueOfficial: Caller = {
  id: 'u-colleague-official',
  name: '钱同事',
  roles: [...officialRoles],
  orgCode: ORG_CODE,
};

const isOfficialAction = (name: ActionName) =>
  actionDef(name).roles.some((r) => (officialRoles as readonly string[]).includes(r));
const officialActions = actionNames.filter(isOfficialAction);

/** Where and when `action` is open to the right official: its first state, on a day its rules allow. */
function situation(action: ActionName): { trail: Trail; now: Date; control: Caller } {
  const state = actionDef(action).from[0];
  if (!state) throw new Error(`${action} has no state`);
  const trail = driveTo(state);
  const early = ['give_preview_advice', 'request_supplement', 'accept', 'decline'].includes(action);
  const roles = actionDef(action).roles;
  const control = roles.includes('clerk')
    ? callers.clerk
    : roles.includes('approver')
      ? callers.approver
      : callers.reviewer; // the case officer of driveTo
  // An official of another organisation: an orgCode alone refuses nothing.
  return { trail, now: early ? day(1) : day(12), control: { ...control, orgCode: OTHER_ORG_CODE } };
}

describe('conflict-of-interest', () => {
  it('covers every official action of the workflow', () => {
    expect(officialActions).toEqual(
      expect.arrayContaining([
        'give_preview_advice',
        'accept',
        'start_review',
        'propose_decision',
        'approve',
      ]),
    );
    expect(officialActions).toHaveLength(15);
  });

  it.each(officialActions)(
    'refuses the owner holding every official role at %s (control: another official may)',
    (action) => {
      const { trail, now, control } = situation(action);
      const payload = payloadFor(action, trail.app);
      expect(decide(trail.app, action, control, payload, opts(now)).app.version).toBe(trail.app.version + 1);
      for (const caller of [ownerWithAllRoles, colleagueOfficial]) {
        const error = refusal(
          () => decide(trail.app, action, caller, payload, opts(now)),
          ForbiddenError,
          403,
        );
        expect(error.type).toBe('conflict-of-interest');
      }
    },
  );

  it.each(states.filter((s) => !['FILED'].includes(s)))(
    'offers the owner holding every official role no official action in %s',
    (state) => {
      const { app } = driveTo(state);
      const now = day(12);
      for (const caller of [ownerWithAllRoles, colleagueOfficial]) {
        expect(allowedActions(app, caller, { now }).filter(isOfficialAction)).toEqual([]);
      }
    },
  );

  it('still lets the owner holding every role act as the applicant', () => {
    const t = driveTo('DRAFT');
    const s = decide(t.app, 'submit', ownerWithAllRoles, {}, opts(day(0)));
    expect(s.event.actor.role).toBe('applicant');
    expect(allowedActions(t.app, ownerWithAllRoles, { now: day(0) })).toContain('submit');
  });

  it('refuses an official of the organisation even when someone else owns the application', () => {
    const t = driveTo('SUBMITTED');
    const error = refusal(
      () => decide(t.app, 'accept', colleagueOfficial, {}, opts(day(1))),
      ForbiddenError,
      403,
    );
    expect(error.type).toBe('conflict-of-interest');
    expect(error.message).toContain('another official');
  });

  it("checks the organisation by the applicant's code, not the caller's name or id", () => {
    const t = driveTo('SUBMITTED');
    const sameNameOtherOrg: Caller = { ...colleagueOfficial, orgCode: OTHER_ORG_CODE };
    expect(decide(t.app, 'accept', sameNameOtherOrg, {}, opts(day(1))).app.state).toBe('ACCEPTED');
  });
});

describe('conflict-of-interest at the window (walk-in)', () => {
  const window = { orgName: '醴陵市瓷源陶瓷有限公司', orgCode: ORG_CODE };
  const clerkOfTheOrg: Caller = { ...callers.clerk, id: 'u-clerk-org', orgCode: ORG_CODE };
  const clerkOfAnotherOrg: Caller = { ...callers.clerk, id: 'u-clerk-other', orgCode: OTHER_ORG_CODE };

  function walkIn(): Application {
    return createApplication({ ...createBody('REPORT'), onBehalfOf: window }, callers.clerk, {
      ...opts(day(0)),
      id: newId(),
    }).app;
  }

  it('lets a clerk act for the organisation, and the same clerk accept it: neither is their own', () => {
    const app = walkIn();
    const submitted = decide(app, 'submit', callers.clerk, {}, opts(day(0))).app;
    expect(decide(submitted, 'accept', callers.clerk, {}, opts(day(1))).app.state).toBe('ACCEPTED');
    expect(decide(app, 'submit', clerkOfAnotherOrg, {}, opts(day(0))).app.state).toBe('SUBMITTED');
    expect(canEdit(app, clerkOfAnotherOrg)).toBe(true);
  });

  it('refuses a clerk of the organisation itself as its window: acts, edits and intake', () => {
    const app = walkIn();
    expect(
      refusal(() => decide(app, 'submit', clerkOfTheOrg, {}, opts(day(0))), ForbiddenError, 403).type,
    ).toBe('conflict-of-interest');
    expect(
      refusal(
        () => editApplication(app, { project: { description: '新说明' } }, clerkOfTheOrg, opts(day(0))),
        ForbiddenError,
        403,
      ).type,
    ).toBe('conflict-of-interest');
    expect(canEdit(app, clerkOfTheOrg)).toBe(false);
    expect(allowedActions(app, clerkOfTheOrg, { now: day(0) })).toEqual([]);
    const intake = () =>
      createApplication({ ...createBody('REPORT'), onBehalfOf: window }, clerkOfTheOrg, {
        ...opts(day(0)),
        id: newId(),
      });
    expect(refusal(intake, ForbiddenError, 403).type).toBe('conflict-of-interest');
  });
});

describe('conditions-differ-from-notice', () => {
  const after = day(12);
  const noticed = payloads.propose_decision.conditions as string[];

  it('approves without conditions as noticed: the decision carries the noticed ones', () => {
    const t = driveTo('PUBLIC_NOTICE');
    expect(t.app.proposal?.conditions).toEqual(noticed);
    const s = decide(t.app, 'approve', callers.approver, {}, opts(after));
    expect(s.app.decision?.conditions).toEqual(noticed);
    expect(s.notice?.conditions).toEqual(noticed);
  });

  it('takes the noticed conditions restated, trimmed', () => {
    const t = driveTo('PUBLIC_NOTICE');
    const s = decide(
      t.app,
      'approve',
      callers.approver,
      { conditions: noticed.map((c) => `  ${c}\n`) },
      opts(after),
    );
    expect(s.app.decision?.conditions).toEqual(noticed);
  });

  const second = '噪声昼间不超过 60 dB';
  it.each([
    ['another condition', [second]],
    ['one more condition', [...noticed, second]],
    ['a changed wording', noticed.map((c) => `${c}（暂定）`)],
  ])('refuses %s, naming conditions, and stores nothing', (_what, conditions) => {
    const t = driveTo('PUBLIC_NOTICE');
    const before = structuredClone(t.app);
    const error = refusal(
      () => decide(t.app, 'approve', callers.approver, { conditions }, opts(after)),
      RuleError,
      422,
    );
    expect(error.type).toBe('conditions-differ-from-notice');
    expect(paths(error)).toEqual(['conditions']);
    expect(t.app).toEqual(before);
  });

  it('refuses the noticed conditions in another order', () => {
    let t = driveTo('UNDER_REVIEW');
    const two = ['颗粒物排放浓度不超过 10 mg/m³', second];
    t = act(t, 'propose_decision', callers.reviewer, { proposal: 'approve', conditions: two }, day(4));
    const reversed = [...two].reverse();
    const error = refusal(
      () => decide(t.app, 'approve', callers.approver, { conditions: reversed }, opts(after)),
      RuleError,
      422,
    );
    expect(error.type).toBe('conditions-differ-from-notice');
    expect(
      decide(t.app, 'approve', callers.approver, { conditions: two }, opts(after)).app.decision?.conditions,
    ).toEqual(two);
  });

  it('refuses conditions on a notice that had none, and approves it without', () => {
    let t = driveTo('UNDER_REVIEW');
    t = act(t, 'propose_decision', callers.reviewer, { proposal: 'approve' }, day(4));
    const error = refusal(
      () => decide(t.app, 'approve', callers.approver, { conditions: [second] }, opts(after)),
      RuleError,
      422,
    );
    expect(error.type).toBe('conditions-differ-from-notice');
    expect(error.issues?.[0]?.message).toContain('had no conditions');
    const s = decide(t.app, 'approve', callers.approver, {}, opts(after));
    expect(s.app.decision).not.toHaveProperty('conditions');
  });
});
