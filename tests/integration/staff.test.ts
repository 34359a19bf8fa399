/**
 * Staff management against the local server: the routes, the local user directory that stands in
 * for Cognito, the sign-in page that offers its users, and the bureau stream that records each
 * change. Who else may call these routes is the access matrix's (access-matrix.test.ts).
 */
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import { localConsoleConfig } from '../../local/static.ts';
import type { TokenSubject } from '../../local/tokens.ts';
import type { LocalUserDirectory } from '../../local/user-directory.ts';
import type { StaffUser } from '../../shared/domain/staff.ts';
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { installedUserDirectory } from '../../shared/runtime/user-directory.ts';
import { bureauEventKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Problem {
  type: string;
  status: number;
  issues?: { path: string }[];
}
interface Changed {
  user: StaffUser;
  event: { stream: string; seq: number; action: string; subject: string; actor: { id: string } };
}
type Page = { items: StaffUser[]; cursor?: string };

const asAdmin = { as: 'admin' as const };
const everyone = async () => (await stack.request<Page>('GET', '/admin/users?limit=60', asAdmin)).json.items;
const problemOf = (res: { json: unknown }) => res.json as Problem;
const subjectOf = (user: StaffUser): TokenSubject => ({
  sub: user.id,
  name: user.name,
  groups: user.groups,
  ...(user.orgCode ? { orgCode: user.orgCode } : {}),
});
const bureauEvents = async () => {
  const res = await stack.request<{ ok: boolean; events: number }>('GET', '/audit/bureau/verify', {
    as: 'auditor',
  });
  expect(res.json.ok).toBe(true);
  return res.json.events;
};

describe('staff (local user directory)', () => {
  it('lists the demo users, one per role, with their groups; paged by limit and cursor', async () => {
    const all = await everyone();
    expect(Object.fromEntries(all.map((u) => [u.id, u.groups]))).toEqual(
      Object.fromEntries(Object.values(users).map((u) => [u.sub, u.groups])),
    );
    expect(all.find((u) => u.id === 'demo-admin')).toMatchObject({
      name: '李明',
      enabled: true,
      status: 'active',
    });

    const first = await stack.request<Page>('GET', '/admin/users?limit=4', asAdmin);
    expect(first.json.items).toHaveLength(4);
    const second = await stack.request<Page>(
      'GET',
      `/admin/users?limit=4&cursor=${encodeURIComponent(first.json.cursor ?? '')}`,
      asAdmin,
    );
    expect([...first.json.items, ...second.json.items].map((u) => u.id)).toEqual(all.map((u) => u.id));
    expect(second.json.cursor).toBeUndefined();
    const forged = await stack.request('GET', '/admin/users?cursor=eyJrIjp7fX0.x', asAdmin);
    expect(forged.status).toBe(400);
  });

  it('invites a reviewer, who is offered on the sign-in page and signs in with their groups', async () => {
    const before = await bureauEvents();
    const res = await stack.request<Changed>('POST', '/admin/users', {
      ...asAdmin,
      body: { email: ' Zhou.Min@Liling.example ', name: '周敏', groups: ['reviewer'] },
    });
    expect(res.status).toBe(201);
    const { user, event } = res.json;
    expect(user).toMatchObject({
      email: 'zhou.min@liling.example',
      groups: ['reviewer'],
      enabled: true,
      status: 'invited',
    });
    expect(res.headers.location).toBe(`/admin/users/${user.id}`);
    expect(event).toMatchObject({ stream: 'bureau', action: 'invite_user', subject: `user/${user.id}` });
    expect(event.actor.id).toBe('demo-admin');
    expect(await bureauEvents()).toBe(before + 1);

    const config = localConsoleConfig(installedUserDirectory() as LocalUserDirectory);
    expect(config.demoUsers).toContainEqual(
      expect.objectContaining({ sub: user.id, name: '周敏', role: 'reviewer', groups: ['reviewer'] }),
    );
    // What the console's sign-in does: POST /local/token with the directory's groups.
    const minted = await stack.request<{ token: string }>('POST', '/local/token', { body: subjectOf(user) });
    expect(minted.status).toBe(200);
    const asReviewer = await stack.request('GET', '/applications', { token: minted.json.token });
    expect(asReviewer.status).toBe(200);
  });

  it("shows the auditor invitees' e-mail addresses masked, and unmasked only when asked, which is logged", async () => {
    await stack.request<Changed>('POST', '/admin/users', {
      ...asAdmin,
      body: { email: 'masked.one@liling.example', name: '孙敏', groups: ['clerk'] },
    });
    type Stream = { items: { action: string; payload: { email?: string } }[]; personalData: string };
    const read = async (query: string) =>
      (await stack.request<Stream>('GET', `/audit/bureau/events?limit=100${query}`, { as: 'auditor' })).json;
    const invited = (page: Stream) =>
      page.items.filter((e) => e.action === 'invite_user').map((e) => e.payload.email);
    const masked = await read('');
    expect(masked.personalData).toBe('masked');
    expect(invited(masked)).toContain('m*********@liling.example');
    expect(JSON.stringify(masked)).not.toContain('masked.one@');
    const logBefore = (
      await stack.request<{ items: unknown[] }>('GET', '/audit/access-log', { as: 'auditor' })
    ).json.items.length;
    const open = await read('&includePersonalData=true');
    expect(open.personalData).toBe('included');
    expect(invited(open)).toContain('masked.one@liling.example');
    const log = (
      await stack.request<{ items: { filter: Record<string, string> }[] }>('GET', '/audit/access-log', {
        as: 'auditor',
      })
    ).json.items;
    expect(log.length).toBe(logBefore + 1);
    expect(log[0]?.filter).toEqual({ stream: 'bureau' });
  });

  it('answers a retry of an invitation with its first response (Idempotency-Key)', async () => {
    const [count, events] = [(await everyone()).length, await bureauEvents()];
    const body = { email: 'retry@liling.example', name: '重试', groups: ['auditor'] };
    const send = (key: string, b: unknown = body) =>
      stack.request<Changed>('POST', '/admin/users', {
        ...asAdmin,
        body: b,
        headers: { 'idempotency-key': key },
      });
    const first = await send('invite-retry-1');
    const again = await send('invite-retry-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    const reused = await send('invite-retry-1', { ...body, name: '别人' });
    expect(reused.status).toBe(422);
    expect(problemOf(reused).type).toMatch(/idempotency-key-reused$/);
    expect((await everyone()).length).toBe(count + 1);
    expect(await bureauEvents()).toBe(events + 1);
  });

  it('refuses bad invitations, naming the field, and stores nothing', async () => {
    const [count, events] = [(await everyone()).length, await bureauEvents()];
    const refused = async (body: unknown) => {
      const res = await stack.request('POST', '/admin/users', { ...asAdmin, body });
      return {
        status: res.status,
        type: problemOf(res).type,
        paths: problemOf(res).issues?.map((i) => i.path),
      };
    };
    expect(await refused({ email: 'not an address', name: 'x', groups: ['clerk'] })).toMatchObject({
      status: 400,
      paths: ['email'],
    });
    expect(
      await refused({ email: 'x@liling.example', name: 'x', groups: ['clerk', 'superuser'] }),
    ).toMatchObject({
      status: 400,
      paths: ['groups.1'],
    });
    expect(await refused({ email: 'x@liling.example', name: 'x', groups: ['applicant'] })).toMatchObject({
      status: 400,
      paths: ['orgCode'],
    });
    expect(
      await refused({ email: 'x@liling.example', name: 'x', groups: ['clerk'], role: 'admin' }),
    ).toMatchObject({
      status: 400,
      paths: ['role'],
    });
    // The demo clerk's address, in other letters: one person.
    const taken = await refused({ email: 'DEMO-CLERK@liling-eia.example', name: 'x', groups: ['clerk'] });
    expect(taken).toMatchObject({ status: 409, paths: ['email'] });
    expect(taken.type).toMatch(/email-taken$/);
    expect((await everyone()).length).toBe(count);
    expect(await bureauEvents()).toBe(events);
  });

  it('invites an applicant with their organisation, whose token carries it', async () => {
    const orgCode = `91430281MA4L7KT1X${usccCheckChar('91430281MA4L7KT1X')}`;
    const res = await stack.request<Changed>('POST', '/admin/users', {
      ...asAdmin,
      body: { email: 'contact@kiln.example', name: '黄师傅', groups: ['applicant'], orgCode },
    });
    expect(res.status).toBe(201);
    const config = localConsoleConfig(installedUserDirectory() as LocalUserDirectory);
    expect(config.demoUsers).toContainEqual(expect.objectContaining({ sub: res.json.user.id, orgCode }));
  });

  it('changes groups and disables with an event each; a disabled user leaves the sign-in page', async () => {
    const clerk = users.clerk.sub;
    const regrouped = await stack.request<Changed>('PATCH', `/admin/users/${clerk}`, {
      ...asAdmin,
      body: { groups: ['reviewer', 'clerk'] },
    });
    expect(regrouped.status).toBe(200);
    expect(regrouped.json.user.groups).toEqual(['clerk', 'reviewer']);
    expect(regrouped.json.event).toMatchObject({ action: 'update_user', subject: `user/${clerk}` });

    const disabled = await stack.request<Changed>('PATCH', `/admin/users/${clerk}`, {
      ...asAdmin,
      body: { enabled: false },
    });
    expect(disabled.json.user.enabled).toBe(false);
    expect(disabled.json.event.seq).toBe(regrouped.json.event.seq + 1);
    const offered = localConsoleConfig(installedUserDirectory() as LocalUserDirectory).demoUsers;
    expect(offered.map((u) => u.sub)).not.toContain(clerk);
    // Nor does the local sign-in sign the disabled account in.
    const signIn = await stack.request<Problem>('POST', '/local/token', {
      body: { sub: clerk, name: users.clerk.name, groups: ['clerk'] },
    });
    expect(signIn.status).toBe(403);

    const enabled = await stack.request<Changed>('PATCH', `/admin/users/${clerk}`, {
      ...asAdmin,
      body: { enabled: true, groups: ['clerk'] },
    });
    expect(enabled.json.user).toMatchObject({ enabled: true, groups: ['clerk'] });
  });

  it("refuses a change of one's own account and unknown users", async () => {
    const [before, events] = [await everyone(), await bureauEvents()];
    const patch = async (id: string, body: unknown, as: TokenSubject | 'admin' = 'admin') => {
      const res = await stack.request('PATCH', `/admin/users/${id}`, { as, body });
      return {
        status: res.status,
        type: problemOf(res).type,
        paths: problemOf(res).issues?.map((i) => i.path),
      };
    };
    const own = await patch('demo-admin', { groups: ['admin', 'auditor'] });
    expect(own).toMatchObject({ status: 422, paths: ['groups'] });
    expect(own.type).toMatch(/own-roles$/);
    // Not even `enabled`: a disabled admin must not be able to enable themselves again.
    const ownEnabled = await patch('demo-admin', { enabled: false });
    expect(ownEnabled).toMatchObject({ status: 422, paths: ['enabled'] });
    expect(ownEnabled.type).toMatch(/own-roles$/);
    expect(await patch('demo-admin', { groups: ['admin', 'superuser'] })).toMatchObject({
      status: 400,
      paths: ['groups.1'],
    });
    expect(await patch('demo-admin', {})).toMatchObject({ status: 400 });
    // An applicant's token needs an organisation code, which a clerk's account has not.
    expect(await patch('demo-clerk', { groups: ['applicant'] })).toMatchObject({
      status: 400,
      paths: ['groups'],
    });
    expect(await patch('nobody-here', { enabled: false })).toMatchObject({ status: 404 });
    expect(await everyone()).toEqual(before);
    expect(await bureauEvents()).toBe(events);
  });

  it('lets one admin hand over to another; the old token then makes no staff change', async () => {
    const invited = await stack.request<Changed>('POST', '/admin/users', {
      ...asAdmin,
      body: { email: 'second.admin@liling.example', name: '何平', groups: ['admin'] },
    });
    const second = subjectOf(invited.json.user);
    const directory = installedUserDirectory() as LocalUserDirectory;
    // The second admin's first request is their first sign-in: from then on they count as active.
    const handover = await stack.request('PATCH', '/admin/users/demo-admin', {
      as: second,
      body: { groups: ['auditor'] },
    });
    expect(handover.status).toBe(200);
    expect(await directory.get(second.sub)).toMatchObject({ status: 'active' });
    expect(directory.signedOutAt('demo-admin')).toBeDefined();
    const events = await bureauEvents();
    // 李明's token still says admin until it expires; the directory no longer does: 403 for every
    // staff change, including taking the second admin's place or inviting himself a new account.
    for (const body of [{ enabled: false }, { groups: ['clerk'] }]) {
      const res = await stack.request('PATCH', `/admin/users/${second.sub}`, { as: 'admin', body });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const again = await stack.request('POST', '/admin/users', {
      as: 'admin',
      body: { email: 'li.ming.again@liling.example', name: '李明', groups: ['admin'] },
    });
    expect(again.status).toBe(403);
    expect(await bureauEvents()).toBe(events);
    // Undo for the tests that follow: the second admin gives admin back.
    const back = await stack.request('PATCH', '/admin/users/demo-admin', {
      as: second,
      body: { groups: ['admin'] },
    });
    expect(back.status).toBe(200);
  });

  it("is the admin's alone", async () => {
    for (const role of ['applicant', 'clerk', 'reviewer', 'approver', 'auditor'] as const) {
      expect((await stack.request('GET', '/admin/users', { as: role })).status).toBe(403);
      const post = await stack.request('POST', '/admin/users', {
        as: role,
        body: { email: `${role}.x@liling.example`, name: 'x', groups: ['admin'] },
      });
      expect(post.status).toBe(403);
      const patch = await stack.request('PATCH', `/admin/users/${users[role].sub}`, {
        as: role,
        body: { groups: ['admin'] },
      });
      expect(patch.status).toBe(403);
    }
    expect((await everyone()).some((u) => u.email.endsWith('.x@liling.example'))).toBe(false);
  });
});

describe('an invitation cut short after the account was opened', () => {
  it('is completed by a retry: one account, one event; then the e-mail is taken', async () => {
    const doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
    const body = { email: 'half.done@liling.example', name: '半途', groups: ['clerk'] };
    const post = () => stack.request<Changed>('POST', '/admin/users', { ...asAdmin, body });
    const [count, events] = [(await everyone()).length, await bureauEvents()];
    // The event's seq is taken by an item put directly: the event write fails after the account exists.
    const squatter = bureauEventKey(events + 1);
    await doc.send(new PutCommand({ TableName: stack.tables.main, Item: { ...squatter, squatter: true } }));
    try {
      const first = await post();
      expect(first.status, first.text).toBe(409);
      expect(problemOf(first).type).toMatch(/concurrent-change$/);
      expect((await everyone()).filter((u) => u.email === body.email)).toHaveLength(1);
    } finally {
      await doc.send(new DeleteCommand({ TableName: stack.tables.main, Key: squatter }));
    }
    try {
      const opened = (await everyone()).find((u) => u.email === body.email);
      expect(opened).toMatchObject({ invitedBy: 'demo-admin', groups: ['clerk'] });
      expect(await bureauEvents()).toBe(events);

      const retry = await post();
      expect(retry.status, retry.text).toBe(201);
      expect(retry.json.user).toMatchObject({ id: opened?.id, email: body.email, groups: ['clerk'] });
      expect(retry.json.event).toMatchObject({
        seq: events + 1,
        action: 'invite_user',
        subject: `user/${opened?.id}`,
      });
      expect((await everyone()).length).toBe(count + 1);
      expect(await bureauEvents()).toBe(events + 1);

      const third = await post();
      expect(third.status).toBe(409);
      expect(problemOf(third).type).toMatch(/email-taken$/);
      expect(await bureauEvents()).toBe(events + 1);
    } finally {
      doc.destroy();
    }
  });

  it('stays 409 for an account no invitation opened (a demo user), writing nothing', async () => {
    const events = await bureauEvents();
    const res = await stack.request('POST', '/admin/users', {
      ...asAdmin,
      body: { email: `demo-clerk@liling-eia.example`, name: '王芳', groups: ['clerk'] },
    });
    expect(res.status).toBe(409);
    expect(problemOf(res).type).toMatch(/email-taken$/);
    expect(await bureauEvents()).toBe(events);
  });
});
