import { ForbiddenError, RuleError, ValidationError } from './errors.ts';
import { ruleIssue } from './rules.ts';
import type { Caller, Role } from './types.ts';

/**
 * The bureau's staff (and applicants' accounts) as the user directory holds them: Cognito's user
 * pool in AWS, the local user directory under `npm start`. `id` is the token's `sub`.
 */
export interface StaffUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly groups: readonly Role[];
  readonly enabled: boolean;
  /** invited: has not signed in yet (Cognito's FORCE_CHANGE_PASSWORD); active: has. */
  readonly status: StaffStatus;
  readonly createdAt: string;
  /** 统一社会信用代码 of an applicant's organisation. */
  readonly orgCode?: string;
  /**
   * A mobile number the directory holds for the account (Cognito's verified `phone_number`, or an
   * official's number in a directory of the bureau's own): the SMS channel texts it.
   */
  readonly phone?: string;
  /**
   * The admin whose invitation opened the account (set once, when it is created); absent for an
   * account opened otherwise. A retried invitation completes only an account that has it.
   */
  readonly invitedBy?: string;
}

export const staffStatuses = ['invited', 'active', 'other'] as const;
export type StaffStatus = (typeof staffStatuses)[number];

export interface Invitation {
  readonly email: string;
  readonly name: string;
  readonly groups: readonly Role[];
  readonly orgCode?: string | undefined;
  /** A mobile number for SMS notices, E.164 (+8613800000000). */
  readonly phone?: string | undefined;
}

export interface StaffPatch {
  readonly groups?: readonly Role[] | undefined;
  readonly enabled?: boolean | undefined;
  /** A new mobile number (E.164); null removes the one held. */
  readonly phone?: string | null | undefined;
}

const holdsAdmin = (user: Pick<StaffUser, 'groups' | 'enabled'>) =>
  user.enabled && user.groups.includes('admin');

/**
 * `own-roles`: nobody changes their own account, neither its groups nor `enabled`: a role is always
 * given (or taken), and an account enabled again, by someone else. Checked first, with nothing read.
 */
export function checkOwnRoles(caller: Caller, target: Pick<StaffUser, 'id'>, patch: StaffPatch): void {
  if (target.id !== caller.id) return;
  throw new RuleError('own-roles', 'nobody can change their own account; ask another admin', {
    issues: [
      ruleIssue(
        patch.groups !== undefined ? 'groups' : patch.enabled !== undefined ? 'enabled' : 'phone',
        'this is your own account',
        'own-account',
      ),
    ],
  });
}

/**
 * The token's `cognito:groups` is as old as the token (up to an hour): a staff change is made only
 * by a caller whom the directory holds, now, as an enabled admin. `account`: the caller's account
 * as the directory answers it, undefined when it has none.
 */
export function checkCallerIsAdmin(account: StaffUser | undefined): void {
  if (account && holdsAdmin(account)) return;
  throw new ForbiddenError(
    'wrong-role',
    'your account is no longer an enabled admin; sign in again or ask another admin',
  );
}

/** Whether the change takes something away (a group, or the account itself): its tokens must go. */
export function revokesAccess(target: StaffUser, patch: StaffPatch): boolean {
  if (patch.enabled === false && target.enabled) return true;
  return patch.groups !== undefined && target.groups.some((g) => !patch.groups?.includes(g));
}

/** An applicant's token carries their organisation's code: an account without one cannot become one. */
export function checkApplicantOrg(target: StaffUser, patch: StaffPatch): void {
  if (!patch.groups?.includes('applicant') || target.orgCode || target.groups.includes('applicant')) return;
  throw new ValidationError('Invalid request body: groups', [
    ruleIssue(
      'groups',
      "an applicant's account needs its organisation's code: invite it as an applicant instead",
      'applicant-needs-org',
    ),
  ]);
}

/** Whether the change takes an enabled admin away (by their groups or by disabling them). */
export function removesAdmin(target: StaffUser, patch: StaffPatch): boolean {
  const after = { groups: patch.groups ?? target.groups, enabled: patch.enabled ?? target.enabled };
  return holdsAdmin(target) && !holdsAdmin(after);
}

/**
 * `last-admin`: the bureau always keeps one enabled admin who can sign in, so nobody removes the
 * last one, neither by taking `admin` out of their groups nor by disabling them. `activeAdmins`:
 * the ids of every enabled admin who has signed in at least once (read only when the change
 * removes one): an invitation nobody accepted (a mistyped address) does not count.
 */
export function checkLastAdmin(target: StaffUser, patch: StaffPatch, activeAdmins: readonly string[]): void {
  if (!removesAdmin(target, patch) || activeAdmins.some((id) => id !== target.id)) return;
  throw new RuleError(
    'last-admin',
    `${target.name} is the last active admin: make someone else (who has signed in) an admin first`,
    {
      issues: [
        ruleIssue(patch.groups === undefined ? 'enabled' : 'groups', 'would leave no admin', 'last-admin'),
      ],
    },
  );
}

/**
 * How an event names an account's mobile number: whether one is held (`set`) or not (`none`), never
 * the number: the audit trail cannot forget what it holds, and the directory keeps the number.
 */
export type PhoneMark = 'set' | 'none';
export const phoneMark = (phone: string | null | undefined): PhoneMark => (phone ? 'set' : 'none');

/**
 * What an event about the change records: the fields it changes, before and after. A phone is
 * only marked (phoneMark): `set` → `set` is a number replaced by another.
 */
export function staffChangeOf(target: StaffUser, patch: StaffPatch) {
  const from: { groups?: readonly Role[]; enabled?: boolean; phone?: PhoneMark } = {};
  const to: { groups?: readonly Role[]; enabled?: boolean; phone?: PhoneMark } = {};
  if (patch.groups !== undefined) {
    from.groups = target.groups;
    to.groups = patch.groups;
  }
  if (patch.enabled !== undefined) {
    from.enabled = target.enabled;
    to.enabled = patch.enabled;
  }
  if (patch.phone !== undefined) {
    from.phone = phoneMark(target.phone);
    to.phone = phoneMark(patch.phone);
  }
  return { from, to };
}

/** A request body (an invitation, a patch) as its event records it: a phone only marked (phoneMark). */
export function withPhoneMarked<T extends { readonly phone?: string | null | undefined }>(
  body: T,
): Omit<T, 'phone'> & { phone?: PhoneMark } {
  const { phone, ...rest } = body;
  return phone === undefined ? rest : { ...rest, phone: phoneMark(phone) };
}
