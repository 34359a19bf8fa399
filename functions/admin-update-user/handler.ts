import {
  checkApplicantOrg,
  checkLastAdmin,
  checkOwnRoles,
  removesAdmin,
  staffChangeOf,
} from '../../shared/domain/staff.ts';
import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { staffChange } from '../../shared/http/staff.ts';
import { recordBureauChange } from '../../shared/runtime/bureau.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';
import { UnknownUserError } from '../../shared/runtime/user-directory.ts';
import { parse } from '../../shared/schemas/parse.ts';
import { StaffPatchSchema } from '../../shared/schemas/staff.ts';

/**
 * PATCH /admin/users/{id} {"groups"?, "enabled"?}: the admin changes an account's groups or
 * enables or disables it. Nobody changes their own groups (422 own-roles) and the last enabled
 * admin stays one (422 last-admin); a refused change touches nothing.
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const id = req.params.id ?? '';
  const patch = parse(StaffPatchSchema, req.body);
  const directory = getUserDirectory();
  const target = await directory.get(id);
  if (!target) throw new UnknownUserError(id);
  checkOwnRoles(req.caller, target, patch);
  checkApplicantOrg(target, patch);
  // Only a change that takes an enabled admin away needs them counted.
  if (removesAdmin(target, patch)) checkLastAdmin(target, patch, await directory.enabledAdmins());
  const user = await directory.update(id, patch);
  const event = await recordBureauChange(
    staffChange(req, 'update_user', user, patch, staffChangeOf(target, patch)),
  );
  return json(200, { user, event });
});
