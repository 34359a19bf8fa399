import { type BureauEvent, chainBureauEvent } from '../../shared/domain/bureau.ts';
import {
  checkApplicantOrg,
  checkCallerIsAdmin,
  checkLastAdmin,
  checkOwnRoles,
  removesAdmin,
  type StaffUser,
  staffChangeOf,
  withPhoneMarked,
} from '../../shared/domain/staff.ts';
import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { staffChange } from '../../shared/http/staff.ts';
import { recordBureauChange } from '../../shared/runtime/bureau.ts';
import { getBureauStore } from '../../shared/runtime/clients.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { UnknownUserError } from '../../shared/runtime/user-directory.ts';
import { parse } from '../../shared/schemas/parse.ts';
import { StaffPatchSchema } from '../../shared/schemas/staff.ts';
import { ConcurrentChangeError } from '../../shared/store/errors.ts';
import type { StaffDirectory } from '../../shared/store/staff-directory.ts';

/**
 * PATCH /admin/users/{id} {"groups"?, "enabled"?, "phone"?}: the admin changes an account's groups,
 * enables or disables it, or sets (null: removes) its mobile number for SMS notices; the event
 * marks the number set or not, never holding it. The caller must be an enabled admin in the directory now, whatever the
 * token says (403); nobody changes their own account (422 own-roles) and the last active admin
 * stays one (422 last-admin); a refused change touches nothing. Disabling an account or taking a
 * group away signs it out everywhere (the directory's update).
 *
 * Two admins removing each other at once must not both pass the last-admin count: the bureau
 * stream's head is read before the count and the event is written on it, without retry, before
 * Cognito is asked; the loser gets 409 concurrent-change and changes nothing. Other changes are
 * written again on a head that moved under them. Where the accounts are in the table
 * (STAFF_DIRECTORY=table) the account and its event are one transaction: nothing to repair.
 */
/** Tries on a moved bureau head for a change that no other can make unsafe. */
const HEAD_ATTEMPTS = 5;

export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const id = req.params.id ?? '';
  const patch = parse(StaffPatchSchema, req.body);
  checkOwnRoles(req.caller, { id }, patch);
  const directory = getUserDirectory();
  const bureau = getBureauStore();
  checkCallerIsAdmin(await directory.signedIn(req.caller.id));
  const target = await directory.get(id);
  if (!target) throw new UnknownUserError(id);
  checkApplicantOrg(target, patch);
  // Only a change that takes an enabled admin away needs them counted, and only such a change must
  // not be retried on a moved head: a retry would count again before the winner's Cognito update.
  // Any other change is simply written on the new head (a calendar or config change beside it).
  const guarded = removesAdmin(target, patch);
  const changes = staffChangeOf(target, patch);
  // A directory in the table (STAFF_DIRECTORY=table) writes the change and its event together.
  const together = 'updateWithEvent' in directory ? (directory as StaffDirectory) : undefined;
  let event: BureauEvent | undefined;
  let written: StaffUser | undefined;
  for (let attempt = 1; !event; attempt++) {
    const head = await bureau.head();
    if (guarded) checkLastAdmin(target, patch, await directory.activeAdmins());
    const next = chainBureauEvent(
      staffChange(req, 'update_user', target, withPhoneMarked(patch), changes),
      head,
    );
    try {
      if (together) written = await together.updateWithEvent(id, patch, next);
      else await bureau.commit({ event: next });
      event = next;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError)) throw error;
      if (guarded || attempt >= HEAD_ATTEMPTS)
        throw new ConcurrentChangeError(
          'another change of the bureau’s data landed while this one was checked; reload the account and retry',
          false,
        );
    }
  }
  if (written) return json(200, { user: written, event });
  try {
    const user = await directory.update(id, patch);
    return json(200, { user, event });
  } catch (error) {
    // The event says the change was made and it was not, or only in part: the next event says so
    // (what the account holds now is the directory's; the admin reads it and patches again).
    const failed = { seq: event.seq, error: error instanceof Error ? error.name : 'unknown' };
    await recordBureauChange(staffChange(req, 'update_user_failed', target, failed, {})).catch(
      (failure: unknown) =>
        logger.error('failed staff change not recorded', { error: failure as Error, seq: event.seq }),
    );
    throw error;
  }
});
