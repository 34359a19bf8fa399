/**
 * The public's names and contacts in the trail: `receive_comment` carries them (never the text),
 * counts the comment on its notice, and everyone but officials and auditors gets them masked —
 * while the trail as stored still verifies (a masked copy does not hash to its `hash`).
 */
import { describe, expect, it } from 'vitest';
import { hashEvent } from '../../../../shared/domain/audit-chain.ts';
import { maskContact, maskEvent, maskPublicContacts } from '../../../../shared/domain/audit-mask.ts';
import { commentsOn, type PublicComment, receiveComment } from '../../../../shared/domain/comments.ts';
import { stepChange } from '../../../../shared/domain/step-change.ts';
import type { Application, AuditEvent } from '../../../../shared/domain/types.ts';
import { at, driveTo } from './fixtures.ts';

const comment = (noticeId: string, more: Partial<PublicComment> = {}): PublicComment => ({
  commentId: `c-${Math.random().toString(36).slice(2, 8)}`,
  applicationId: 'x',
  noticeId,
  noticeKind: 'ACCEPTANCE',
  receivedAt: '2026-03-05T02:00:00.000Z',
  text: '担心粉尘影响周边居民',
  ...more,
});

/** The comments of `list` one after another, each event chained to the one before. */
function received(app: Application, list: PublicComment[], prevHash = 'f'.repeat(64)) {
  const events: AuditEvent[] = [];
  let current = app;
  let head = prevHash;
  for (const c of list) {
    const step = receiveComment(current, c, { now: at('2026-03-05'), requestId: `req-${c.commentId}` });
    const { event } = stepChange(step, head);
    events.push(event);
    current = step.app;
    head = event.hash;
  }
  return { app: current, events };
}

describe('receive_comment', () => {
  const { app } = driveTo('UNDER_REVIEW');

  it('records the name and contact given, never the text; nothing personal in its changes', () => {
    const { events } = received(app, [comment('N1', { name: '刘建国', contact: 'liuwei@x.cn' })]);
    const [event] = events;
    expect(event?.actor.id).toBe('public');
    expect(event?.payload).toMatchObject({ noticeId: 'N1', name: '刘建国', contact: 'liuwei@x.cn' });
    expect(JSON.stringify(event)).not.toContain('粉尘');
    expect(JSON.stringify(event?.changes)).not.toMatch(/刘建国|liuwei/);
  });

  it('leaves name and contact out when none were given', () => {
    const { events } = received(app, [comment('N1')]);
    expect(Object.keys(events[0]?.payload as object).sort()).toEqual(['commentId', 'noticeId', 'noticeKind']);
  });

  it('counts the comments on each notice apart, and all of them together', () => {
    const { app: after } = received(app, [comment('N1'), comment('N2'), comment('N1')]);
    expect(commentsOn(after, 'N1')).toBe(2);
    expect(commentsOn(after, 'N2')).toBe(1);
    expect(commentsOn(after, 'N3')).toBe(0);
    expect(after.comments).toMatchObject({ received: (app.comments?.received ?? 0) + 3 });
  });
});

describe('masking the public’s contacts', () => {
  const { app } = driveTo('UNDER_REVIEW');
  const { events } = received(app, [
    comment('N1', { name: '刘建国', contact: 'liuwei@x' }),
    comment('N1', { name: '欧阳', contact: '13800001234' }),
    comment('N1'),
  ]);

  it('masks the name to the family name and the contact as an e-mail address or a phone', () => {
    expect(maskPublicContacts(events[0] as AuditEvent).payload).toMatchObject({
      name: '刘**',
      contact: 'l*****@x',
    });
    expect(maskPublicContacts(events[1] as AuditEvent).payload).toMatchObject({
      name: '欧*',
      contact: '138****1234',
    });
    // Neither an e-mail address nor a phone number: masked wholly (its ends may be a name).
    expect(maskContact('微信 liu_jianguo')).toBe('**************');
  });

  it('changes nothing else of the event, and leaves one without contacts as it is', () => {
    const masked = maskPublicContacts(events[0] as AuditEvent);
    expect({ ...masked, payload: null }).toEqual({ ...events[0], payload: null });
    const { name: _n, contact: _c, ...rest } = (events[0] as AuditEvent).payload as Record<string, unknown>;
    expect(masked.payload).toMatchObject(rest);
    expect(maskPublicContacts(events[2] as AuditEvent)).toBe(events[2]);
  });

  it('touches only the public’s events: an official’s payload with a `name` stays', () => {
    const official = {
      ...(events[0] as AuditEvent),
      actor: { id: 'reviewer-1', role: 'reviewer', name: '陈静' },
    };
    expect(maskPublicContacts(official as AuditEvent)).toBe(official);
  });

  it('masks them in exports too (unless the auditor asks for personal data)', () => {
    expect(maskEvent(events[0] as AuditEvent).payload).toMatchObject({ name: '刘**', contact: 'l*****@x' });
  });

  it('keeps the stored events verifiable: each still hashes to its hash; the masked copy does not', () => {
    for (const event of events) {
      const { hash, ...rest } = event;
      expect(hashEvent(rest)).toBe(hash);
    }
    const { hash, ...masked } = maskPublicContacts(events[0] as AuditEvent);
    expect(hashEvent(masked)).not.toBe(hash);
    // The copy is a copy: the stored event keeps the name as given.
    expect(events[0]?.payload).toMatchObject({ name: '刘建国' });
  });
});
