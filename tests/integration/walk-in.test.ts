/**
 * Walk-in intake (窗口代录) against DynamoDB Local: a clerk types in the paper of an organisation at
 * the window; every applicant of that organisation lists it, opens it, reads its trail and
 * submits it; an applicant of another organisation gets 404; the consultancy (preparedBy) is shown;
 * its notifications go to the organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { isDocumentOutboxItem } from '../../shared/domain/document-outbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { beijing, draftBody, ok, otherApplicant, uploadFile, uploadMaterials } from './helpers/scenario.ts';

interface App {
  id: string;
  state: string;
  ownerId: string;
  intake?: { kind: string; by: { id: string }; onBehalfOf: { orgCode: string } };
  preparedBy?: { orgName: string; orgCode: string };
  allowedActions: string[];
  canEdit: boolean;
}
interface Event {
  action: string;
  actor: { id: string; role: string };
  onBehalfOf?: { orgCode: string };
}

const orgCode = users.applicant.orgCode ?? '';
/** A colleague of the demo applicant: same organisation, another account. */
const colleague = {
  sub: 'walk-in-colleague',
  name: '黄小明',
  groups: ['applicant'],
  orgCode,
} satisfies TokenSubject;
const consultancy = { orgName: '湖南某环境科技有限公司', orgCode: otherApplicant.orgCode };

let stack: LocalStack;
let id = '';

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
});
afterAll(async () => {
  await stack?.stop();
});

describe('a walk-in taken in by the window', () => {
  it('is created by a clerk for the organisation, and marked as such', async () => {
    const body = {
      ...draftBody('REPORT_FORM', '窗口代录的窑炉项目'),
      onBehalfOf: { orgName: '醴陵市某陶瓷有限公司', orgCode },
    };
    const res = await stack.request<App>('POST', '/applications', { as: 'clerk', body });
    expect(res.status, res.text).toBe(201);
    id = res.json.id;
    expect(res.json.intake).toMatchObject({
      kind: 'WALK_IN',
      by: { id: users.clerk.sub },
      onBehalfOf: { orgCode },
    });
  });

  it('an applicant naming onBehalfOf is refused with 403', async () => {
    const body = { ...draftBody(), onBehalfOf: { orgName: '醴陵市某陶瓷有限公司', orgCode } };
    const res = await stack.request('POST', '/applications', { as: 'applicant', body });
    expect(res.status, res.text).toBe(403);
  });

  it("is in the list of every applicant of that organisation, and in no other's", async () => {
    for (const who of ['applicant', colleague] as const) {
      const res = await stack.request<{ items: App[] }>('GET', '/applications', { as: who });
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.map((a) => a.id)).toContain(id);
    }
    const other = await stack.request<{ items: App[] }>('GET', '/applications', { as: otherApplicant });
    expect(other.json.items.map((a) => a.id)).not.toContain(id);
  });

  it('opens for the organisation, with its trail, and is 404 to another organisation', async () => {
    const mine = await stack.request<App>('GET', `/applications/${id}`, { as: colleague });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json).toMatchObject({ canEdit: true, allowedActions: expect.arrayContaining(['submit']) });
    const trail = await stack.request<{ items: Event[] }>('GET', `/applications/${id}/events`, {
      as: colleague,
    });
    expect(trail.status).toBe(200);
    expect(trail.json.items[0]).toMatchObject({
      action: 'create',
      actor: { id: users.clerk.sub, role: 'clerk' },
      onBehalfOf: { orgCode },
    });
    for (const path of [`/applications/${id}`, `/applications/${id}/events`]) {
      const res = await stack.request('GET', path, { as: otherApplicant });
      expect(res.status, path).toBe(404);
    }
    const submit = await stack.request('POST', `/applications/${id}/actions/submit`, {
      as: otherApplicant,
      body: {},
    });
    expect(submit.status).toBe(404);
  });

  it('takes the consultancy from the window, and the organisation submits it', async () => {
    const edit = await stack.request<App>('PATCH', `/applications/${id}`, {
      as: 'clerk',
      body: { preparedBy: consultancy, materials: await uploadMaterials(stack, id, 'clerk', 'REPORT_FORM') },
    });
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json.preparedBy).toEqual(consultancy);
    const submit = await stack.request<{ application: App }>('POST', `/applications/${id}/actions/submit`, {
      as: colleague,
      body: {},
    });
    expect(submit.status, submit.text).toBe(200);
    expect(submit.json.application.state).toBe('SUBMITTED');
    const trail = await stack.request<{ items: Event[] }>('GET', `/applications/${id}/events`, {
      as: 'applicant',
    });
    expect(trail.json.items.map((e) => [e.action, e.actor.role, e.onBehalfOf?.orgCode ?? null])).toEqual([
      ['create', 'clerk', orgCode],
      ['edit', 'clerk', orgCode],
      ['submit', 'applicant', null],
    ]);
  });

  it("waits on the organisation's applicants when a supplement is asked for", async () => {
    const notice = await stack.request('POST', `/applications/${id}/actions/request_supplement`, {
      as: 'clerk',
      body: { items: [{ code: 'PUBLIC_VERSION', reason: '公开版本缺页' }] },
    });
    expect(notice.status, notice.text).toBe(200);
    const queue = await stack.request<{ items: App[] }>('GET', '/applications?queue=mine', { as: colleague });
    expect(queue.status, queue.text).toBe(200);
    expect(queue.json.items.map((a) => a.id)).toContain(id);
    const other = await stack.request<{ items: App[] }>('GET', '/applications?queue=mine', {
      as: otherApplicant,
    });
    expect(other.json.items.map((a) => a.id)).not.toContain(id);
  });

  it('tells the organisation, not the clerk alone: the outbox names it for the supplement notice and the decline', async () => {
    await stack.setNow(beijing('2026-03-04', '09:00'));
    await ok(stack, id, 'resubmit', colleague, {
      materials: [await uploadFile(stack, id, colleague, 'PUBLIC_VERSION', { v: 2 })],
    });
    await ok(stack, id, 'decline', 'clerk', { reason: '不属于本局审批权限' });
    const res = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=100');
    expect(res.status, res.text).toBe(200);
    // The notifications (each act's written document has an outbox item of its own besides).
    const mine = res.json.items.filter((n) => n.applicationId === id && !isDocumentOutboxItem(n));
    expect(mine.map((n) => n.action)).toEqual(['decline', 'request_supplement']);
    for (const n of mine) {
      expect(n.recipients, n.action).toEqual([
        { kind: 'org', orgCode },
        { kind: 'user', id: users.clerk.sub },
      ]);
    }
  });
});
