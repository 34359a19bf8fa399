import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminListGroupsForUserCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useUserDirectory } from '../../../../shared/runtime/user-directory.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { type Handler, loadHandler, useHandlerEnvironment } from '../fixtures.ts';

/**
 * An official's mobile number for SMS notifications on the staff routes, as they run in AWS
 * (Cognito's admin API and the bureau stream mocked): the invitation and the change set Cognito's
 * `phone_number` in E.164, and their bureau events say that a number was set, never which.
 */
const ddb = useHandlerEnvironment();
const cognito = mockClient(CognitoIdentityProviderClient);
const admin: User = { sub: 'admin-1', name: '李明', groups: ['admin'] };
const handlers: Record<'invite' | 'update', Handler> = {} as never;

beforeAll(async () => {
  vi.stubEnv('USER_POOL_ID', 'cn-north-1_test');
  useUserDirectory(undefined);
  handlers.invite = await loadHandler('admin-invite-user');
  handlers.update = await loadHandler('admin-update-user');
});

const account = (sub: string, phone?: string): UserType => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: `${sub}@liling.example` },
    { Name: 'name', Value: sub },
    ...(phone
      ? [
          { Name: 'phone_number', Value: phone },
          { Name: 'phone_number_verified', Value: 'true' },
        ]
      : []),
  ],
  Enabled: true,
  UserStatus: 'CONFIRMED',
  UserCreateDate: new Date('2025-01-02T00:00:00Z'),
});

beforeEach(() => {
  ddb.reset();
  cognito.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  cognito.on(ListUsersCommand, { Filter: 'sub = "admin-1"' }).resolves({ Users: [account('admin-1')] });
  cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admin' }] });
});

const invite = (body: unknown) =>
  invoke(handlers.invite, apiEvent({ method: 'POST', route: '/admin/users', body, user: admin }));
const update = (id: string, body: unknown, user: User = admin) =>
  invoke(
    handlers.update,
    apiEvent({ method: 'PATCH', route: '/admin/users/{id}', pathParameters: { id }, body, user }),
  );

/** The bureau events written to the table, as stored. */
const storedEvents = () =>
  ddb
    .commandCalls(TransactWriteCommand)
    .flatMap((c) => c.args[0].input.TransactItems ?? [])
    .map((t) => t.Put?.Item)
    .filter((item) => typeof item?.action === 'string');

describe('POST /admin/users with a phone', () => {
  it('sets phone_number in E.164 and marks the event, without the number', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: account('new', '+8613800138000') });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const res = await invite({
      email: 'new@liling.example',
      name: 'new',
      groups: ['clerk'],
      phone: '13800138000',
    });

    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body.user.phone).toBe('+8613800138000');
    const attributes = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.UserAttributes;
    expect(attributes).toContainEqual({ Name: 'phone_number', Value: '+8613800138000' });
    expect(res.body.event.payload.phone).toBe('set');
    expect(res.body.event.changes.to.phone).toBe('set');
    const events = storedEvents();
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('13800138000');
  });

  it('refuses a number that is no mainland mobile with 400 naming phone, before Cognito is asked', async () => {
    const res = await invite({
      email: 'x@liling.example',
      name: 'x',
      groups: ['clerk'],
      phone: '0731-2345678',
    });
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['phone']);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('PATCH /admin/users/{id} with a phone', () => {
  beforeEach(() => {
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});
    cognito.on(AdminDeleteUserAttributesCommand).resolves({});
  });

  it('sets the number alone, signing nobody out, and the event marks none → set', async () => {
    cognito.on(ListUsersCommand, { Filter: 'sub = "clerk-7"' }).resolves({ Users: [account('clerk-7')] });
    const res = await update('clerk-7', { phone: '+8619912345678' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.user.phone).toBe('+8619912345678');
    expect(
      cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input.UserAttributes,
    ).toContainEqual({ Name: 'phone_number', Value: '+8619912345678' });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    expect(res.body.event).toMatchObject({
      action: 'update_user',
      payload: { phone: 'set' },
      changes: { from: { phone: 'none' }, to: { phone: 'set' } },
    });
    expect(JSON.stringify(storedEvents())).not.toContain('19912345678');
  });

  it('null removes it: the event marks set → none', async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'sub = "clerk-7"' })
      .resolves({ Users: [account('clerk-7', '+8613800138000')] });
    const res = await update('clerk-7', { phone: null });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.user).not.toHaveProperty('phone');
    expect(cognito.commandCalls(AdminDeleteUserAttributesCommand)).toHaveLength(1);
    expect(res.body.event.changes).toEqual({ from: { phone: 'set' }, to: { phone: 'none' } });
  });

  it('a bad number is 400 naming phone; one’s own number is 422 own-roles naming phone', async () => {
    const bad = await update('clerk-7', { phone: '+86 138' });
    expect(bad.statusCode, bad.raw).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['phone']);
    const own = await update('admin-1', { phone: '13800138000' });
    expect(own.statusCode, own.raw).toBe(422);
    expect(own.body.type).toMatch(/own-roles$/);
    expect(own.body.issues.map((i: { path: string }) => i.path)).toEqual(['phone']);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
