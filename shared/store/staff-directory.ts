import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BureauEvent } from '../domain/bureau.ts';
import type { Invitation, StaffPatch, StaffStatus, StaffUser } from '../domain/staff.ts';
import { type ActorRole, type Role, roles } from '../domain/types.ts';
import { EmailTakenError, UnknownUserError, type UserDirectory } from '../runtime/user-directory.ts';
import { bureauEventItems } from './bureau-store.ts';
import { ConcurrentChangeError, mapDynamoError, send } from './errors.ts';
import { staffAccountKey, staffAccountSkPrefix, staffEmailKey, staffPk, staffSubKey } from './keys.ts';

/**
 * The user directory of a deployment without Cognito (profile china, env STAFF_DIRECTORY=table):
 * the accounts are items of the main table's STAFF partition (shared/store/keys.ts). The bureau's
 * OpenID Connect provider says who someone is; this directory says whether their account is
 * enabled, which roles the admin granted, and how to reach them (name, e-mail, phone).
 *
 * An invitation opens an account under a new `accountId` with the e-mail's lookup item, in one
 * transaction: a second account for the address fails its condition (EmailTakenError). It sends
 * nothing: the person signs in with their account at the provider. The account is linked to the
 * provider's subject (`sub`) at its first sign-in by the e-mail claim of the token (`link`): from
 * then on the account's id is that `sub`, as the token's id is the caller's everywhere else
 * (events, inboxes, the own-account rule), and the invitation's id names it no longer. Every write
 * is a transaction of conditional Puts (no UpdateItem, no DeleteItem): an account is written on
 * the `version` it was read at.
 */
export interface StaffDirectory extends UserDirectory {
  /**
   * The account the token's subject signs in as: the one linked to `sub`; else the invited account
   * of `email` (the token's e-mail claim, when the provider vouches for it), which is linked to
   * `sub` now and becomes `active`. Undefined when there is none, or when the e-mail's account is
   * already linked to another subject.
   */
  link(sub: string, email: string | undefined): Promise<StaffUser | undefined>;
  /**
   * `update`, and `event` appended to the bureau stream, in one transaction: the account on the
   * version it is read at, the stream's head on the seq before the event's. Either condition
   * failing writes nothing (ConcurrentChangeError; `staleVersion` when it was the account's).
   */
  updateWithEvent(id: string, patch: StaffPatch, event: BureauEvent): Promise<StaffUser>;
}

/** An account item as stored (key attributes aside). */
interface AccountItem {
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly groups: readonly Role[];
  readonly enabled: boolean;
  readonly status: StaffStatus;
  readonly createdAt: string;
  readonly version: number;
  readonly sub?: string;
  readonly orgCode?: string;
  readonly phone?: string;
  readonly invitedBy?: string;
}

/** A cursor's position (the last account's id): only what an invitation's id can be. */
const ACCOUNT_ID = /^[0-9a-f-]{36}$/;

export function staffDirectory(
  doc: DynamoDBDocumentClient,
  table: string,
  now: () => Date = () => new Date(),
): StaffDirectory {
  const getItem = async (key: { pk: string; sk: string }) =>
    (await send(() => doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })))).Item;

  const account = async (accountId: unknown): Promise<AccountItem | undefined> =>
    typeof accountId === 'string'
      ? ((await getItem(staffAccountKey(accountId))) as AccountItem | undefined)
      : undefined;

  /** The account a token's subject is linked to. */
  const bySub = async (sub: string) => {
    if (!usable(sub)) return undefined;
    const found = await account((await getItem(staffSubKey(sub)))?.accountId);
    return found?.sub === sub ? found : undefined;
  };

  /** The account an id names: its subject once linked, its invitation's id before. */
  const byId = async (id: string) => {
    if (!usable(id)) return undefined;
    const linked = await bySub(id);
    if (linked) return linked;
    const invited = ACCOUNT_ID.test(id) ? await account(id) : undefined;
    return invited && invited.sub === undefined ? invited : undefined;
  };

  const put = (item: AccountItem, condition: 'new' | 'version') => ({
    Put: {
      TableName: table,
      Item: { ...item, ...staffAccountKey(item.accountId) },
      ...(condition === 'new'
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :read',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':read': item.version - 1 },
          }),
    },
  });

  const allAccounts = async (): Promise<AccountItem[]> => {
    const items: AccountItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            ...accountsQuery(table),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      items.push(...((out.Items ?? []) as AccountItem[]));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  const change = async (id: string, patch: StaffPatch, event?: BureauEvent) => {
    const found = await byId(id);
    if (!found) throw new UnknownUserError(id);
    // null: the number is removed.
    const { phone: _removed, ...withoutPhone } = found;
    const changed: AccountItem = {
      ...(patch.phone === null ? withoutPhone : found),
      ...(patch.groups !== undefined && { groups: ordered(patch.groups) }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled }),
      ...(typeof patch.phone === 'string' && { phone: patch.phone }),
      version: found.version + 1,
    };
    const TransactItems = [put(changed, 'version'), ...(event ? bureauEventItems(table, event) : [])];
    await send(() => doc.send(new TransactWriteCommand({ TransactItems })));
    return toStaffUser(changed);
  };

  return {
    async list({ limit, next }) {
      const start = next !== undefined && ACCOUNT_ID.test(next) ? staffAccountKey(next) : undefined;
      const out = await send(() =>
        doc.send(
          new QueryCommand({
            ...accountsQuery(table),
            Limit: limit,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      const users = ((out.Items ?? []) as AccountItem[]).map(toStaffUser);
      const last = out.LastEvaluatedKey?.sk;
      return {
        users,
        ...(typeof last === 'string' ? { next: last.slice(staffAccountSkPrefix.length) } : {}),
      };
    },

    async get(id) {
      const found = await byId(id);
      return found ? toStaffUser(found) : undefined;
    },

    async signedIn(id) {
      // Only a linked account has signed in: `link` made it so at the account's first request.
      const found = await bySub(id);
      return found ? toStaffUser(found) : undefined;
    },

    async activeAdmins() {
      return (await allAccounts())
        .filter((a) => a.enabled && a.status === 'active' && a.groups.includes('admin') && a.sub)
        .map((a) => a.sub as string);
    },

    async byEmail(email) {
      const found = await account((await getItem(staffEmailKey(email.toLowerCase())))?.accountId);
      return found ? toStaffUser(found) : undefined;
    },

    async invite(invitation: Invitation, invitedBy?: string) {
      const item: AccountItem = {
        accountId: randomUUID(),
        email: invitation.email.toLowerCase(),
        name: invitation.name,
        groups: ordered(invitation.groups),
        enabled: true,
        status: 'invited',
        createdAt: now().toISOString(),
        version: 1,
        ...(invitation.orgCode ? { orgCode: invitation.orgCode } : {}),
        ...(invitation.phone ? { phone: invitation.phone } : {}),
        ...(invitedBy ? { invitedBy } : {}),
      };
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              put(item, 'new'),
              {
                Put: {
                  TableName: table,
                  Item: { ...staffEmailKey(item.email), accountId: item.accountId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (cancelledOn(error, 1)) throw new EmailTakenError(invitation.email);
        throw mapDynamoError(error);
      }
      return toStaffUser(item);
    },

    update(id, patch: StaffPatch) {
      return change(id, patch);
    },

    updateWithEvent(id, patch, event) {
      return change(id, patch, event);
    },

    async link(sub, email) {
      if (!usable(sub)) return undefined;
      const linked = await bySub(sub);
      if (linked) return toStaffUser(linked);
      if (!email) return undefined;
      const found = await account((await getItem(staffEmailKey(email.toLowerCase())))?.accountId);
      if (!found || found.sub !== undefined) return undefined;
      const changed: AccountItem = { ...found, sub, status: 'active', version: found.version + 1 };
      try {
        await send(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                put(changed, 'version'),
                {
                  Put: {
                    TableName: table,
                    Item: { ...staffSubKey(sub), accountId: found.accountId },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          ),
        );
      } catch (error) {
        // Two first requests at once: the one that lost reads what the winner linked.
        if (!(error instanceof ConcurrentChangeError)) throw error;
        const now = await bySub(sub);
        return now ? toStaffUser(now) : undefined;
      }
      return toStaffUser(changed);
    },
  };
}

/**
 * The roles a signed-in caller acts with where the table keeps the accounts: those the token's
 * roles claim carries (the provider's grant) AND the admin granted in the directory; none for an
 * account that is disabled, not linked, or absent. The provider can take a role away, and so can
 * the bureau's admin in the console, each at once; neither alone can give one.
 */
export function effectiveRoles(
  tokenRoles: readonly ActorRole[],
  account: Pick<StaffUser, 'groups' | 'enabled' | 'status'> | undefined,
): ActorRole[] {
  if (!account?.enabled || account.status !== 'active') return [];
  return tokenRoles.filter((r) => (account.groups as readonly string[]).includes(r));
}

const accountsQuery = (table: string) => ({
  TableName: table,
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :accounts)',
  ExpressionAttributeValues: { ':pk': staffPk, ':accounts': staffAccountSkPrefix },
  ConsistentRead: true,
});

/** An id that can be a key: a subject or an invitation's id (never empty, never huge). */
const usable = (id: string) => id.length > 0 && id.length <= 255;

/** In the order of `roles`, as the other directories answer. */
const ordered = (groups: readonly Role[]): Role[] => roles.filter((r) => groups.includes(r));

/** Whether a cancelled transaction failed the condition of its item at `index`. */
function cancelledOn(error: unknown, index: number): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.[index]?.Code === 'ConditionalCheckFailed';
}

function toStaffUser(item: AccountItem): StaffUser {
  return {
    id: item.sub ?? item.accountId,
    email: item.email,
    name: item.name,
    groups: ordered(item.groups),
    enabled: item.enabled,
    status: item.status,
    createdAt: item.createdAt,
    ...(item.orgCode ? { orgCode: item.orgCode } : {}),
    ...(item.phone ? { phone: item.phone } : {}),
    ...(item.invitedBy ? { invitedBy: item.invitedBy } : {}),
  };
}
