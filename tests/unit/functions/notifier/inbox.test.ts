/** The inbox side of the notifier: who a notification's recipients are, and one entry per user. */
import {
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cognitoMembers } from '../../../../functions/notifier/aws.ts';
import { deliverToInbox, directoryMembers, type Members } from '../../../../functions/notifier/inbox.ts';
import { entrySortKey, type InboxEntry, sortKeyOfId } from '../../../../shared/domain/inbox.ts';
import { type Notification, recipientKey } from '../../../../shared/domain/notifications.ts';
import type { StaffUser } from '../../../../shared/domain/staff.ts';
import type { InboxStore } from '../../../../shared/store/ports.ts';

const notification: Notification = {
  applicationId: 'a-1',
  seq: 7,
  action: 'accept',
  at: '2026-03-02T02:00:00.000Z',
  recipients: [
    { kind: 'user', id: 'owner-1' },
    { kind: 'role', role: 'reviewer' },
    { kind: 'org', orgCode: 'ORG-1' },
    { kind: 'hearingRequesters', applicationId: 'a-1' },
  ],
  subject: { zh: '已受理', en: 'Accepted' },
  body: { zh: '正文', en: 'Body' },
  deadline: '2026-05-29',
};

/** A store that keeps entries per user, adding each (user, id) once, as the DynamoDB one does. */
function fakeStore() {
  const entries = new Map<string, Omit<InboxEntry, 'deliveredAt'>>();
  const store: Pick<InboxStore, 'deliver'> = {
    async deliver(userId, entry) {
      const key = `${userId}|${entry.id}`;
      if (entries.has(key)) return false;
      entries.set(key, entry);
      return true;
    },
  };
  return { entries, store: store as InboxStore };
}

const members = (book: Record<string, string[]>): Members => ({
  usersOf: async (r) => book[recipientKey(r)] ?? [],
});

describe('deliverToInbox', () => {
  it('one entry per user named, however many recipients name them', async () => {
    const { entries, store } = fakeStore();
    const report = await deliverToInbox(
      notification,
      members({
        'user:owner-1': ['owner-1'],
        'role:reviewer': ['rev-1', 'rev-2'],
        'org:ORG-1': ['owner-1', 'colleague-1'],
      }),
      store,
      new Date('2026-03-02T02:00:01Z'),
    );
    expect(report).toEqual({ users: 4, added: 4 });
    expect([...entries.keys()].map((k) => k.split('|')[0]).sort()).toEqual([
      'colleague-1',
      'owner-1',
      'rev-1',
      'rev-2',
    ]);
    const entry = [...entries.values()][0];
    expect(entry).toMatchObject({
      applicationId: 'a-1',
      seq: 7,
      action: 'accept',
      subject: notification.subject,
      deadline: '2026-05-29',
    });
    expect(sortKeyOfId(entry?.id ?? '')).toBe(entrySortKey(notification));
  });

  it('a retried delivery adds nothing', async () => {
    const { store } = fakeStore();
    const book = members({ 'user:owner-1': ['owner-1'], 'role:reviewer': ['rev-1'] });
    const now = new Date('2026-03-02T02:00:01Z');
    expect(await deliverToInbox(notification, book, store, now)).toEqual({ users: 2, added: 2 });
    expect(await deliverToInbox(notification, book, store, now)).toEqual({ users: 2, added: 0 });
  });

  it('a failed write fails the delivery (the notification is retried whole)', async () => {
    const store = { deliver: async () => Promise.reject(new Error('throttled')) } as unknown as InboxStore;
    await expect(
      deliverToInbox(notification, members({ 'user:owner-1': ['owner-1'] }), store, new Date()),
    ).rejects.toThrow('throttled');
  });
});

describe('directoryMembers (the local user directory)', () => {
  const account = (id: string, groups: StaffUser['groups'], extra: Partial<StaffUser> = {}): StaffUser => ({
    id,
    email: `${id}@example.cn`,
    name: id,
    groups,
    enabled: true,
    status: 'active',
    createdAt: '2026-01-01T00:00:00Z',
    ...extra,
  });
  const accounts = [
    account('rev-1', ['reviewer']),
    account('rev-off', ['reviewer'], { enabled: false }),
    account('appr-1', ['approver', 'reviewer']),
    account('app-1', ['applicant'], { orgCode: 'ORG-1' }),
    account('app-2', ['applicant'], { orgCode: 'ORG-2' }),
    account('clerk-org', ['clerk'], { orgCode: 'ORG-1' }),
  ];
  // Pages of two, to cross pages.
  const directory = {
    async list({ limit, next }: { limit: number; next?: string }) {
      const start = next === undefined ? 0 : Number(next);
      const size = Math.min(limit, 2);
      const users = accounts.slice(start, start + size);
      return start + size < accounts.length ? { users, next: String(start + size) } : { users };
    },
  };

  it("a role is its group's enabled members; an organisation its applicants; a user itself", async () => {
    const m = directoryMembers(directory);
    expect(await m.usersOf({ kind: 'role', role: 'reviewer' })).toEqual(['rev-1', 'appr-1']);
    expect(await m.usersOf({ kind: 'org', orgCode: 'ORG-1' })).toEqual(['app-1']);
    expect(await m.usersOf({ kind: 'user', id: 'x-1' })).toEqual(['x-1']);
    expect(await m.usersOf({ kind: 'hearingRequesters', applicationId: 'a-1' })).toEqual([]);
  });
});

describe('cognitoMembers', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  beforeEach(() => cognito.reset());
  const m = () => cognitoMembers(new CognitoIdentityProviderClient({ region: 'cn-north-1' }), 'pool-1');
  const user = (sub: string, extra: Partial<UserType> = {}, orgCode?: string): UserType => ({
    Enabled: true,
    Attributes: [
      { Name: 'sub', Value: sub },
      ...(orgCode ? [{ Name: 'custom:orgCode', Value: orgCode }] : []),
    ],
    ...extra,
  });

  it("a role: the group's enabled members' subs, across pages", async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolvesOnce({ Users: [user('r-1'), user('r-off', { Enabled: false })], NextToken: 'p2' })
      .resolvesOnce({ Users: [user('r-2')] });
    expect(await m().usersOf({ kind: 'role', role: 'reviewer' })).toEqual(['r-1', 'r-2']);
    expect(cognito.commandCalls(ListUsersInGroupCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: 'pool-1', GroupName: 'reviewer', NextToken: undefined },
      { UserPoolId: 'pool-1', GroupName: 'reviewer', NextToken: 'p2' },
    ]);
  });

  it("an organisation: the applicants' group, those of its code only", async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolves({ Users: [user('a-1', {}, 'ORG-1'), user('a-2', {}, 'ORG-2'), user('a-3')] });
    expect(await m().usersOf({ kind: 'org', orgCode: 'ORG-1' })).toEqual(['a-1']);
    expect(cognito.commandCalls(ListUsersInGroupCommand)[0]?.args[0].input.GroupName).toBe('applicant');
  });

  it('a user is their sub, without a call; the public who asked for a hearing are nobody', async () => {
    expect(await m().usersOf({ kind: 'user', id: 'u-1' })).toEqual(['u-1']);
    expect(await m().usersOf({ kind: 'hearingRequesters', applicationId: 'a-1' })).toEqual([]);
    expect(cognito.calls()).toHaveLength(0);
  });
});
