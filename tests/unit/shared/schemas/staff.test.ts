import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import {
  phoneMark,
  type StaffPatch,
  staffChangeOf,
  withPhoneMarked,
} from '../../../../shared/domain/staff.ts';
import { parse } from '../../../../shared/schemas/parse.ts';
import { InvitationSchema, StaffPatchSchema } from '../../../../shared/schemas/staff.ts';

/**
 * An official's mobile number (SMS notifications) on an invitation and a staff change: a mainland
 * mobile as the applicant's contact phone is one, optionally after +86, kept in E.164.
 */
const invitation = { email: 'wang@liling.gov.cn', name: '王芳', groups: ['clerk'] };

/** The issues a refusal names: path and message. */
function refused(schema: typeof InvitationSchema | typeof StaffPatchSchema, body: unknown) {
  try {
    parse(schema, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues ?? [];
  }
  throw new Error('accepted');
}

describe('phone on an invitation', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['+8613800138000', '+8613800138000'],
    [' 19912345678 ', '+8619912345678'],
  ])('takes %j as %s', (given, kept) => {
    expect(parse(InvitationSchema, { ...invitation, phone: given }).phone).toBe(kept);
  });

  it('is optional', () => {
    expect(parse(InvitationSchema, invitation)).not.toHaveProperty('phone');
  });

  it.each([
    '1380013800', // 10 digits
    '138001380001', // 12 digits
    '12800138000', // 12x is no mobile prefix
    '23800138000',
    '0731-23456789', // a landline: it cannot receive an SMS
    '+85213800138000',
    '8613800138000',
    '+86 138 0013 8000',
    '１３８００１３８０００', // full-width digits
    '',
  ])('refuses %j with a 400 naming phone', (phone) => {
    const issues = refused(InvitationSchema, { ...invitation, phone });
    expect(issues.map((i) => i.path)).toEqual(['phone']);
    expect(issues[0]?.message).toMatch(/mainland mobile number/);
  });

  it('refuses a number that is not text', () => {
    expect(refused(InvitationSchema, { ...invitation, phone: 13800138000 }).map((i) => i.path)).toEqual([
      'phone',
    ]);
  });
});

describe('phone on a staff change', () => {
  it('alone is a change; null removes the number', () => {
    expect(parse(StaffPatchSchema, { phone: '13800138000' })).toEqual({ phone: '+8613800138000' });
    expect(parse(StaffPatchSchema, { phone: null })).toEqual({ phone: null });
    expect(parse(StaffPatchSchema, { groups: ['clerk'], phone: '+8619912345678' })).toEqual({
      groups: ['clerk'],
      phone: '+8619912345678',
    });
  });

  it('refuses a bad number naming phone, and an empty change as before', () => {
    expect(refused(StaffPatchSchema, { phone: '12345' }).map((i) => i.path)).toEqual(['phone']);
    expect(refused(StaffPatchSchema, {}).map((i) => i.message)).toEqual([
      'give groups, enabled, phone or several of them',
    ]);
  });
});

describe('a phone in the audit trail', () => {
  const target = {
    id: 'u1',
    email: 'u1@x.cn',
    name: 'u1',
    groups: ['clerk'] as const,
    enabled: true,
    status: 'active' as const,
    createdAt: '2026-12-06T00:00:00.000Z',
  };

  it('is marked set or none, never the number', () => {
    expect(withPhoneMarked({ ...invitation, phone: '+8613800138000' })).toEqual({
      ...invitation,
      phone: 'set',
    });
    expect(withPhoneMarked({ phone: null })).toEqual({ phone: 'none' });
    const patch: StaffPatch = { enabled: false };
    expect(withPhoneMarked(patch)).toEqual({ enabled: false });
    expect(staffChangeOf(target, { phone: '+8613800138000' })).toEqual({
      from: { phone: 'none' },
      to: { phone: 'set' },
    });
    const held = { ...target, phone: '+8613800138000' };
    expect(staffChangeOf(held, { phone: null })).toEqual({ from: { phone: 'set' }, to: { phone: 'none' } });
    expect(JSON.stringify(staffChangeOf(held, { phone: '+8613900139000' }))).not.toMatch(/\d{5}/);
    expect(staffChangeOf(held, { enabled: false })).toEqual({
      from: { enabled: true },
      to: { enabled: false },
    });
    expect(phoneMark(undefined)).toBe('none');
  });
});
