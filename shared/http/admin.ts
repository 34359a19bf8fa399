import { ForbiddenError } from '../domain/errors.ts';
import { type ActorRole, type Caller, officialRoles } from '../domain/types.ts';

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
