import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Invitation, revokesAccess, type StaffPatch, type StaffUser } from '../shared/domain/staff.ts';
import { type Role, roles } from '../shared/domain/types.ts';
import { EmailTakenError, UnknownUserError, type UserDirectory } from '../shared/runtime/user-directory.ts';
import { DEMO_USERS } from './demo.ts';

/**
 * The local user directory: what Cognito's user pool is in AWS, for `npm start` and the tests. It
 * answers the staff routes exactly as the Cognito adapter does, and the local sign-in page offers
 * its enabled users. It starts with the demo users (one per role) and lives in memory; with
 * `npm start -- --data DIR` it is also kept in DIR/users.json, so that invitations and changes
 * survive a restart as the applications in DynamoDB Local do. A JSON file rather than DynamoDB
 * Local: in AWS the accounts are not in the table either, and nothing here needs a query.
 */
export interface LocalUserDirectory extends UserDirectory {
  /** Every account, by e-mail, for the sign-in page. */
  all(): readonly StaffUser[];
  /** The label the sign-in page shows: the demo user's, or name and e-mail. */
  labelOf(user: StaffUser): string;
  /**
   * When the account was last signed out everywhere (disabled, or a group taken away), as Cognito's
   * AdminUserGlobalSignOut would. Only recorded: local tokens are not refused for it (the staff
   * routes look their caller up instead).
   */
  signedOutAt(id: string): string | undefined;
}

export const DEMO_EMAIL_DOMAIN = 'liling-eia.example';

/** The demo users as accounts, with an e-mail each (a reserved domain: nothing is ever sent). */
export function demoAccounts(createdAt: string): StaffUser[] {
  return Object.values(DEMO_USERS).map(({ sub, name, groups, orgCode }) => ({
    id: sub,
    email: `${sub}@${DEMO_EMAIL_DOMAIN}`,
    name,
    groups: [...groups],
    enabled: true,
    status: 'active',
    createdAt,
    ...(orgCode ? { orgCode } : {}),
  }));
}

const demoLabels = new Map(Object.values(DEMO_USERS).map((u) => [u.sub, u.label]));

export async function localUserDirectory(
  options: { file?: string; now?: () => Date } = {},
): Promise<LocalUserDirectory> {
  const now = options.now ?? (() => new Date());
  const users = new Map<string, StaffUser>();
  const signOuts = new Map<string, string>();
  const saved = options.file ? await load(options.file) : undefined;
  for (const user of saved ?? demoAccounts(now().toISOString())) users.set(user.id, user);

  const byEmail = () => [...users.values()].sort((a, b) => a.email.localeCompare(b.email));
  // Written whole after each change, then renamed into place: a crash leaves the old file.
  let saving = Promise.resolve();
  const save = () => {
    const { file } = options;
    if (!file) return Promise.resolve();
    saving = saving.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, `${JSON.stringify(byEmail(), null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    });
    return saving;
  };

  return {
    all: byEmail,
    labelOf: (user) => demoLabels.get(user.id) ?? `${user.name} · ${user.email}`,
    signedOutAt: (id) => signOuts.get(id),

    async list({ limit, next }) {
      const sorted = byEmail();
      const start = next === undefined ? 0 : sorted.findIndex((u) => u.email > next);
      const page = start < 0 ? [] : sorted.slice(start, start + limit);
      const last = page.at(-1);
      const more = start >= 0 && start + limit < sorted.length;
      return { users: page, ...(more && last ? { next: last.email } : {}) };
    },

    async get(id) {
      return users.get(id);
    },

    async signedIn(id) {
      const user = users.get(id);
      if (user?.status !== 'invited') return user;
      const active: StaffUser = { ...user, status: 'active' };
      users.set(id, active);
      await save();
      return active;
    },

    async activeAdmins() {
      return [...users.values()]
        .filter((u) => u.enabled && u.status === 'active' && u.groups.includes('admin'))
        .map((u) => u.id);
    },

    async byEmail(email) {
      return [...users.values()].find((u) => u.email === email);
    },

    async invite(invitation: Invitation, invitedBy?: string) {
      if ([...users.values()].some((u) => u.email === invitation.email))
        throw new EmailTakenError(invitation.email);
      const user: StaffUser = {
        id: randomUUID(),
        email: invitation.email,
        name: invitation.name,
        groups: ordered(invitation.groups),
        enabled: true,
        status: 'invited',
        createdAt: now().toISOString(),
        ...(invitation.orgCode ? { orgCode: invitation.orgCode } : {}),
        ...(invitation.phone ? { phone: invitation.phone } : {}),
        ...(invitedBy ? { invitedBy } : {}),
      };
      users.set(user.id, user);
      await save();
      return user;
    },

    async update(id, patch: StaffPatch) {
      const user = users.get(id);
      if (!user) throw new UnknownUserError(id);
      // null: the number is removed.
      const { phone: _removed, ...withoutPhone } = user;
      const changed: StaffUser = {
        ...(patch.phone === null ? withoutPhone : user),
        ...(patch.groups !== undefined && { groups: ordered(patch.groups) }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled }),
        ...(typeof patch.phone === 'string' && { phone: patch.phone }),
      };
      users.set(id, changed);
      if (revokesAccess(user, patch)) signOuts.set(id, now().toISOString());
      await save();
      return changed;
    },
  };
}

/** In the order of `roles`, as the Cognito adapter answers. */
const ordered = (groups: readonly Role[]): Role[] => roles.filter((r) => groups.includes(r));

async function load(file: string): Promise<StaffUser[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of users`);
  return parsed as StaffUser[];
}
