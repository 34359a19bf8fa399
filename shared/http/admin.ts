import { ForbiddenError, ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import { type ActorRole, type Caller, officialRoles } from '../domain/types.ts';
import { PreconditionFailedError } from './errors.ts';

/**
 * The admin's routes (/admin/*) are the admin's alone: 403 problem+json for every other role (401
 * without a token is the authorizer's). The admin administers the bureau's data (calendar,
 * configuration, staff); holding `admin` grants nothing on applications.
 */
export function requireAdmin(caller: Caller): void {
  if (!caller.roles.includes('admin'))
    throw new ForbiddenError('wrong-role', 'the administration routes are open to the admin role only');
}

/** The roles that work on applications; an admin needs one of them besides to see any. */
const caseRoles: readonly ActorRole[] = ['applicant', ...officialRoles, 'auditor'];

/**
 * The application routes are for applicants, officials and the auditor: a caller holding none of
 * those roles (the admin alone) is refused with 403 before any read, whoever owns what.
 */
export function requireCaseRole(caller: Caller): void {
  if (!caller.roles.some((r) => caseRoles.includes(r)))
    throw new ForbiddenError(
      'wrong-role',
      'applications are open to applicants, officials and the auditor; the admin role administers the bureau’s data only',
    );
}

/**
 * If-Match "<version>" on an admin PUT: absent or `*` accepts any; otherwise it must name the
 * current `version` (of `what`, e.g. "the year's"), else 412. A malformed tag is a 400.
 */
export function checkVersionMatch(header: string | undefined, version: number, what: string): void {
  if (header === undefined || header.trim() === '*') return;
  const tag = /^\s*"(\d{1,15})"\s*$/.exec(header);
  if (!tag) {
    throw new ValidationError('Invalid If-Match header', [
      ruleIssue('header.If-Match', `expected "<version>": ${what} version as its GET shows it`, 'if-match'),
    ]);
  }
  if (Number(tag[1]) !== version) {
    throw new PreconditionFailedError(
      'stale-version',
      `If-Match ${header.trim()} does not name ${what} current version "${version}"`,
    );
  }
}
