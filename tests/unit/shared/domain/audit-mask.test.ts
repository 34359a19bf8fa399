import { describe, expect, it } from 'vitest';
import { maskEvent, maskName, maskPhone } from '../../../../shared/domain/audit-mask.ts';
import { trail } from '../../../support/trail-fixture.ts';

describe('personal data in exports', () => {
  it('masks phones keeping the first 3 and last 4, and names keeping the family name', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('0731-23456789')).toBe('073******6789');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskName('李明')).toBe('李*');
    expect(maskName('欧阳建国')).toBe('欧***');
    expect(maskName('X')).toBe('*');
  });

  it('masks the contact in a create event’s payload and changes, the applicant’s own name, and nothing else', () => {
    const create = trail().events[0];
    if (!create) throw new Error('no create');
    const masked = maskEvent(create);
    expect(masked.payload).toMatchObject({
      applicant: { contactName: '李*', contactPhone: '138****8000', orgName: '醴陵市某陶瓷有限公司' },
      project: { name: '醴陵市陶瓷产业园废水处理站' },
    });
    expect(masked.changes.applicant).toMatchObject({ contactName: '李*', contactPhone: '138****8000' });
    // The applicant who created it acted under their own name: masked like the contact's (Li Ming → L******).
    expect(create.actor.role).toBe('applicant');
    expect(masked.actor).toEqual({ ...create.actor, name: maskName(create.actor.name) });
    expect(masked.actor.name).not.toBe(create.actor.name);
    expect({ ...masked, actor: null, payload: null, changes: null }).toEqual({
      ...create,
      actor: null,
      payload: null,
      changes: null,
    });
    expect(JSON.stringify(masked)).not.toContain('13800138000');
    expect(JSON.stringify(masked)).not.toContain(create.actor.name);
  });

  it('keeps the names of officials and the system: they act in office', () => {
    const accept = trail().events.find((e) => e.action === 'accept');
    if (!accept) throw new Error('no accept');
    expect(accept.actor.role).toBe('clerk');
    expect(maskEvent(accept).actor).toEqual(accept.actor);
    const system = { ...accept, actor: { id: 'system', role: 'system' as const, name: 'Sweeper 系统' } };
    expect(maskEvent(system).actor).toEqual(system.actor);
  });

  it('leaves the stored event untouched', () => {
    const create = trail().events[0];
    if (!create) throw new Error('no create');
    const before = JSON.stringify(create);
    maskEvent(create);
    expect(JSON.stringify(create)).toBe(before);
  });
});
