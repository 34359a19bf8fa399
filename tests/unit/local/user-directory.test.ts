import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../local/demo.ts';
import { localConsoleConfig } from '../../../local/static.ts';
import { localUserDirectory } from '../../../local/user-directory.ts';
import { EmailTakenError, UnknownUserError } from '../../../shared/runtime/user-directory.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the local user directory', () => {
  it('starts with the demo users, the admin 李明 among them, and pages by e-mail', async () => {
    const directory = await localUserDirectory();
    expect(await directory.get('demo-admin')).toMatchObject({
      name: '李明',
      groups: ['admin'],
      enabled: true,
    });
    expect(await directory.activeAdmins()).toEqual(['demo-admin']);
    const first = await directory.list({ limit: 4 });
    const rest = await directory.list({ limit: 4, ...(first.next ? { next: first.next } : {}) });
    const emails = [...first.users, ...rest.users].map((u) => u.email);
    expect(emails).toHaveLength(Object.keys(DEMO_USERS).length);
    expect(emails).toEqual([...emails].sort());
    expect(rest.next).toBeUndefined();
  });

  it('refuses a second account for an e-mail and a change to nobody, changing nothing', async () => {
    const directory = await localUserDirectory();
    const before = directory.all();
    await expect(
      directory.invite({ email: 'demo-clerk@liling-eia.example', name: 'x', groups: ['clerk'] }),
    ).rejects.toBeInstanceOf(EmailTakenError);
    await expect(directory.update('nobody', { enabled: false })).rejects.toBeInstanceOf(UnknownUserError);
    expect(directory.all()).toEqual(before);
  });

  it('with a file, keeps invitations and changes across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eia-users-'));
    dirs.push(dir);
    const file = join(dir, 'data', 'users.json');
    const first = await localUserDirectory({ file });
    const invited = await first.invite({
      email: 'he.ping@liling.example',
      name: '何平',
      groups: ['auditor', 'admin'],
    });
    await first.update('demo-clerk', { enabled: false });
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(Object.keys(DEMO_USERS).length + 1);

    const again = await localUserDirectory({ file });
    expect(await again.get(invited.id)).toEqual({ ...invited, groups: ['auditor', 'admin'] });
    expect(await again.get('demo-clerk')).toMatchObject({ enabled: false });
    // Invited, never signed in: not counted until their token is first used.
    expect(await again.activeAdmins()).toEqual(['demo-admin']);
    expect(await again.signedIn(invited.id)).toMatchObject({ status: 'active' });
    expect((await again.activeAdmins()).sort()).toEqual(['demo-admin', invited.id].sort());
  });

  it('records a sign-out everywhere when an account is disabled or loses a group, not when it gains one', async () => {
    const directory = await localUserDirectory({ now: () => new Date('2026-12-06T05:00:00Z') });
    await directory.update('demo-clerk', { groups: ['clerk', 'auditor'] });
    expect(directory.signedOutAt('demo-clerk')).toBeUndefined();
    await directory.update('demo-clerk', { groups: ['auditor'] });
    expect(directory.signedOutAt('demo-clerk')).toBe('2026-12-06T05:00:00.000Z');
    await directory.update('demo-reviewer', { enabled: false });
    expect(directory.signedOutAt('demo-reviewer')).toBe('2026-12-06T05:00:00.000Z');
  });

  it('is what the sign-in page offers: enabled users with a group, by role, with their labels', async () => {
    const directory = await localUserDirectory();
    await directory.update('demo-auditor', { enabled: false });
    const invited = await directory.invite({ email: 'a@liling.example', name: '新人', groups: ['clerk'] });
    const offered = localConsoleConfig(directory).demoUsers;
    expect(offered.map((u) => u.role)).toEqual([
      'applicant',
      'clerk',
      'clerk',
      'reviewer',
      'approver',
      'admin',
    ]);
    expect(offered.find((u) => u.sub === 'demo-admin')?.label).toBe(DEMO_USERS.admin.label);
    expect(offered.find((u) => u.sub === invited.id)).toEqual({
      role: 'clerk',
      label: '新人 · a@liling.example',
      sub: invited.id,
      name: '新人',
      groups: ['clerk'],
    });
    expect(offered.find((u) => u.role === 'applicant')?.orgCode).toBe(DEMO_USERS.applicant.orgCode);
  });
});
