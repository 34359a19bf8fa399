/**
 * POST /admin/users cut short after Cognito opened the account (the event not written, a group not
 * added): a retry completes the invitation, one account and one event; any other account the
 * e-mail has stays 409. Cognito's admin API and the table are mocked by small in-memory fakes.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useUserDirectory } from '../../../../shared/runtime/user-directory.ts';
import { bureauPk } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { type Handler, loadHandler, useHandlerEnvironment } from '../fixtures.ts';

const ddb = useHandlerEnvironment();
const cognito = mockClient(CognitoIdentityProviderClient);
const admin: User = { sub: 'admin-1', name: '李明', groups: ['admin'] };
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('USER_POOL_ID', 'cn-north-1_test');
  useUserDirectory(undefined);
  handler = await loadHandler('admin-invite-user');
});

/** The user pool: accounts by username (the e-mail), with their groups. */
let pool: Map<string, { user: UserType; groups: Set<string> }>;
/** The main table: items by `pk|sk`. */
let table: Map<string, Record<string, unknown>>;
let created = 0;
/** Failures to inject, once each: the next transaction, the next add to this group. */
let failWrite: Error | undefined;
let failGroup: { group: string; error: Error } | undefined;

const attr = (u: UserType, name: string) => u.Attributes?.find((a) => a.Name === name)?.Value;
const keyOf = (item: Record<string, unknown> | undefined) => `${item?.pk}|${item?.sk}`;

function addAccount(
  email: string,
  sub: string,
  attributes: { Name: string; Value: string }[] = [],
  groups: string[] = [],
) {
  pool.set(email, {
    user: {
      Username: email,
      Attributes: [{ Name: 'sub', Value: sub }, { Name: 'email', Value: email }, ...attributes],
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
      UserCreateDate: new Date('2025-06-10T01:00:00Z'),
    },
    groups: new Set(groups),
  });
}

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  created = 0;
  failWrite = undefined;
  failGroup = undefined;
  pool = new Map();
  table = new Map();
  addAccount('admin-1@liling.example', 'admin-1', [{ Name: 'name', Value: '李明' }], ['admin']);
  pool.get('admin-1@liling.example')!.user.UserStatus = 'CONFIRMED';

  cognito.on(ListUsersCommand).callsFake((input) => {
    const [, field, value] = /^(sub|email) = "(.*)"$/.exec(String(input.Filter)) ?? [];
    const found = [...pool.values()].filter((a) =>
      field === 'email' ? a.user.Username === value : attr(a.user, 'sub') === value,
    );
    return { Users: found.map((a) => a.user) };
  });
  cognito.on(AdminListGroupsForUserCommand).callsFake((input) => ({
    Groups: [...(pool.get(String(input.Username))?.groups ?? [])].map((GroupName) => ({ GroupName })),
  }));
  cognito.on(AdminCreateUserCommand).callsFake((input) => {
    const email = String(input.Username);
    if (pool.has(email))
      throw new UsernameExistsException({ message: 'User account already exists', $metadata: {} });
    created += 1;
    addAccount(
      email,
      `new-${created}`,
      (input.UserAttributes ?? []).filter((a: { Name?: string }) => a.Name !== 'email') as never,
    );
    return { User: pool.get(email)?.user };
  });
  cognito.on(AdminAddUserToGroupCommand).callsFake((input) => {
    if (failGroup && failGroup.group === input.GroupName) {
      const { error } = failGroup;
      failGroup = undefined;
      throw error;
    }
    pool.get(String(input.Username))?.groups.add(String(input.GroupName));
    return {};
  });

  ddb
    .on(GetCommand)
    .callsFake((input) => (table.has(keyOf(input.Key)) ? { Item: table.get(keyOf(input.Key)) } : {}));
  ddb.on(TransactWriteCommand).callsFake((input) => {
    if (failWrite) {
      const error = failWrite;
      failWrite = undefined;
      throw error;
    }
    const puts = (input.TransactItems ?? []).map((t: { Put?: Record<string, any> }) => t.Put);
    const failed = puts.map((put: Record<string, any>) => {
      const stored = table.get(keyOf(put.Item));
      const cond = put.ConditionExpression;
      if (cond === 'attribute_not_exists(pk)') return stored !== undefined;
      if (cond === 'seq = :prev') return stored?.seq !== put.ExpressionAttributeValues[':prev'];
      return false;
    });
    if (failed.some(Boolean))
      throw Object.assign(new Error('Transaction cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: failed.map((f: boolean) => ({ Code: f ? 'ConditionalCheckFailed' : 'None' })),
      });
    for (const put of puts) table.set(keyOf(put.Item), put.Item);
    return {};
  });
});

const invite = (body: unknown) =>
  invoke(handler, apiEvent({ method: 'POST', route: '/admin/users', body, user: admin }));
const bureauEvents = () =>
  [...table.values()].filter((i) => i.pk === bureauPk && String(i.sk).startsWith('EVENT#'));
const invited = () => [...pool.keys()].filter((e) => e !== 'admin-1@liling.example');
const body = { email: 'wang.fang@liling.example', name: '王芳', groups: ['clerk', 'reviewer'] };

describe('POST /admin/users retried after it was cut short', () => {
  it('the event write fails once: the retry completes it, one account and one event', async () => {
    failWrite = Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server' });
    const first = await invite(body);
    expect(first.statusCode, first.raw).toBeGreaterThanOrEqual(500);
    expect(invited()).toEqual(['wang.fang@liling.example']);
    expect(bureauEvents()).toHaveLength(0);
    // The account says who invited it: what lets the retry finish it.
    expect(attr(pool.get('wang.fang@liling.example')!.user, 'custom:invitedBy')).toBe('admin-1');

    const retry = await invite(body);
    expect(retry.statusCode, retry.raw).toBe(201);
    expect(retry.headers.location).toBe('/admin/users/new-1');
    expect(retry.body.user).toMatchObject({
      id: 'new-1',
      groups: ['clerk', 'reviewer'],
      invitedBy: 'admin-1',
    });
    expect(retry.body.event).toMatchObject({
      seq: 1,
      action: 'invite_user',
      subject: 'user/new-1',
      changes: { to: { email: body.email, name: '王芳', groups: ['clerk', 'reviewer'], enabled: true } },
    });
    expect(invited()).toHaveLength(1);
    expect(bureauEvents()).toHaveLength(1);
    expect(table.get('BUREAU#invitation|new-1')).toMatchObject({ kind: 'invitation', version: 1 });

    // Once recorded, the e-mail is taken: a third attempt is 409 and writes nothing.
    ddb.resetHistory();
    const third = await invite(body);
    expect(third.statusCode, third.raw).toBe(409);
    expect(third.body.type).toMatch(/email-taken$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(bureauEvents()).toHaveLength(1);
  });

  it('a group not added: the retry adds it (taking none away) and writes the event', async () => {
    failGroup = {
      group: 'reviewer',
      error: Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }),
    };
    const first = await invite(body);
    expect(first.statusCode, first.raw).toBe(503);
    expect([...pool.get(body.email)!.groups]).toEqual(['clerk']);
    expect(bureauEvents()).toHaveLength(0);

    const retry = await invite(body);
    expect(retry.statusCode, retry.raw).toBe(201);
    expect([...pool.get(body.email)!.groups].sort()).toEqual(['clerk', 'reviewer']);
    expect(retry.body.event.changes.to.groups).toEqual(['clerk', 'reviewer']);
    expect(bureauEvents()).toHaveLength(1);
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(2);
    expect(created).toBe(1);
  });

  it.for([
    ['an account no invitation opened', [{ Name: 'name', Value: '王芳' }]],
    [
      'an invitation’s account under another name',
      [
        { Name: 'name', Value: '王芳芳' },
        { Name: 'custom:invitedBy', Value: 'admin-1' },
      ],
    ],
  ] as const)('%s stays 409, nothing written', async ([, attributes]) => {
    addAccount(body.email, 'someone', [...attributes]);
    const res = await invite(body);
    expect(res.statusCode, res.raw).toBe(409);
    expect(res.body.type).toMatch(/email-taken$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });
});
