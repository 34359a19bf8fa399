/**
 * The table's staff directory (profile china, STAFF_DIRECTORY=table) with DynamoDB mocked by a
 * small in-memory table that honours the conditions the adapter writes on: pages of accounts, an
 * account by id, an invitation of an address that has an account (EmailTakenError, nothing
 * written), a change written on the version read, and the link of an invited account to the
 * provider's subject at its first sign-in.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmailTakenError, UnknownUserError } from '../../../../shared/runtime/user-directory.ts';
import { ConcurrentChangeError } from '../../../../shared/store/errors.ts';
import { staffAccountKey, staffEmailKey, staffSubKey } from '../../../../shared/store/keys.ts';
import { effectiveRoles, staffDirectory } from '../../../../shared/store/staff-directory.ts';

const TABLE = 'test-eia-main';
const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
const directory = staffDirectory(doc, TABLE, () => new Date('2026-12-06T08:00:00.000Z'));

type Item = Record<string, unknown> & { pk: string; sk: string };
let items: Map<string, Item>;
const at = (pk: string, sk: string) => `${pk}\u0000${sk}`;

/** Only what the adapter asks: attribute_not_exists(pk), and #version = :read. */
function holds(
  item: Item | undefined,
  put: NonNullable<NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Put']>,
) {
  const condition = put.ConditionExpression;
  if (condition === 'attribute_not_exists(pk)') return item === undefined;
  if (condition === '#version = :read') return item?.version === put.ExpressionAttributeValues?.[':read'];
  throw new Error(`unexpected condition ${condition}`);
}

beforeEach(() => {
  items = new Map();
  ddb.reset();
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    const item = items.get(at(input.Key.pk, input.Key.sk));
    return item ? { Item: structuredClone(item) } : {};
  });
  ddb
    .on(QueryCommand)
    .callsFake(
      (input: {
        ExpressionAttributeValues: Record<string, string>;
        Limit?: number;
        ExclusiveStartKey?: { sk: string };
      }) => {
        const { ':pk': pk, ':accounts': prefix } = input.ExpressionAttributeValues;
        const all = [...items.values()]
          .filter((i) => i.pk === pk && i.sk.startsWith(prefix ?? ''))
          .sort((a, b) => a.sk.localeCompare(b.sk))
          .filter((i) => !input.ExclusiveStartKey || i.sk > input.ExclusiveStartKey.sk);
        const page = input.Limit === undefined ? all : all.slice(0, input.Limit);
        const last = page.at(-1);
        return {
          Items: page.map((i) => structuredClone(i)),
          ...(page.length < all.length && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}),
        };
      },
    );
  ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
    const puts = (input.TransactItems ?? []).map((t) => t.Put);
    const reasons = puts.map((put) => {
      if (!put) throw new Error('only Puts');
      const item = put.Item as Item;
      return { Code: holds(items.get(at(item.pk, item.sk)), put) ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((r) => r.Code !== 'None'))
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    for (const put of puts) {
      const item = put?.Item as Item;
      items.set(at(item.pk, item.sk), structuredClone(item));
    }
    return {};
  });
});

const invitation = (email: string, groups: ('admin' | 'clerk' | 'reviewer')[] = ['clerk']) => ({
  email,
  name: `Staff ${email.split('@')[0]}`,
  groups,
});

describe('invite', () => {
  it('opens an invited account and its e-mail lookup in one transaction', async () => {
    const user = await directory.invite(invitation('wang@liling.gov.cn', ['admin', 'reviewer']), 'sub-admin');
    expect(user).toMatchObject({
      email: 'wang@liling.gov.cn',
      // In the service's order of roles, whatever the invitation's.
      groups: ['reviewer', 'admin'],
      enabled: true,
      status: 'invited',
      invitedBy: 'sub-admin',
      createdAt: '2026-12-06T08:00:00.000Z',
    });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.args[0].input.TransactItems?.map((t) => t.Put?.Item?.sk)).toEqual([
      staffAccountKey(user.id).sk,
      staffEmailKey('wang@liling.gov.cn').sk,
    ]);
    expect(await directory.get(user.id)).toEqual(user);
    expect(await directory.byEmail('wang@liling.gov.cn')).toEqual(user);
  });

  it('an address that has an account: EmailTakenError, and nothing more is written', async () => {
    await directory.invite(invitation('li@liling.gov.cn'));
    const before = items.size;
    await expect(directory.invite(invitation('li@liling.gov.cn', ['admin']))).rejects.toBeInstanceOf(
      EmailTakenError,
    );
    expect(items.size).toBe(before);
  });
});

describe('list', () => {
  it('pages through every account once, with `next` the last account of a page', async () => {
    const invited = [];
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      invited.push(await directory.invite(invitation(`${name}@x.cn`)));
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await directory.list({ limit: 2, ...(next ? { next } : {}) });
      expect(page.users.length).toBeLessThanOrEqual(2);
      seen.push(...page.users.map((u) => u.id));
      next = page.next;
      pages++;
    } while (next);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(invited.map((u) => u.id).sort());
    // Lookup items are not accounts.
    expect(seen).toHaveLength(5);
  });

  it('a position that cannot be an account id starts from the first page', async () => {
    await directory.invite(invitation('a@x.cn'));
    const page = await directory.list({ limit: 10, next: 'EMAIL#a@x.cn' });
    expect(page.users.map((u) => u.email)).toEqual(['a@x.cn']);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExclusiveStartKey).toBeUndefined();
  });
});

describe('link and signedIn', () => {
  it('links the invited account of the token’s e-mail to its subject: then the subject is its id', async () => {
    const invited = await directory.invite(invitation('zhao@liling.gov.cn', ['admin']));
    expect(await directory.signedIn('sub-zhao')).toBeUndefined();
    const linked = await directory.link('sub-zhao', 'Zhao@Liling.gov.cn');
    expect(linked).toMatchObject({ id: 'sub-zhao', status: 'active', groups: ['admin'] });
    expect(items.get(at('STAFF', staffSubKey('sub-zhao').sk))?.accountId).toBe(invited.id);
    expect(await directory.signedIn('sub-zhao')).toEqual(linked);
    expect(await directory.get('sub-zhao')).toEqual(linked);
    // The invitation's id names it no longer: one id per account.
    expect(await directory.get(invited.id)).toBeUndefined();
    expect(await directory.activeAdmins()).toEqual(['sub-zhao']);
    // Again: read, not written.
    const writes = ddb.commandCalls(TransactWriteCommand).length;
    expect(await directory.link('sub-zhao', undefined)).toEqual(linked);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(writes);
  });

  it('no e-mail claim, an address nobody invited, or an account linked to another subject: nothing', async () => {
    await directory.invite(invitation('qian@liling.gov.cn'));
    expect(await directory.link('sub-x', undefined)).toBeUndefined();
    expect(await directory.link('sub-x', 'nobody@liling.gov.cn')).toBeUndefined();
    await directory.link('sub-qian', 'qian@liling.gov.cn');
    expect(await directory.link('sub-other', 'qian@liling.gov.cn')).toBeUndefined();
    expect(await directory.signedIn('sub-other')).toBeUndefined();
  });

  it('an invited admin who never signed in is not an active admin', async () => {
    await directory.invite(invitation('sun@liling.gov.cn', ['admin']));
    expect(await directory.activeAdmins()).toEqual([]);
  });
});

describe('update', () => {
  it('writes the groups and enabled on the version read', async () => {
    await directory.invite(invitation('zhou@liling.gov.cn', ['clerk']));
    await directory.link('sub-zhou', 'zhou@liling.gov.cn');
    const changed = await directory.update('sub-zhou', { groups: ['reviewer', 'clerk'], enabled: false });
    expect(changed).toMatchObject({ id: 'sub-zhou', groups: ['clerk', 'reviewer'], enabled: false });
    expect(await directory.get('sub-zhou')).toEqual(changed);
    const last = ddb.commandCalls(TransactWriteCommand).at(-1)?.args[0].input.TransactItems?.[0]?.Put;
    expect(last?.ConditionExpression).toBe('#version = :read');
    expect(last?.ExpressionAttributeValues).toEqual({ ':read': 2 });
    expect(last?.Item?.version).toBe(3);
  });

  it('an account changed since it was read: 409 concurrent-change, not written over', async () => {
    const user = await directory.invite(invitation('wu@liling.gov.cn'));
    // Another writer moves the version between this one's read and write.
    const key = at('STAFF', staffAccountKey(user.id).sk);
    const original = ddb.on(GetCommand);
    original.callsFake((input: { Key: { pk: string; sk: string } }) => {
      const item = items.get(at(input.Key.pk, input.Key.sk));
      const copy = item ? structuredClone(item) : undefined;
      if (item && at(item.pk, item.sk) === key)
        items.set(key, { ...item, version: Number(item.version) + 1 });
      return copy ? { Item: copy } : {};
    });
    await expect(directory.update(user.id, { enabled: false })).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(items.get(key)?.enabled).toBe(true);
  });

  it('with its bureau event: the account, the head and the event in one transaction, or nothing', async () => {
    await directory.invite(invitation('zheng@liling.gov.cn'));
    await directory.link('sub-zheng', 'zheng@liling.gov.cn');
    const event = { seq: 1, hash: 'h1', at: '2026-12-06T08:00:00.000Z', action: 'update_user' } as never;
    const changed = await directory.updateWithEvent('sub-zheng', { groups: ['approver'] }, event);
    expect(changed.groups).toEqual(['approver']);
    const sks = ddb
      .commandCalls(TransactWriteCommand)
      .at(-1)
      ?.args[0].input.TransactItems?.map((t) => `${t.Put?.Item?.pk}/${t.Put?.Item?.sk}`);
    expect(sks).toEqual([
      expect.stringMatching(/^STAFF\/ACCOUNT#/),
      'BUREAU/HEAD',
      'BUREAU/EVENT#0000000001',
    ]);
    // The same seq again: the head has moved, so neither the account nor the event is written.
    await expect(
      directory.updateWithEvent('sub-zheng', { groups: ['clerk'] }, {
        ...(event as object),
        hash: 'h2',
      } as never),
    ).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect((await directory.get('sub-zheng'))?.groups).toEqual(['approver']);
  });

  it('no such account: UnknownUserError', async () => {
    await expect(directory.update('sub-none', { enabled: false })).rejects.toBeInstanceOf(UnknownUserError);
  });
});

describe('effectiveRoles', () => {
  const account = { groups: ['clerk', 'reviewer'] as const, enabled: true, status: 'active' as const };
  it('the token’s roles the admin granted, and only those', () => {
    expect(effectiveRoles(['reviewer', 'approver'], account)).toEqual(['reviewer']);
    expect(effectiveRoles(['clerk', 'reviewer'], account)).toEqual(['clerk', 'reviewer']);
  });
  it('none for a disabled, unlinked or unknown account', () => {
    expect(effectiveRoles(['clerk'], { ...account, enabled: false })).toEqual([]);
    expect(effectiveRoles(['clerk'], { ...account, status: 'invited' })).toEqual([]);
    expect(effectiveRoles(['clerk'], undefined)).toEqual([]);
  });
});

describe('phone (SMS notifications)', () => {
  it('an invitation stores the number it gives, and a change replaces or removes it', async () => {
    const user = await directory.invite({ ...invitation('feng@liling.gov.cn'), phone: '+8613800138000' });
    expect(user.phone).toBe('+8613800138000');
    expect(items.get(at('STAFF', staffAccountKey(user.id).sk))?.phone).toBe('+8613800138000');
    expect((await directory.get(user.id))?.phone).toBe('+8613800138000');

    const replaced = await directory.update(user.id, { phone: '+8613900139000' });
    expect(replaced).toMatchObject({ phone: '+8613900139000', groups: ['clerk'], enabled: true });
    expect(items.get(at('STAFF', staffAccountKey(user.id).sk))?.phone).toBe('+8613900139000');

    // A change of groups only keeps the number.
    expect((await directory.update(user.id, { groups: ['reviewer'] })).phone).toBe('+8613900139000');

    const removed = await directory.update(user.id, { phone: null });
    expect(removed.phone).toBeUndefined();
    expect(items.get(at('STAFF', staffAccountKey(user.id).sk))).not.toHaveProperty('phone');
    expect((await directory.get(user.id))?.phone).toBeUndefined();
  });

  it('an invitation without a number stores none', async () => {
    const user = await directory.invite(invitation('chu@liling.gov.cn'));
    expect(user).not.toHaveProperty('phone');
    expect(items.get(at('STAFF', staffAccountKey(user.id).sk))).not.toHaveProperty('phone');
  });
});
