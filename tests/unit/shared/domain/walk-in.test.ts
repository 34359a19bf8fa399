/**
 * Walk-in intake (窗口代录) and the consultancy that prepared the documents (docs/roles.md#walk-in-intake):
 * a clerk creates for an organisation at the window; that organisation's applicants own it; the
 * window may act for it, and every such step records the organisation it acted for.
 */
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  canEdit,
  canSee,
  createApplication,
  decide,
  editApplication,
  isOwner,
} from '../../../../shared/domain/decide.ts';
import {
  ConflictError,
  ForbiddenError,
  RuleError,
  ValidationError,
} from '../../../../shared/domain/errors.ts';
import { waitsOn } from '../../../../shared/domain/queue.ts';
import type { Caller } from '../../../../shared/domain/types.ts';
import { usccCheckChar } from '../../../../shared/domain/uscc.ts';
import { appIndexKeys } from '../../../../shared/store/keys.ts';
import {
  act,
  at,
  callers,
  createBody,
  newId,
  ORG_CODE,
  OTHER_ORG_CODE,
  paths,
  payloads,
  refusal,
  type Trail,
} from './fixtures.ts';

const now = at('2026-03-02');
const opts = (when: Date = now) => ({ now: when, requestId: 'req-walk-in' });
const window = { orgName: '醴陵市瓷源陶瓷有限公司', orgCode: ORG_CODE };
const CONSULTANCY_PREFIX = '91430200MA4Q0001X';
const consultancy = {
  orgName: '湖南某环保科技有限公司',
  orgCode: CONSULTANCY_PREFIX + usccCheckChar(CONSULTANCY_PREFIX),
};
/** Another applicant of the owner's organisation. */
const colleague: Caller = { id: 'u-colleague', name: '王五', roles: ['applicant'], orgCode: ORG_CODE };
const otherClerk: Caller = { id: 'u-clerk-2', name: '陈窗口', roles: ['clerk'] };

function walkIn(extra: Record<string, unknown> = {}): Trail {
  const step = createApplication({ ...createBody('REPORT'), onBehalfOf: window, ...extra }, callers.clerk, {
    ...opts(),
    id: newId(),
  });
  return { app: step.app, events: [step.event], steps: [step], now };
}

describe('creating on behalf of an organisation', () => {
  it('is marked as a walk-in by the clerk, and the event names the organisation', () => {
    const t = walkIn();
    expect(t.app.intake).toEqual({
      kind: 'WALK_IN',
      by: { id: callers.clerk.id, name: callers.clerk.name },
      onBehalfOf: window,
    });
    expect(t.events[0]?.actor).toEqual({ id: callers.clerk.id, role: 'clerk', name: callers.clerk.name });
    expect(t.events[0]?.onBehalfOf).toEqual(window);
  });

  it('is for clerks only: an applicant naming onBehalfOf is 403, whatever else the body holds', () => {
    for (const caller of [callers.owner, callers.reviewer, callers.auditor]) {
      const error = refusal(
        () => createApplication({ onBehalfOf: window }, caller, { ...opts(), id: newId() }),
        ForbiddenError,
        403,
      );
      expect(error.type).toBe('wrong-role');
    }
  });

  it('needs onBehalfOf from a clerk (403 without it)', () => {
    refusal(
      () => createApplication(createBody('REPORT'), callers.clerk, { ...opts(), id: newId() }),
      ForbiddenError,
      403,
    );
  });

  it('refuses an onBehalfOf code other than applicant.orgCode (422) and a bad USCC (400)', () => {
    const mismatch = refusal(
      () => walkIn({ onBehalfOf: { ...window, orgCode: OTHER_ORG_CODE } }),
      RuleError,
      422,
    );
    expect(paths(mismatch)).toEqual(['onBehalfOf.orgCode']);
    const bad = refusal(
      () =>
        walkIn({
          onBehalfOf: { ...window, orgCode: `${ORG_CODE.slice(0, 17)}${ORG_CODE.endsWith('0') ? '1' : '0'}` },
        }),
      ValidationError,
      400,
    );
    expect(paths(bad)).toEqual(['onBehalfOf.orgCode']);
    const unknown = refusal(() => walkIn({ onBehalfOf: { ...window, licence: 'x' } }), ValidationError, 400);
    expect(paths(unknown)).toEqual(['onBehalfOf.licence']);
  });

  it('is owned by every applicant of that organisation, not by the clerk nor by anyone else', () => {
    const { app } = walkIn();
    expect(isOwner(app, callers.owner)).toBe(true);
    expect(isOwner(app, colleague)).toBe(true);
    expect(isOwner(app, callers.clerk)).toBe(false);
    expect(isOwner(app, callers.otherApplicant)).toBe(false);
    // Same sub as the creating clerk, but no applicant of the organisation: not an owner.
    expect(isOwner(app, { ...callers.clerk, roles: ['applicant'] })).toBe(false);
    expect(canSee(app, colleague)).toBe(true);
    expect(canSee(app, callers.otherApplicant)).toBe(false);
  });

  it("is listed under the organisation's owner partition, not the clerk's", () => {
    const { app } = walkIn();
    expect(appIndexKeys(app).gsi1pk).toBe(`ORG#${ORG_CODE}`);
  });
});

describe('acting on a walk-in', () => {
  it("lets the organisation's applicants act as the owner; the event has no onBehalfOf", () => {
    const t = act(walkIn(), 'submit', colleague, {}, at('2026-03-02', '11:00'));
    expect(t.app.state).toBe('SUBMITTED');
    expect(t.events[1]?.actor.id).toBe(colleague.id);
    expect(t.events[1]?.onBehalfOf).toBeUndefined();
  });

  it('lets any clerk act for the organisation as owner, recorded as the clerk with onBehalfOf', () => {
    const t = walkIn();
    expect(allowedActions(t.app, otherClerk, { now })).toEqual(
      expect.arrayContaining(['request_preview', 'submit', 'withdraw']),
    );
    const submitted = act(t, 'submit', otherClerk, {}, at('2026-03-02', '11:00'));
    expect(submitted.events[1]).toMatchObject({
      actor: { id: otherClerk.id, role: 'clerk' },
      onBehalfOf: window,
    });
    // The window answers the supplement notice with the papers brought in.
    let s = act(
      submitted,
      'request_supplement',
      callers.clerk,
      payloads.request_supplement,
      at('2026-03-03'),
    );
    // The window's own act on a walk-in (an official's, not the owner's) is the clerk's alone.
    expect(s.events.at(-1)).toMatchObject({ action: 'request_supplement', actor: { role: 'clerk' } });
    expect(s.events.at(-1)).not.toHaveProperty('onBehalfOf');
    s = act(s, 'resubmit', otherClerk, payloads.resubmit, at('2026-03-04'));
    expect(s.app.state).toBe('SUBMITTED');
    expect(s.events.at(-1)?.onBehalfOf).toEqual(window);
  });

  it("keeps every other applicant out (403 not-yours) and leaves the clerk's own actions as they were", () => {
    const t = walkIn();
    const error = refusal(
      () => decide(t.app, 'submit', callers.otherApplicant, {}, opts()),
      ForbiddenError,
      403,
    );
    expect(error.type).toBe('not-yours');
    // On an ordinary application the clerk is no owner's stand-in.
    const own = createApplication(createBody('REPORT'), callers.owner, { ...opts(), id: newId() });
    refusal(() => decide(own.app, 'submit', callers.clerk, {}, opts()), ForbiddenError, 403);
    expect(allowedActions(own.app, callers.clerk, { now })).not.toContain('submit');
  });

  it('lets the window and the organisation edit; the organisation cannot change', () => {
    const t = walkIn();
    expect(canEdit(t.app, callers.clerk)).toBe(true);
    expect(canEdit(t.app, colleague)).toBe(true);
    expect(canEdit(t.app, callers.otherApplicant)).toBe(false);
    const edited = editApplication(t.app, { project: { name: '窑炉改造（窗口代录）' } }, otherClerk, opts());
    expect(edited.app.project.name).toBe('窑炉改造（窗口代录）');
    expect(edited.event).toMatchObject({ actor: { id: otherClerk.id, role: 'clerk' }, onBehalfOf: window });
    const moved = refusal(
      () => editApplication(t.app, { applicant: { orgCode: OTHER_ORG_CODE } }, callers.clerk, opts()),
      RuleError,
      422,
    );
    expect(paths(moved)).toEqual(['applicant.orgCode']);
    refusal(
      () => editApplication(t.app, { project: { name: 'x' } }, callers.otherApplicant, opts()),
      ForbiddenError,
      403,
    );
  });

  it('waits on the organisation when the owner must answer', () => {
    let t = act(walkIn(), 'submit', callers.clerk, {}, at('2026-03-02', '11:00'));
    t = act(t, 'request_supplement', callers.clerk, payloads.request_supplement, at('2026-03-03'));
    expect(waitsOn(t.app)).toEqual({ orgCode: ORG_CODE });
    expect(appIndexKeys(t.app).gsi8pk).toBe(`WAITS#org#${ORG_CODE}`);
  });
});

describe('preparedBy', () => {
  it('is named on create and edited while editable; null removes it', () => {
    const step = createApplication({ ...createBody('REPORT'), preparedBy: consultancy }, callers.owner, {
      ...opts(),
      id: newId(),
    });
    expect(step.app.preparedBy).toEqual(consultancy);
    const renamed = { ...consultancy, orgName: '湖南某环保科技股份有限公司' };
    const edited = editApplication(step.app, { preparedBy: renamed }, callers.owner, opts());
    expect(edited.app.preparedBy).toEqual(renamed);
    const removed = editApplication(edited.app, { preparedBy: null }, callers.owner, opts());
    expect(removed.app.preparedBy).toBeUndefined();
    expect(removed.event.changes).toEqual({ preparedBy: null });
  });

  it('validates the USCC and refuses unknown fields', () => {
    const t = walkIn();
    const bad = refusal(
      () => editApplication(t.app, { preparedBy: { ...consultancy, orgCode: 'ABC' } }, callers.clerk, opts()),
      ValidationError,
      400,
    );
    expect(paths(bad)).toEqual(['preparedBy.orgCode']);
    const extra = refusal(
      () => editApplication(t.app, { preparedBy: { ...consultancy, phone: '1' } }, callers.clerk, opts()),
      ValidationError,
      400,
    );
    expect(paths(extra)).toEqual(['preparedBy.phone']);
  });

  it('cannot be edited once the application is no longer editable', () => {
    const t = act(walkIn(), 'submit', callers.clerk, {}, at('2026-03-02', '11:00'));
    refusal(() => editApplication(t.app, { preparedBy: consultancy }, colleague, opts()), ConflictError, 409);
  });
});
