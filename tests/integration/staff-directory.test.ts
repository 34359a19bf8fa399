/**
 * The staff routes with the accounts in the table (profile china, STAFF_DIRECTORY=table) against
 * DynamoDB Local, over HTTP: an admin invites (a second invitation of the address is 409), lists
 * the accounts page by page, changes an account's groups and disables it once its holder has
 * signed in (linked by the token's e-mail); a change that would leave no active admin is refused
 * and writes nothing.
 */

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../shared/domain/staff.ts';
import { getDocumentClient } from '../../shared/runtime/clients.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';
import { staffAccountKey } from '../../shared/store/keys.ts';
import type { StaffDirectory } from '../../shared/store/staff-directory.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';

interface Problem {
  status: number;
  type?: string;
  issues?: { path: string; message: string }[];
}
type UserBody = { user: StaffUser } & Problem;

const admin = { sub: 'it-admin-1', name: '管理员一', groups: ['admin'] } as const;
const saved = process.env.STAFF_DIRECTORY;
let stack: LocalStack;
let directory: StaffDirectory;

beforeAll(async () => {
  process.env.STAFF_DIRECTORY = 'table';
  stack = await startLocalStack();
  directory = getUserDirectory() as StaffDirectory;
  // The first admin, as the bureau seeds it: invited, then signed in (linked by e-mail).
  await directory.invite({ email: 'admin1@liling.gov.cn', name: admin.name, groups: ['admin'] });
  await directory.link(admin.sub, 'admin1@liling.gov.cn');
});
afterAll(async () => {
  await stack?.stop();
  if (saved === undefined) delete process.env.STAFF_DIRECTORY;
  else process.env.STAFF_DIRECTORY = saved;
});

const invite = (body: unknown) => stack.request<UserBody>('POST', '/admin/users', { as: admin, body });
const patch = (
  id: string,
  body: unknown,
  as: typeof admin | { sub: string; name: string; groups: readonly ['admin'] } = admin,
) => stack.request<UserBody>('PATCH', `/admin/users/${encodeURIComponent(id)}`, { as, body });

describe('the staff routes on the table', () => {
  const ids = { clerk: '', admin2: '' };

  it('invites: the account is in the table, invited; the same address again is 409 naming email', async () => {
    const res = await invite({ email: 'Clerk@Liling.gov.cn', name: '王书记', groups: ['clerk'] });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user).toMatchObject({
      email: 'clerk@liling.gov.cn',
      status: 'invited',
      groups: ['clerk'],
    });
    ids.clerk = res.json.user.id;
    expect(await directory.get(ids.clerk)).toEqual(res.json.user);

    const again = await invite({ email: 'clerk@liling.gov.cn', name: '另一人', groups: ['reviewer'] });
    expect(again.status, again.text).toBe(409);
    expect(again.json.type).toMatch(/email-taken$/);
    expect(again.json.issues?.map((i) => i.path)).toEqual(['email']);

    const second = await invite({ email: 'admin2@liling.gov.cn', name: '管理员二', groups: ['admin'] });
    expect(second.status, second.text).toBe(201);
    ids.admin2 = second.json.user.id;
  });

  it('lists every account once, page by page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await stack.request<{ items: StaffUser[]; cursor?: string }>(
        'GET',
        `/admin/users${query}`,
        {
          as: admin,
        },
      );
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.items.map((u) => u.email));
      cursor = res.json.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(['admin1@liling.gov.cn', 'admin2@liling.gov.cn', 'clerk@liling.gov.cn']);
  });

  it('changes the groups of an account that signed in, then disables it', async () => {
    const linked = await directory.link('it-clerk', 'clerk@liling.gov.cn');
    expect(linked?.id).toBe('it-clerk');
    // The invitation's id names the account no longer.
    expect((await patch(ids.clerk, { groups: ['reviewer'] })).status).toBe(404);

    const groups = await patch('it-clerk', { groups: ['reviewer', 'clerk'] });
    expect(groups.status, groups.text).toBe(200);
    expect(groups.json.user).toMatchObject({ id: 'it-clerk', groups: ['clerk', 'reviewer'], enabled: true });

    const disabled = await patch('it-clerk', { enabled: false });
    expect(disabled.status, disabled.text).toBe(200);
    expect(await directory.get('it-clerk')).toMatchObject({ enabled: false, groups: ['clerk', 'reviewer'] });
    // Each change is an event of the bureau stream, written with the account: the chain verifies.
    const events = [groups, disabled].map((r) => (r.json as unknown as { event: { seq: number } }).event.seq);
    expect(events[1]).toBe((events[0] ?? 0) + 1);
    const verify = await stack.request<{ ok: boolean }>('GET', '/audit/bureau/verify', { as: 'auditor' });
    expect(verify.json.ok, verify.text).toBe(true);
  });

  it('a disabled admin may change nothing (403), whatever the token says', async () => {
    await directory.link('it-admin-2', 'admin2@liling.gov.cn');
    expect((await patch('it-admin-2', { enabled: false })).status).toBe(200);
    const res = await patch(
      'it-clerk',
      { enabled: true },
      { sub: 'it-admin-2', name: '管理员二', groups: ['admin'] },
    );
    expect(res.status, res.text).toBe(403);
    expect(await directory.get('it-clerk')).toMatchObject({ enabled: false });
  });

  it('refuses to take away the last active admin, and writes nothing', async () => {
    // The caller always counts as an active admin itself; one the directory holds as an enabled
    // admin but not as active (a record of status `other`) is the only way to reach the rule here.
    const caller = await directory.invite({
      email: 'admin3@liling.gov.cn',
      name: '管理员三',
      groups: ['admin'],
    });
    await directory.link('it-admin-3', 'admin3@liling.gov.cn');
    const item = await directory.get('it-admin-3');
    expect(item).toBeDefined();
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: stack.tables.main,
              Item: {
                ...staffAccountKey(caller.id),
                accountId: caller.id,
                email: 'admin3@liling.gov.cn',
                name: '管理员三',
                groups: ['admin'],
                enabled: true,
                status: 'other',
                createdAt: caller.createdAt,
                sub: 'it-admin-3',
                version: 3,
              },
            },
          },
        ],
      }),
    );
    expect(await directory.activeAdmins()).toEqual([admin.sub]);
    const as = { sub: 'it-admin-3', name: '管理员三', groups: ['admin'] } as const;
    for (const body of [{ enabled: false }, { groups: ['auditor'] }]) {
      const res = await patch(admin.sub, body, as);
      expect(res.status, res.text).toBe(422);
      expect(res.json.type).toMatch(/last-admin$/);
    }
    expect(await directory.get(admin.sub)).toMatchObject({ enabled: true, groups: ['admin'] });
  });
});
