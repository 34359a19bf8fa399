import { describe, expect, it } from 'vitest';
import { GENESIS, hashEvent } from '../../../../shared/domain/audit-chain.ts';
import { verifyTrail } from '../../../../shared/domain/audit-verify.ts';
import { canDeleteDraft, createApplication, deleteDraft } from '../../../../shared/domain/decide.ts';
import { ConflictError, ForbiddenError } from '../../../../shared/domain/errors.ts';
import { applyChanges, replay } from '../../../../shared/domain/replay.ts';
import type { AuditEvent, Caller, UnsignedEvent } from '../../../../shared/domain/types.ts';
import { act, at, callers, createBody, driveTo, newId, ORG_CODE, refusal, start } from './fixtures.ts';

const now = at('2026-03-03', '11:00');
const opts = { now, requestId: 'req-delete' };

describe('deleteDraft', () => {
  it('the owner deletes a draft: delete_draft, state kept, deletedAt set, version one more', () => {
    const t = start('REPORT');
    expect(canDeleteDraft(t.app, callers.owner)).toBe(true);
    const step = deleteDraft(t.app, callers.owner, opts);
    expect(step.event).toMatchObject({
      action: 'delete_draft',
      seq: 2,
      from: 'DRAFT',
      to: 'DRAFT',
      actor: { id: callers.owner.id, role: 'applicant' },
      changes: { deletedAt: now.toISOString() },
    });
    expect(step.app).toMatchObject({ state: 'DRAFT', version: 2, deletedAt: now.toISOString() });
    // The trail alone rebuilds the deleted draft, as the auditor's verify replays it.
    expect(replay([...t.events, step.event])).toEqual(step.app);
  });

  it('a draft back from a preview was never submitted: it may be deleted', () => {
    let t = start('REPORT');
    t = act(t, 'request_preview', callers.owner, {}, at('2026-03-02', '10:00'));
    t = act(t, 'give_preview_advice', callers.clerk, { advice: '按报告表编制' }, at('2026-03-02', '11:00'));
    expect(t.app.state).toBe('DRAFT');
    expect(deleteDraft(t.app, callers.owner, opts).event.action).toBe('delete_draft');
  });

  it.each(['SUBMITTED', 'ACCEPTED', 'SUPPLEMENT_REQUIRED', 'WITHDRAWN'] as const)(
    'refuses in %s with 409 not-allowed-in-state',
    (state) => {
      const { app } = driveTo(state);
      expect(canDeleteDraft(app, callers.owner)).toBe(false);
      const error = refusal(() => deleteDraft(app, callers.owner, opts), ConflictError, 409);
      expect(error.type).toBe('not-allowed-in-state');
    },
  );

  it('refuses a DRAFT that carries a submission (receivedOn) with 409', () => {
    const { app } = start('REPORT');
    const once = { ...app, receivedOn: '2026-03-02' };
    expect(canDeleteDraft(once, callers.owner)).toBe(false);
    expect(refusal(() => deleteDraft(once, callers.owner, opts), ConflictError, 409).type).toBe(
      'not-allowed-in-state',
    );
  });

  it('refuses anyone but the owner with 403, an official too', () => {
    const { app } = start('REPORT');
    for (const who of ['otherApplicant', 'clerk', 'reviewer', 'approver', 'auditor'] as const) {
      expect(canDeleteDraft(app, callers[who]), who).toBe(false);
      expect(refusal(() => deleteDraft(app, callers[who], opts), ForbiddenError, 403).type).toBe('not-yours');
    }
    // The owner's identity under an official role only is not the applicant.
    const ownerAsClerk: Caller = { ...callers.owner, roles: ['clerk'] };
    refusal(() => deleteDraft(app, ownerAsClerk, opts), ForbiddenError, 403);
  });

  it('a walk-in: the clerk who took it in and the organisation may delete it, another clerk not', () => {
    const window = { orgName: '醴陵市瓷源陶瓷有限公司', orgCode: ORG_CODE };
    const { app } = createApplication({ ...createBody('REPORT'), onBehalfOf: window }, callers.clerk, {
      ...opts,
      now: at('2026-03-02'),
      id: newId(),
    });
    const otherClerk: Caller = { id: 'u-clerk-2', name: '陈窗口', roles: ['clerk'] };
    expect(canDeleteDraft(app, callers.clerk)).toBe(true);
    expect(canDeleteDraft(app, callers.owner)).toBe(true);
    expect(canDeleteDraft(app, otherClerk)).toBe(false);
    refusal(() => deleteDraft(app, otherClerk, opts), ForbiddenError, 403);
    const byWindow = deleteDraft(app, callers.clerk, opts);
    expect(byWindow.event).toMatchObject({
      actor: { id: callers.clerk.id, role: 'clerk' },
      onBehalfOf: window,
    });
    expect(deleteDraft(app, callers.owner, opts).event.actor.role).toBe('applicant');
  });

  it('a deleted draft cannot be deleted again', () => {
    const { app } = start('REPORT');
    const gone = deleteDraft(app, callers.owner, opts).app;
    expect(canDeleteDraft(gone, callers.owner)).toBe(false);
  });

  it('the chain of a deleted draft verifies against the item kept', () => {
    const t = start('REPORT');
    const step = deleteDraft(t.app, callers.owner, opts);
    const chained: AuditEvent[] = [];
    for (const event of [...t.events, step.event] as UnsignedEvent[]) {
      const prevHash = chained.at(-1)?.hash ?? GENESIS;
      const body = { ...event, prevHash };
      chained.push({ ...body, hash: hashEvent(body) } as AuditEvent);
    }
    const app = chained.reduce<ReturnType<typeof applyChanges> | undefined>(
      (a, e) => applyChanges(a, e),
      undefined,
    );
    const result = verifyTrail({
      applicationId: t.app.id,
      stored: { app: app ?? step.app, headHash: chained.at(-1)?.hash ?? '' },
      trail: chained.map((event) => ({ position: event.seq, event })),
    });
    expect(result).toMatchObject({ ok: true, events: 2 });
  });
});
