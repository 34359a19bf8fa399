import type { ClaimNames } from './config.ts';

/**
 * Reading who is signed in from an ID token's claims, under the claim names the console is
 * configured with (config.ts `claims`): Cognito's `cognito:groups` / `custom:orgCode`, or an
 * OpenID Connect provider's own (`roles`, Keycloak's `realm_access.roles`). The same rules as the
 * API's (shared/http/auth.ts), so the console shows the role the API authorises on.
 */

/** The console's roles (docs/roles.md), in the order the API lists them. */
export const ROLES = ['applicant', 'clerk', 'reviewer', 'approver', 'auditor', 'admin'] as const;

type Claims = Readonly<Record<string, unknown>>;

/**
 * The claim at `path`: the claim of that exact name if there is one (`cognito:groups`), else the
 * path followed through object claims, `.` by `.` (`realm_access.roles`); an object given as JSON
 * text is read as the object it is.
 */
export function claimAt(claims: Claims, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value === 'string') value = parsedJson(value);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A list claim in any of the forms providers and gateways use: an array, JSON text of one,
 * `[a b]`, or a comma or space separated string. Each name once, in order.
 */
export function listOf(value: unknown): string[] {
  const json = typeof value === 'string' && value.trim().startsWith('[') ? parsedJson(value) : undefined;
  const names = Array.isArray(json)
    ? json.map(String)
    : Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value
            .trim()
            .replace(/^\[|\]$/g, '')
            .split(/[\s,]+/)
        : [];
  return [...new Set(names.map((n) => n.replace(/^"(.*)"$/, '$1')).filter(Boolean))];
}

export interface TokenPerson {
  readonly sub: string;
  readonly name: string;
  /** The first of the token's roles that is a role of the console; '' when none is. */
  readonly role: string;
  readonly orgCode?: string;
}

/**
 * Who the claims name. A provider's list of roles may hold its own (Keycloak's `offline_access`,
 * `default-roles-…`): the role is the first that is one of the console's.
 */
export function personOf(claims: Claims, names: Required<ClaimNames>): TokenPerson {
  const roles = listOf(claimAt(claims, names.roles));
  const role = roles.find((r) => (ROLES as readonly string[]).includes(r)) ?? '';
  const org = claimAt(claims, names.org);
  const orgCode = typeof org === 'string' ? org.trim() : Array.isArray(org) ? String(org[0] ?? '') : '';
  const named = [claimAt(claims, names.name), claims['cognito:username'], claims.preferred_username].find(
    (v) => typeof v === 'string' && v.trim() !== '',
  );
  return {
    sub: String(claims.sub ?? ''),
    name: typeof named === 'string' ? named : '',
    role,
    ...(orgCode !== '' && { orgCode }),
  };
}
