import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ORG_CODE } from '../../../../local/demo.ts';
import { useUserDirectory } from '../../../../shared/runtime/user-directory.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { limitValues, nastyString } from '../../fuzz/arbitraries.ts';
import { clerk, type Handler, IDEMPOTENCY_TABLE, loadHandler, useHandlerEnvironment } from '../fixtures.ts';

/**
 * The staff routes as they run in AWS: Cognito's admin API (mocked) behind the handlers, and the
 * bureau stream in DynamoDB (mocked). What the local directory answers is in
 * tests/integration/staff.test.ts.
 */
const ddb = useHandlerEnvironment();
const cognito = mockClient(CognitoIdentityProviderClient);
const admin: User = { sub: 'admin-1', name: '李明', groups: ['admin'] };
const handlers: Record<'list' | 'invite' | 'update', Handler> = {} as never;

beforeAll(async () => {
  vi.stubEnv('USER_POOL_ID', 'cn-north-1_test');
  useUserDirectory(undefined);
  handlers.list = await loadHandler('admin-users');
  handlers.invite = await loadHandler('admin-invite-user');
  handlers.update = await loadHandler('admin-update-user');
});

const account = (sub: string, extra: Partial<UserType> = {}): UserType => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: `${sub}@liling.example` },
    { Name: 'name', Value: sub },
  ],
  Enabled: true,
  UserStatus: 'CONFIRMED',
  UserCreateDate: new Date('2025-01-02T00:00:00Z'),
  ...extra,
});

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  // The caller, looked up on every change: an enabled admin now.
  callerIs(account('admin-1'), ['admin']);
});

/** What Cognito holds of the caller admin-1 now, whatever their token says. */
function callerIs(user: UserType, groups: string[]) {
  cognito.on(ListUsersCommand, { Filter: 'sub = "admin-1"' }).resolves({ Users: [user] });
  cognito
    .on(AdminListGroupsForUserCommand, { Username: 'admin-1' })
    .resolves({ Groups: groups.map((GroupName) => ({ GroupName })) });
}

const list = (query: Record<string, string>, user: User = admin) =>
  invoke(handlers.list, apiEvent({ method: 'GET', route: '/admin/users', query, user }));
const invite = (body: unknown, user: User = admin) =>
  invoke(handlers.invite, apiEvent({ method: 'POST', route: '/admin/users', body, user }));
const update = (id: string, body: unknown, user: User = admin) =>
  invoke(
    handlers.update,
    apiEvent({ method: 'PATCH', route: '/admin/users/{id}', pathParameters: { id }, body, user }),
  );

/** Anything but reading: the calls that would change Cognito or the table. */
const writes = () => [
  ...cognito.commandCalls(AdminCreateUserCommand),
  ...cognito.commandCalls(AdminAddUserToGroupCommand),
  ...cognito.commandCalls(AdminRemoveUserFromGroupCommand),
  ...cognito.commandCalls(AdminDisableUserCommand),
  ...ddb.commandCalls(TransactWriteCommand),
];

describe('GET /admin/users', () => {
  it('pages through Cognito with a signed cursor around its pagination token', async () => {
    cognito
      .on(ListUsersCommand, { Limit: 1 })
      .resolves({ Users: [account('u1')], PaginationToken: 'cognito-token' });
    cognito
      .on(ListUsersCommand, { Limit: 1, PaginationToken: 'cognito-token' })
      .resolves({ Users: [account('u2')] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'clerk' }] });

    const first = await list({ limit: '1' });
    expect(first.statusCode).toBe(200);
    expect(first.body.items).toEqual([expect.objectContaining({ id: 'u1', groups: ['clerk'] })]);
    expect(first.body.cursor).not.toContain('cognito-token');
    const second = await list({ limit: '1', cursor: first.body.cursor });
    expect(second.body.items.map((u: { id: string }) => u.id)).toEqual(['u2']);
    expect(second.body.cursor).toBeUndefined();
  });

  it('never answers 500 to a hostile query, and names what it refuses', async () => {
    cognito.on(ListUsersCommand).resolves({ Users: [] });
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record(
            { limit: fc.oneof(limitValues, nastyString), cursor: nastyString, x: nastyString },
            { requiredKeys: [] },
          ),
          fc.record({ limit: limitValues }, { requiredKeys: [] }),
        ),
        async (query: Record<string, string>) => {
          const res = await list(query);
          if (res.statusCode === 200) {
            answered += 1;
            expect(query.x).toBeUndefined();
            expect(query.cursor).toBeUndefined();
            return;
          }
          expect(res.statusCode, res.raw).toBe(400);
          const named = (res.body.issues as { path: string }[]).map((i) => i.path);
          expect(
            named.every((p) => ['limit', 'cursor', 'x'].includes(p)),
            res.raw,
          ).toBe(true);
        },
      ),
      { seed: 20_261_206, numRuns: 200 },
    );
    expect(answered).toBeGreaterThan(0);
  });

  it('is 403 for every other role, before Cognito is asked', async () => {
    for (const groups of [['applicant'], ['clerk'], ['reviewer'], ['approver'], ['auditor']]) {
      expect((await list({}, { sub: 'x', name: 'x', groups })).statusCode).toBe(403);
    }
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('POST /admin/users', () => {
  it('invites through Cognito, then writes the invitation as the first bureau event', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ User: account('new', { UserStatus: 'FORCE_CHANGE_PASSWORD' }) });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const res = await invite({ email: 'new@liling.example', name: 'new', groups: ['reviewer'] });

    expect(res.statusCode, res.raw).toBe(201);
    expect(res.headers.location).toBe('/admin/users/new');
    expect(res.body.user).toMatchObject({ id: 'new', groups: ['reviewer'], status: 'invited' });
    expect(res.body.event).toMatchObject({
      stream: 'bureau',
      seq: 1,
      action: 'invite_user',
      subject: 'user/new',
    });
    expect(res.body.event.actor).toEqual({ id: 'admin-1', role: 'admin', name: '李明' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('keeps the response for its Idempotency-Key, and answers a retry from it without asking Cognito', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: account('new') });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const body = { email: 'new@liling.example', name: 'new', groups: ['clerk'] };
    const post = () =>
      invoke(
        handlers.invite,
        apiEvent({
          method: 'POST',
          route: '/admin/users',
          body,
          user: admin,
          headers: { 'idempotency-key': 'k1' },
        }),
      );
    const first = await post();
    expect(first.statusCode).toBe(201);
    const writes = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(writes).toHaveLength(2);
    const kept = writes[1]?.[0]?.Put;
    expect(kept?.TableName).toBe(IDEMPOTENCY_TABLE);
    expect(kept?.Item).toMatchObject({ pk: 'IDEM#admin-1#k1', statusCode: 201, body: first.raw });

    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: kept?.Item });
    cognito.resetHistory();
    const again = await post();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.raw).toBe(first.raw);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('answers an e-mail Cognito already has with 409, writing no event', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'taken', $metadata: {} }));
    const res = await invite({ email: 'u1@liling.example', name: 'u1', groups: ['clerk'] });
    expect(res.statusCode).toBe(409);
    expect(res.body.type).toMatch(/email-taken$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('is 403 for a token that says admin when Cognito no longer does (demoted or disabled)', async () => {
    for (const [user, groups] of [
      [account('admin-1'), ['auditor']],
      [account('admin-1', { Enabled: false }), ['admin']],
    ] as const) {
      cognito.reset();
      callerIs(user, [...groups]);
      const res = await invite({ email: 'me.again@liling.example', name: 'me', groups: ['admin'] });
      expect(res.statusCode, res.raw).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    }
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses applicant together with an official role, naming groups', async () => {
    const res = await invite({
      email: 'x@liling.example',
      name: 'x',
      groups: ['applicant', 'clerk'],
      orgCode: DEMO_ORG_CODE,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['groups']);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('answers Cognito throttling with 503 and Retry-After, writing no event', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(Object.assign(new Error('rate'), { name: 'TooManyRequestsException' }));
    const res = await invite({ email: 'new@liling.example', name: 'new', groups: ['clerk'] });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses a bad body before Cognito is asked', async () => {
    const res = await invite({ email: 'x@liling.example', name: 'x', groups: ['root'] });
    expect(res.statusCode).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['groups.0']);
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('PATCH /admin/users/{id}', () => {
  beforeEach(() => {
    cognito.on(ListUsersCommand, { Filter: 'sub = "admin-2"' }).resolves({ Users: [account('admin-2')] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admin' }] });
  });

  it('is 403 for a demoted admin whose token still says admin, before the target is read', async () => {
    callerIs(account('admin-1'), ['clerk']);
    const res = await update('admin-2', { groups: ['auditor'] });
    expect(res.statusCode, res.raw).toBe(403);
    expect(cognito.commandCalls(ListUsersCommand, { Filter: 'sub = "admin-2"' })).toHaveLength(0);
    expect(writes()).toHaveLength(0);
  });

  it("refuses a change of one's own account, enabled included, without asking Cognito", async () => {
    const self = { sub: 'admin-1', name: '李明', groups: ['admin'] };
    for (const body of [{ enabled: true }, { enabled: false }]) {
      const res = await update('admin-1', body, self);
      expect(res.statusCode).toBe(422);
      expect(res.body.type).toMatch(/own-roles$/);
    }
    expect(cognito.calls()).toHaveLength(0);
  });

  it('counts no invited admin who never signed in: disabling the only active one is refused', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({
      Users: [account('admin-2'), account('typo', { UserStatus: 'FORCE_CHANGE_PASSWORD' })],
    });
    const res = await update('admin-2', { enabled: false });
    expect(res.statusCode, res.raw).toBe(422);
    expect(res.body.type).toMatch(/last-admin$/);
    expect(writes()).toHaveLength(0);
  });

  it('refuses to disable or demote the last enabled admin, changing nothing in Cognito or the table', async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolves({ Users: [account('admin-2'), account('admin-3', { Enabled: false })] });
    for (const body of [{ enabled: false }, { groups: ['auditor'] }]) {
      const res = await update('admin-2', body);
      expect(res.statusCode, res.raw).toBe(422);
      expect(res.body.type).toMatch(/last-admin$/);
    }
    expect(writes()).toHaveLength(0);
  });

  it("refuses a change of one's own groups before anything is counted", async () => {
    const res = await update(
      'admin-2',
      { groups: ['admin', 'clerk'] },
      { sub: 'admin-2', name: 'a', groups: ['admin'] },
    );
    expect(res.statusCode).toBe(422);
    expect(res.body.type).toMatch(/own-roles$/);
    expect(writes()).toHaveLength(0);
  });

  it('disables an admin while another remains, with an event naming before and after', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [account('admin-2'), account('admin-1')] });
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    const res = await update('admin-2', { enabled: false });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.user.enabled).toBe(false);
    expect(res.body.event).toMatchObject({
      action: 'update_user',
      changes: { from: { enabled: true }, to: { enabled: false } },
    });
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input.Username).toBe('admin-2');
  });

  it('writes the event on the head read before the checks: a lost race is 409 and Cognito is not asked', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [account('admin-2'), account('admin-1')] });
    // Another admin's change moved the head between the read and this write.
    ddb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const res = await update('admin-2', { enabled: false });
    expect(res.statusCode, res.raw).toBe(409);
    expect(res.body.type).toMatch(/concurrent-change$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(0);
  });

  it('writes a change that takes no admin away again on a head another change moved', async () => {
    cognito.on(ListUsersCommand, { Filter: 'sub = "clerk-7"' }).resolves({ Users: [account('clerk-7')] });
    cognito
      .on(AdminListGroupsForUserCommand, { Username: 'clerk-7' })
      .resolves({ Groups: [{ GroupName: 'clerk' }] });
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    // A calendar change landed on the bureau stream between this one's read and its write.
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        Object.assign(new Error('cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      )
      .resolves({});
    const res = await update('clerk-7', { enabled: false });
    expect(res.statusCode, res.raw).toBe(200);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
  });

  it('follows the event with update_user_failed when Cognito then fails', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [account('admin-2'), account('admin-1')] });
    cognito.on(AdminDisableUserCommand).rejects(new Error('boom'));
    const res = await update('admin-2', { enabled: false });
    expect(res.statusCode).toBe(500);
    const actions = ddb
      .commandCalls(TransactWriteCommand)
      .map((c) => c.args[0].input.TransactItems?.at(-1)?.Put?.Item?.action);
    expect(actions).toEqual(['update_user', 'update_user_failed']);
  });

  it('is 404 for an account Cognito does not know, and 403 for a clerk', async () => {
    cognito.on(ListUsersCommand, { Filter: 'sub = "ghost"' }).resolves({ Users: [] });
    expect((await update('ghost', { enabled: true })).statusCode).toBe(404);
    expect((await update('admin-2', { enabled: false }, clerk)).statusCode).toBe(403);
    expect(writes()).toHaveLength(0);
  });
});
