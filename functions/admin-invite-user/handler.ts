import { checkCallerIsAdmin } from '../../shared/domain/staff.ts';
import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyOf, priorResponse } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { staffChange } from '../../shared/http/staff.ts';
import { recordBureauChange } from '../../shared/runtime/bureau.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { parse } from '../../shared/schemas/parse.ts';
import { InvitationSchema } from '../../shared/schemas/staff.ts';

/**
 * POST /admin/users {"email", "name", "groups", "orgCode"?}: the admin invites someone. Cognito
 * mails a temporary password; locally the account is offered on the sign-in page at once. An
 * e-mail that has an account already is 409, and nothing is written. A retry with the same
 * Idempotency-Key gets the first response: the account is Cognito's, so the response is kept on
 * its own once the invitation and its event are written.
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
  const user = await directory.invite(invitation);
  const event = await recordBureauChange(
    staffChange(req, 'invite_user', user, invitation, {
      to: { email: user.email, name: user.name, groups: user.groups, enabled: user.enabled },
    }),
  );
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
