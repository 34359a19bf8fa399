/**
 * What the console tells a person has not reached the server yet: the materials uploaded on a
 * draft but not saved into it, and which invitation note is true for the console's sign-in mode.
 * Kept free of the page so that it can be tested on its own.
 */

/** A material as the draft form holds it: enough to tell one upload from another. */
export interface HeldMaterial {
  readonly code: string;
  readonly sha256: string;
  readonly uploadId?: string;
}

/**
 * The codes whose material on the form is not the one the saved application has: uploaded (or
 * kept from before a reload) but not saved yet. A file is on the application only once the draft
 * is saved with it.
 */
export function unsavedCodes(
  saved: readonly HeldMaterial[],
  held: ReadonlyMap<string, HeldMaterial>,
): Set<string> {
  const codes = new Set<string>();
  for (const [code, m] of held) {
    const s = saved.find((e) => e.code === code);
    const same = s !== undefined && s.sha256 === m.sha256 && (s.uploadId ?? '') === (m.uploadId ?? '');
    if (!same) codes.add(code);
  }
  return codes;
}

/**
 * The invitation note's key for the console's mode: Cognito mails a temporary password; locally
 * the account only joins the local directory (sign-in is the demo picker); with the bureau's own
 * provider nothing is mailed and the person is matched by e-mail at the first sign-in.
 */
export function inviteHintKey(
  mode: 'local' | 'cognito' | 'oidc',
): 'staffInviteHint' | 'staffInviteHintLocal' | 'staffInviteHintOidc' {
  return mode === 'oidc'
    ? 'staffInviteHintOidc'
    : mode === 'local'
      ? 'staffInviteHintLocal'
      : 'staffInviteHint';
}

/** A change the staff page has just made, as its visible confirmation names it. */
export type StaffChange =
  | { readonly kind: 'roles'; readonly name: string; readonly roles: readonly string[] }
  | { readonly kind: 'phone'; readonly name: string; readonly phone?: string }
  | { readonly kind: 'enabled'; readonly name: string; readonly enabled: boolean }
  | { readonly kind: 'invited'; readonly name: string; readonly email: string };

export type StaffConfirmationKey =
  | 'staffSavedRoles'
  | 'staffSavedNoRoles'
  | 'staffSavedPhone'
  | 'staffSavedNoPhone'
  | 'staffSavedEnabled'
  | 'staffSavedDisabled'
  | 'staffInvitedDone';

/**
 * The one sentence confirming `change`: its key and the words it fills in. Roles are named in the
 * console's words (`roleName`) and joined with `separator` (、 in Chinese).
 */
export function staffConfirmation(
  change: StaffChange,
  roleName: (role: string) => string,
  separator: string,
): { key: StaffConfirmationKey; params: Record<string, string> } {
  const name = change.name;
  switch (change.kind) {
    case 'roles':
      return change.roles.length
        ? { key: 'staffSavedRoles', params: { name, roles: change.roles.map(roleName).join(separator) } }
        : { key: 'staffSavedNoRoles', params: { name } };
    case 'phone':
      return change.phone
        ? { key: 'staffSavedPhone', params: { name, phone: change.phone } }
        : { key: 'staffSavedNoPhone', params: { name } };
    case 'enabled':
      return { key: change.enabled ? 'staffSavedEnabled' : 'staffSavedDisabled', params: { name } };
    case 'invited':
      return { key: 'staffInvitedDone', params: { name, email: change.email } };
  }
}
