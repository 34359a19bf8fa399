import {
  checkCallerIsAdmin,
  type Invitation,
  phoneMark,
  type StaffUser,
  withPhoneMarked,
} from '../../shared/domain/staff.ts';
import { roles } from '../../shared/domain/types.ts';
import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyOf, priorResponse } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { staffChange } from '../../shared/http/staff.ts';
import { recordBureauChange } from '../../shared/runtime/bureau.ts';
import { getBureauStore, getStore } from '../../shared/runtime/clients.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { EmailTakenError, type UserDirectory } from '../../shared/runtime/user-directory.ts';
import { parse } from '../../shared/schemas/parse.ts';
import { InvitationSchema } from '../../shared/schemas/staff.ts';

/**
 * POST /admin/users {"email", "name", "groups", "orgCode"?, "phone"?}: the admin invites someone
 * (`phone`: a mobile number for SMS notices, which the event only marks as set). Cognito mails a
 * temporary password; locally the account is offered on the sign-in page at once. The
 * account is marked with the inviting admin (`invitedBy`), and its event is written together with
 * an `invitation` record of the account (BUREAU#invitation, its id), so that an invitation cut
 * short after the account was opened (a group not added, the event not written) is completed by
 * a retry: the account the e-mail has was opened by an invitation, with the same name and
 * organisation, and has no invitation record yet, so its missing groups are added and its event is
 * written, answered as the first attempt would have been (the same phone, too). Any other account
 * the e-mail has is 409, and nothing is written. A retry with the same Idempotency-Key after a complete invitation gets
 * the first response: the account is Cognito's, so the response is kept on its own once the
 * invitation and its event are written.
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const invitation = parse(InvitationSchema, req.body);
  const store = getStore();
  const idem = idempotencyOf(req);
  const prior = await priorResponse(store, idem, req.now);
  if (prior) return prior;
  const directory = getUserDirectory();
  // The token's groups may be an hour old: the directory says whether the caller is an admin now.
  checkCallerIsAdmin(await directory.signedIn(req.caller.id));
  let user: StaffUser;
  try {
    user = await directory.invite(invitation, req.caller.id);
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    user = await unfinished(directory, invitation, error);
  }
  // The record is new (attribute_not_exists): two retries completing the same invitation at once
  // write one event; the other is 409.
  const event = await recordBureauChange({
    // A phone is named as given, not by its number (withPhoneMarked).
    ...staffChange(req, 'invite_user', user, withPhoneMarked(invitation), {
      to: {
        email: user.email,
        name: user.name,
        groups: user.groups,
        enabled: user.enabled,
        ...(invitation.phone ? { phone: phoneMark(user.phone) } : {}),
      },
    }),
    record: {
      kind: 'invitation',
      id: user.id,
      version: 1,
      body: { email: user.email },
      updatedAt: req.now.toISOString(),
      updatedBy: req.caller.id,
    },
  });
  const result = json(201, { user, event }, { location: `/admin/users/${encodeURIComponent(user.id)}` });
  if (idem) {
    const { statusCode, headers, body } = result;
    // The invitation stands either way: a record not kept only costs a retry its replay (a 409).
    await store
      .remember({
        scope: idem.scope,
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
        record: { requestHash: idem.requestHash, statusCode, headers, body, createdAt: event.at },
      })
      .catch((error: unknown) => logger.warn('idempotency record not kept', { error: error as Error }));
  }
  return result;
});

/**
 * The account an earlier attempt of this invitation opened but did not finish, with the groups the
 * invitation names now added (none taken away); else `taken` is thrown: an account not opened by an
 * invitation, one whose invitation was recorded, or one with another name or organisation.
 */
async function unfinished(
  directory: UserDirectory,
  invitation: Invitation,
  taken: EmailTakenError,
): Promise<StaffUser> {
  const existing = await directory.byEmail(invitation.email);
  if (
    !existing?.invitedBy ||
    existing.name !== invitation.name ||
    existing.orgCode !== invitation.orgCode ||
    existing.phone !== invitation.phone ||
    (await getBureauStore().record('invitation', existing.id))
  )
    throw taken;
  const missing = invitation.groups.filter((g) => !existing.groups.includes(g));
  if (missing.length === 0) return existing;
  logger.info('completing an unfinished invitation', { userId: existing.id, groups: missing.join(',') });
  return directory.update(existing.id, {
    groups: roles.filter((r) => existing.groups.includes(r) || invitation.groups.includes(r)),
  });
}
