import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Invitation, StaffPatch, StaffStatus, StaffUser } from '../domain/staff.ts';
import { type Role, roles } from '../domain/types.ts';
import { ServiceUnavailableError } from '../store/errors.ts';
import { staffDirectory } from '../store/staff-directory.ts';
import { getDocumentClient } from './clients.ts';
import { env } from './config.ts';
import {
  EmailTakenError,
  installedUserDirectory,
  UnknownUserError,
  type UserDirectory,
} from './user-directory.ts';

/**
 * The user directory in AWS: the user pool through Cognito's admin API. Sign-in is by e-mail, so a
 * user's Cognito username is not the `sub` the API knows them by: each call by id first finds the
 * user with a filtered ListUsers. The function's role may call exactly the actions used here, on
 * this user pool only (infra/user-directory.ts grantStaffAdministration).
 */
/**
 * The ListUsers request that finds a user by `sub` (sign-in is by e-mail, so `sub` is not the
 * username), or undefined for an id that cannot be a sub: it goes into a filter expression.
 */
export function userBySub(userPoolId: string, id: string): ListUsersCommand | undefined {
  if (!/^[\w-]{1,128}$/.test(id)) return undefined;
  return new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${id}"`, Limit: 1 });
}

/**
 * The ListUsers request that finds a user by e-mail, or undefined for an address that cannot go into
 * a filter expression (the invitation schema admits none such).
 */
export function userByEmail(userPoolId: string, email: string): ListUsersCommand | undefined {
  if (/["\\\s]/.test(email) || email.length > 254) return undefined;
  return new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${email}"`, Limit: 1 });
}

/** Set once, when an invitation opens the account: the inviting admin's id (immutable in the pool). */
export const INVITED_BY_ATTRIBUTE = 'custom:invitedBy';

export function cognitoDirectory(client: CognitoIdentityProviderClient, userPoolId: string): UserDirectory {
  const pool = { UserPoolId: userPoolId };
  // Every call's failure as the API's problem (mapCognitoError).
  const send = (async (command: never) => {
    try {
      return await client.send(command);
    } catch (error) {
      throw mapCognitoError(error);
    }
  }) as CognitoIdentityProviderClient['send'];

  const groupsOf = async (username: string): Promise<Role[]> => {
    const found: Role[] = [];
    let NextToken: string | undefined;
    do {
      const res = await send(new AdminListGroupsForUserCommand({ ...pool, Username: username, NextToken }));
      for (const g of res.Groups ?? []) if (isRole(g.GroupName)) found.push(g.GroupName);
      NextToken = res.NextToken;
    } while (NextToken);
    return roles.filter((r) => found.includes(r));
  };

  const withGroups = async (user: UserType): Promise<StaffUser> =>
    toStaffUser(user, user.Username ? await groupsOf(user.Username) : []);

  const find = async (id: string): Promise<UserType | undefined> => {
    const command = userBySub(pool.UserPoolId, id);
    return command ? (await send(command)).Users?.[0] : undefined;
  };

  return {
    async list({ limit, next }) {
      const res = await send(
        new ListUsersCommand({ ...pool, Limit: limit, ...(next ? { PaginationToken: next } : {}) }),
      );
      const users = await inBatches(res.Users ?? [], 10, withGroups);
      return { users, ...(res.PaginationToken ? { next: res.PaginationToken } : {}) };
    },

    async get(id) {
      const user = await find(id);
      return user ? withGroups(user) : undefined;
    },

    async signedIn(id) {
      const user = await find(id);
      return user ? withGroups(user) : undefined;
    },

    async activeAdmins() {
      const ids: string[] = [];
      let NextToken: string | undefined;
      do {
        const res = await send(new ListUsersInGroupCommand({ ...pool, GroupName: 'admin', NextToken }));
        for (const u of res.Users ?? []) {
          const sub = attribute(u.Attributes, 'sub');
          if (u.Enabled !== false && u.UserStatus === 'CONFIRMED' && sub) ids.push(sub);
        }
        NextToken = res.NextToken;
      } while (NextToken);
      return ids;
    },

    async byEmail(email) {
      const command = userByEmail(pool.UserPoolId, email);
      const user = command ? (await send(command))?.Users?.[0] : undefined;
      return user ? withGroups(user) : undefined;
    },

    async invite(invitation: Invitation, invitedBy?: string) {
      let created: UserType | undefined;
      try {
        const res = await send(
          new AdminCreateUserCommand({
            ...pool,
            Username: invitation.email,
            UserAttributes: [
              { Name: 'email', Value: invitation.email },
              // Cognito mails the temporary password to this address: signing in proves it.
              { Name: 'email_verified', Value: 'true' },
              { Name: 'name', Value: invitation.name },
              ...(invitation.orgCode ? [{ Name: 'custom:orgCode', Value: invitation.orgCode }] : []),
              ...(invitation.phone ? phoneAttributes(invitation.phone) : []),
              // What tells a retry that this account is an invitation's (functions/admin-invite-user).
              ...(invitedBy ? [{ Name: INVITED_BY_ATTRIBUTE, Value: invitedBy }] : []),
            ],
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
        created = res.User;
      } catch (error) {
        if (error instanceof UsernameExistsException) throw new EmailTakenError(invitation.email);
        throw mapCognitoError(error, 'invitation');
      }
      const username = created?.Username;
      if (!created || !username) throw new Error('AdminCreateUser answered without the user');
      for (const group of invitation.groups) {
        await send(new AdminAddUserToGroupCommand({ ...pool, Username: username, GroupName: group }));
      }
      return toStaffUser(
        created,
        roles.filter((r) => invitation.groups.includes(r)),
      );
    },

    async update(id, patch: StaffPatch) {
      const user = await find(id);
      const username = user?.Username;
      if (!user || !username) throw new UnknownUserError(id);
      const current = await groupsOf(username);
      let revoked = patch.enabled === false;
      if (patch.groups !== undefined) {
        const wanted = patch.groups;
        for (const group of wanted.filter((g) => !current.includes(g))) {
          await send(new AdminAddUserToGroupCommand({ ...pool, Username: username, GroupName: group }));
        }
        for (const group of current.filter((g) => !wanted.includes(g))) {
          await send(new AdminRemoveUserFromGroupCommand({ ...pool, Username: username, GroupName: group }));
          revoked = true;
        }
      }
      if (typeof patch.phone === 'string')
        await send(
          new AdminUpdateUserAttributesCommand({
            ...pool,
            Username: username,
            UserAttributes: phoneAttributes(patch.phone),
          }),
        );
      if (patch.phone === null)
        await send(
          new AdminDeleteUserAttributesCommand({
            ...pool,
            Username: username,
            UserAttributeNames: ['phone_number', 'phone_number_verified'],
          }),
        );
      if (patch.enabled === true) await send(new AdminEnableUserCommand({ ...pool, Username: username }));
      if (patch.enabled === false) await send(new AdminDisableUserCommand({ ...pool, Username: username }));
      // Refresh tokens die now; an ID token lives on until it expires, which is why the staff
      // routes look their caller up rather than trust the token's groups.
      if (revoked) await send(new AdminUserGlobalSignOutCommand({ ...pool, Username: username }));
      const attributes =
        patch.phone === undefined
          ? user.Attributes
          : [
              ...(user.Attributes ?? []).filter((a) => !a.Name?.startsWith('phone_number')),
              ...(patch.phone === null ? [] : phoneAttributes(patch.phone)),
            ];
      return toStaffUser(
        {
          ...user,
          Attributes: attributes,
          ...(patch.enabled !== undefined && { Enabled: patch.enabled }),
        },
        await groupsOf(username),
      );
    },
  };
}

let made: UserDirectory | undefined;

/**
 * With STAFF_DIRECTORY=table (profile china, no Cognito): the accounts of the main table
 * (shared/store/staff-directory.ts). Else the local server's directory when it installed one; else
 * the user pool named by USER_POOL_ID.
 */
export function getUserDirectory(): UserDirectory {
  if (process.env.STAFF_DIRECTORY === 'table') {
    made ??= staffDirectory(getDocumentClient(), env().TABLE_NAME);
    return made;
  }
  const local = installedUserDirectory();
  if (local) return local;
  if (!made) {
    const id = process.env.USER_POOL_ID;
    if (!id) throw new Error('Missing environment: USER_POOL_ID (the user pool of the staff routes)');
    made = cognitoDirectory(new CognitoIdentityProviderClient({}), id);
  }
  return made;
}

const isRole = (name: string | undefined): name is Role =>
  name !== undefined && (roles as readonly string[]).includes(name);

const attribute = (attributes: AttributeType[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

/**
 * An official's mobile number as the pool holds it: `phone_number` in E.164 (+8613800000000), marked
 * verified because the bureau's admin gave it (as Cognito marks the invited e-mail): the notifier
 * texts only a verified number (functions/notifier/aws.ts). The pool signs in by e-mail, recovers
 * accounts by e-mail and asks for TOTP, so the number opens nothing.
 */
const phoneAttributes = (phone: string): AttributeType[] => [
  { Name: 'phone_number', Value: phone },
  { Name: 'phone_number_verified', Value: 'true' },
];

const statusOf = (status: string | undefined): StaffStatus =>
  status === 'FORCE_CHANGE_PASSWORD' ? 'invited' : status === 'CONFIRMED' ? 'active' : 'other';

function toStaffUser(user: UserType, groups: Role[]): StaffUser {
  const attrs = user.Attributes;
  const email = attribute(attrs, 'email') ?? '';
  const orgCode = attribute(attrs, 'custom:orgCode');
  const invitedBy = attribute(attrs, INVITED_BY_ATTRIBUTE);
  // Only a verified number, as the notifier texts it: one a user typed in themselves is not.
  const phone =
    attribute(attrs, 'phone_number_verified') === 'true' ? attribute(attrs, 'phone_number') : undefined;
  return {
    id: attribute(attrs, 'sub') ?? user.Username ?? '',
    email,
    name: attribute(attrs, 'name') ?? email,
    groups,
    enabled: user.Enabled !== false,
    status: statusOf(user.UserStatus),
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
    ...(orgCode ? { orgCode } : {}),
    ...(phone ? { phone } : {}),
    ...(invitedBy ? { invitedBy } : {}),
  };
}

/** At most `size` calls at once: Cognito's admin API throttles per pool. */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** Cognito's throttling: the pool's request rate, or its limits on admin calls. */
const throttled = new Set(['TooManyRequestsException', 'LimitExceededException']);

/**
 * Cognito's refusals as the API's problems: throttling is 503 with Retry-After (the SDK has already
 * retried). Of AdminCreateUser (`invitation`): an attribute Cognito will not take is 400 naming it
 * (email, name or phone), an invitation Cognito could not mail is 503 saying so. Anything else is
 * unchanged: logged, answered 500 (elsewhere an invalid parameter is our bug, not the caller's).
 */
export function mapCognitoError(error: unknown, call?: 'invitation'): unknown {
  const name = error instanceof Error ? error.name : undefined;
  const message = error instanceof Error ? error.message : '';
  if (name !== undefined && throttled.has(name))
    return new ServiceUnavailableError('the user directory is busy; retry shortly', 5, error);
  if (call !== 'invitation') return error;
  if (name === 'InvalidParameterException') {
    const field = /phone/i.test(message)
      ? 'phone'
      : /\bname\b/i.test(message) && !/e-?mail/i.test(message)
        ? 'name'
        : 'email';
    return new ValidationError(`Invalid request body: ${field}`, [
      ruleIssue(field, `the user directory refused it: ${message}`, 'directory-refused'),
    ]);
  }
  if (name === 'CodeDeliveryFailureException')
    return new ServiceUnavailableError(
      'the user directory could not mail the invitation; check the e-mail address, then retry',
      30,
      error,
    );
  return error;
}
