// @ts-nocheck
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

  it('masks the contact in a create event’s payload and changes, and nothing else', () => {
    const create = trail().events[0];
    if (!create) throw new Error('no create');
    const masked = maskEvent(create);
    expect(masked.payload).toMatchObject({
      applicant: { contactName: '李*', contactPhone: '138****8000', orgName: '醴陵市某陶瓷有限公司' },
      project: { name: '醴陵市陶瓷产业园废水处理站' },
    });
    expect(masked.changes.applicant).toMatchObject({ contactName: '李*', contactPhone: '138****8000' });
    expect({ ...masked, payload: null, changes: null }).toEqual({ ...create, payload: null, changes: null });
    expect(JSON.stringify(masked)).not.toContain('13800138000');
  });

  it('leaves the stored event untouched', () => {
    const create = trail().events[0];
    if (!create) throw new Error('no create');
    const before = JSON.stringify(create);
    maskEvent(create);
    expect(JSON.stringify(create)).toBe(before);
  });
});
