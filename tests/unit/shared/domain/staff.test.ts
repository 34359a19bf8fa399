import { describe, expect, it } from 'vitest';
import { ForbiddenError, RuleError, ValidationError } from '../../../../shared/domain/errors.ts';
import {
  checkApplicantOrg,
  checkCallerIsAdmin,
  checkLastAdmin,
  checkOwnRoles,
  removesAdmin,
  revokesAccess,
  type StaffUser,
  staffChangeOf,
} from '../../../../shared/domain/staff.ts';
import type { Caller } from '../../../../shared/domain/types.ts';

const user = (id: string, groups: StaffUser['groups'], enabled = true): StaffUser => ({
  id,
  email: `${id}@example.cn`,
  name: id,
  groups,
  enabled,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
});
const me: Caller = { id: 'a1', name: 'a1', roles: ['admin'] };
const a1 = user('a1', ['admin']);
const a2 = user('a2', ['admin', 'auditor']);
const clerk = user('c1', ['clerk']);
const other: Caller = { id: 'someone', name: 's', roles: ['admin'] };

function refusal(fn: () => void): { type: string; paths: string[] } {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError)
      return { type: error.type, paths: (error.issues ?? []).map((i) => i.path) };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Both rules, in the handler's order. */
function checkStaffChange(
  caller: Caller,
  target: StaffUser,
  patch: Parameters<typeof checkOwnRoles>[2],
  admins: string[],
) {
  checkOwnRoles(caller, target, patch);
  checkLastAdmin(target, patch, admins);
}

describe('the rules of a change', () => {
  it("refuses any change of one's own groups, even with another admin around (own-roles)", () => {
    expect(refusal(() => checkStaffChange(me, a1, { groups: ['admin', 'clerk'] }, ['a1', 'a2']))).toEqual({
      type: 'own-roles',
      paths: ['groups'],
    });
  });

  it('refuses to take admin from the last enabled admin (last-admin, groups)', () => {
    const caller: Caller = { id: 'someone', name: 's', roles: ['admin'] };
    expect(refusal(() => checkStaffChange(caller, a1, { groups: ['clerk'] }, ['a1']))).toEqual({
      type: 'last-admin',
      paths: ['groups'],
    });
  });

  it("refuses any change of one's own account, enabled included, before the last-admin rule (own-roles)", () => {
    for (const patch of [{ enabled: false }, { enabled: true }])
      expect(refusal(() => checkStaffChange(me, a1, patch, ['a1', 'a2']))).toEqual({
        type: 'own-roles',
        paths: ['enabled'],
      });
  });

  it('refuses to disable the last active admin (last-admin, enabled)', () => {
    expect(refusal(() => checkStaffChange(other, a1, { enabled: false }, ['a1']))).toEqual({
      type: 'last-admin',
      paths: ['enabled'],
    });
  });

  it('lets an admin go when another active admin remains', () => {
    expect(() => checkStaffChange(me, a2, { groups: ['auditor'] }, ['a1', 'a2'])).not.toThrow();
    expect(() => checkStaffChange(other, a1, { enabled: false }, ['a1', 'a2'])).not.toThrow();
  });

  it('leaves alone changes that keep or do not touch an admin', () => {
    expect(() => checkStaffChange(me, clerk, { groups: ['reviewer'], enabled: false }, [])).not.toThrow();
    expect(() => checkStaffChange(other, a1, { enabled: true }, ['a1'])).not.toThrow();
    // A disabled admin is no admin: enabling or demoting them never leaves fewer.
    expect(() => checkStaffChange(me, user('a3', ['admin'], false), { groups: ['clerk'] }, [])).not.toThrow();
  });
});

describe('checkApplicantOrg', () => {
  it('refuses to make an account without an organisation code an applicant, naming groups', () => {
    expect(() => checkApplicantOrg(clerk, { groups: ['applicant'] })).toThrow(ValidationError);
    expect(() => checkApplicantOrg(clerk, { groups: ['reviewer'] })).not.toThrow();
    expect(() =>
      checkApplicantOrg({ ...clerk, orgCode: '91430281MA4L00011X' }, { groups: ['applicant'] }),
    ).not.toThrow();
  });
});

describe('checkCallerIsAdmin', () => {
  it('lets through only an account the directory holds as an enabled admin now', () => {
    expect(() => checkCallerIsAdmin(a1)).not.toThrow();
    for (const account of [undefined, user('a1', ['auditor']), user('a1', ['admin'], false)])
      expect(() => checkCallerIsAdmin(account)).toThrow(ForbiddenError);
  });
});

describe('revokesAccess', () => {
  it('is true when the account is disabled or loses a group, not when it only gains', () => {
    expect(revokesAccess(a2, { groups: ['admin'] })).toBe(true);
    expect(revokesAccess(clerk, { enabled: false })).toBe(true);
    expect(revokesAccess(clerk, { groups: ['clerk', 'reviewer'], enabled: true })).toBe(false);
    expect(revokesAccess(user('x', ['clerk'], false), { enabled: false })).toBe(false);
  });
});

describe('removesAdmin', () => {
  it('is true only when an enabled admin stops being one', () => {
    expect(removesAdmin(a1, { groups: ['clerk'] })).toBe(true);
    expect(removesAdmin(a1, { enabled: false })).toBe(true);
    expect(removesAdmin(a1, { groups: ['admin', 'clerk'] })).toBe(false);
    expect(removesAdmin(clerk, { enabled: false })).toBe(false);
    expect(removesAdmin(user('a3', ['admin'], false), { groups: ['clerk'] })).toBe(false);
  });
});

describe('staffChangeOf', () => {
  it('records before and after of exactly the fields the patch names', () => {
    expect(staffChangeOf(clerk, { enabled: false })).toEqual({
      from: { enabled: true },
      to: { enabled: false },
    });
    expect(staffChangeOf(clerk, { groups: ['reviewer'] })).toEqual({
      from: { groups: ['clerk'] },
      to: { groups: ['reviewer'] },
    });
  });
});
