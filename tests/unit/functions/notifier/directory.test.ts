/** The notifier's contacts from a user directory of the bureau's own (no Cognito user pool). */
import { describe, expect, it } from 'vitest';
import { userDirectoryContacts } from '../../../../functions/notifier/directory.ts';
import type { StaffUser } from '../../../../shared/domain/staff.ts';

const user = (id: string, extra: Partial<StaffUser>): StaffUser => ({
  id,
  email: `${id}@example.cn`,
  name: id,
  groups: [],
  enabled: true,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const users = [
  user('r-1', { groups: ['reviewer'], phone: '+8613900000001' }),
  user('r-2', { groups: ['reviewer'], enabled: false, phone: '+8613900000002' }),
  user('c-1', { groups: ['clerk'] }),
  user('ap-1', { groups: ['applicant'], orgCode: 'ORG-1', phone: '+8613800000001' }),
  user('ap-2', { groups: ['applicant'], orgCode: 'ORG-2' }),
];

// Two pages of two and one of one, as a directory pages them.
const directory = userDirectoryContacts({
  async list({ next }) {
    const at = Number(next ?? 0);
    const page = users.slice(at, at + 2);
    return { users: page, ...(at + 2 < users.length ? { next: String(at + 2) } : {}) };
  },
  async get(id) {
    return users.find((u) => u.id === id);
  },
});

describe('userDirectoryContacts', () => {
  it("a role's enabled members, an organisation's applicants, a user by id: their addresses and numbers", async () => {
    expect(await directory.addressesOf({ kind: 'role', role: 'reviewer' })).toEqual(['r-1@example.cn']);
    expect(await directory.phonesOf?.({ kind: 'role', role: 'reviewer' })).toEqual(['+8613900000001']);
    expect(await directory.addressesOf({ kind: 'org', orgCode: 'ORG-1' })).toEqual(['ap-1@example.cn']);
    expect(await directory.phonesOf?.({ kind: 'org', orgCode: 'ORG-1' })).toEqual(['+8613800000001']);
    expect(await directory.addressesOf({ kind: 'user', id: 'c-1' })).toEqual(['c-1@example.cn']);
    expect(await directory.phonesOf?.({ kind: 'user', id: 'c-1' })).toEqual([]);
  });

  it('a disabled or unknown account, and hearing requesters, have none', async () => {
    expect(await directory.addressesOf({ kind: 'user', id: 'r-2' })).toEqual([]);
    expect(await directory.addressesOf({ kind: 'user', id: 'nobody' })).toEqual([]);
    expect(await directory.addressesOf({ kind: 'hearingRequesters', applicationId: 'a-1' })).toEqual([]);
  });
});

describe('cognitoDirectory phonesOf', () => {
  it('only verified numbers of enabled accounts', async () => {
    const { CognitoIdentityProviderClient, ListUsersInGroupCommand } = await import(
      '@aws-sdk/client-cognito-identity-provider'
    );
    const { mockClient } = await import('aws-sdk-client-mock');
    const { cognitoDirectory } = await import('../../../../functions/notifier/aws.ts');
    const cognito = mockClient(CognitoIdentityProviderClient);
    const phone = (value: string, verified: string, enabled = true) => ({
      Enabled: enabled,
      Attributes: [
        { Name: 'phone_number', Value: value },
        { Name: 'phone_number_verified', Value: verified },
      ],
    });
    cognito.on(ListUsersInGroupCommand).resolves({
      Users: [
        phone('+8613900000001', 'true'),
        phone('+8613900000002', 'false'),
        phone('+8613900000003', 'true', false),
      ],
    });
    const directory = cognitoDirectory(new CognitoIdentityProviderClient({ region: 'cn-north-1' }), 'pool-1');
    expect(await directory.phonesOf?.({ kind: 'role', role: 'reviewer' })).toEqual(['+8613900000001']);
    expect(await directory.addressesOf({ kind: 'role', role: 'reviewer' })).toEqual([]);
    cognito.restore();
  });
});
