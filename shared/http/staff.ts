import type { StaffUser } from '../domain/staff.ts';
import type { BureauChange } from '../runtime/bureau.ts';
import type { AuthedReq } from './api.ts';

/**
 * The event of a change to an account, for the `bureau` audit stream. The account lives in
 * Cognito, outside the table, so the two cannot share a transaction: an invitation's event is
 * written once the directory has made it; a change's before (on the head read before its checks),
 * followed by `update_user_failed` when the directory then fails (docs/roles.md).
 */
export function staffChange(
  req: AuthedReq,
  action: 'invite_user' | 'update_user' | 'update_user_failed',
  user: StaffUser,
  payload: unknown,
  changes: Record<string, unknown>,
): BureauChange {
  return {
    action,
    actor: { id: req.caller.id, role: 'admin', name: req.caller.name },
    at: req.now.toISOString(),
    subject: `user/${user.id}`,
    payload,
    changes,
    requestId: req.requestId,
  };
}
