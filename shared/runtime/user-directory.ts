import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Invitation, StaffPatch, StaffUser } from '../domain/staff.ts';

/**
 * The port of the staff routes: the accounts that may sign in, and their groups. Two adapters
 * answer alike: Cognito's admin API in AWS (shared/runtime/cognito-directory.ts) and the local
 * user directory of `npm start` (local/user-directory.ts), which the local server installs with
 * `useUserDirectory` before any request. The rules (last admin, own roles) are the handler's,
 * checked before either is asked to change anything.
 */
export interface UserDirectory {
  /** One page, in the directory's order; `next` is the adapter's own position, absent at the end. */
  list(page: { limit: number; next?: string }): Promise<{ users: StaffUser[]; next?: string }>;
  /** undefined when there is no such account. */
  get(id: string): Promise<StaffUser | undefined>;
  /**
   * The account of a token's bearer (the staff routes' caller), undefined when there is none.
   * Cognito gives tokens only to an account that signed in; the local sign-in has no such step, so
   * the local directory counts this as the account's first sign-in (status `active`).
   */
  signedIn(id: string): Promise<StaffUser | undefined>;
  /** The ids of every enabled admin who has signed in at least once (status `active`). */
  activeAdmins(): Promise<string[]>;
  /**
   * Opens the account, marked as invited by `invitedBy`, and sends the invitation; EmailTakenError
   * when the e-mail has one.
   */
  invite(invitation: Invitation, invitedBy?: string): Promise<StaffUser>;
  /** The account of an e-mail address (as invited: lower case), undefined when there is none. */
  byEmail(email: string): Promise<StaffUser | undefined>;
  /**
   * Sets what the patch names; UnknownUserError when there is no such account. A change that takes
   * access away (disabled, or a group removed) also signs the account out everywhere, so its
   * refresh tokens stop working (its current ID token lives until it expires).
   */
  update(id: string, patch: StaffPatch): Promise<StaffUser>;
}

/** 409: the e-mail already has an account. */
export class EmailTakenError extends ConflictError {
  constructor(email: string) {
    super('email-taken', `${email} already has an account`, {
      issues: [ruleIssue('email', 'already has an account', 'email-taken')],
    });
  }
}

export class UnknownUserError extends NotFoundError {
  constructor(id: string) {
    super('not-found', `no user ${id}`);
  }
}

let installed: UserDirectory | undefined;

/** The local server's directory (or a test's); in AWS the handler makes Cognito's itself. */
export function useUserDirectory(directory: UserDirectory | undefined): void {
  installed = directory;
}

export function installedUserDirectory(): UserDirectory | undefined {
  return installed;
}
