/**
 * Public participation under attack, through the local server, real handlers and DynamoDB Local:
 * a hostile member of the public and a curious applicant against hearing requests, comments and
 * the trail. Many requests at once on one case change its state once and store each request once;
 * the window refuses old, decided and withdrawn cases; only the case officer schedules; odd paths
 * and bodies are answered 4xx, never 500; and what the public left (names, contacts, reasons)
 * reaches the applicant only masked, even when a contact is free text holding a name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { act, beijing, draft, ok } from './helpers/scenario.ts';

interface ProblemJson {
  type: string;
  status: number;
  detail: string;
  issues?: { path: string; message: string }[];
}
interface EventJson {
  seq: number;
  action: string;
  from: string;
  to: string;
  actor: { id: string };
  payload: Record<string, unknown>;
  changes: Record<string, unknown>;
}
interface AppJson {
  state: string;
  version: number;
  clock: { paused: boolean };
  hearing?: { requests?: number; origin?: string };
  comments?: { received: number };
}
interface RequestJson {
  hearingRequestId: string;
  name: string;
  contact: string;
  reason: string;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function noticeOf(id: string, kind: string): Promise<string> {
  const res = await stack.request<{
    items: { noticeId: string; applicationId: string; kind: string; publishedAt: string }[];
  }>('GET', '/public/notices?limit=100');
  const notice = res.json.items.find((n) => n.applicationId === id && n.kind === kind);
  if (!notice) throw new Error(`no ${kind} notice of ${id}: ${res.text}`);
  return notice.noticeId;
}

/** A REPORT_FORM accepted 03-02, proposed for approval on 03-10: its id and proposal notice. */
async function proposed(name: string): Promise<{ id: string; acceptance: string; proposal: string }> {
  await stack.setNow(beijing('2026-03-02', '09:00'));
  const id = await draft(stack, 'REPORT_FORM', name);
  await ok(stack, id, 'submit', 'applicant');
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  await stack.setNow(beijing('2026-03-10', '09:00'));
  await ok(stack, id, 'propose_decision', 'reviewer', {
    proposal: 'approve',
    conditions: ['颗粒物不高于 30 mg/m³'],
  });
  return {
    id,
    acceptance: await noticeOf(id, 'ACCEPTANCE'),
    proposal: await noticeOf(id, 'PROPOSED_DECISION'),
  };
}

const ask = (noticeId: string, body: unknown) =>
  stack.request<{ hearingRequestId: string } & ProblemJson>(
    'POST',
    `/public/notices/${encodeURIComponent(noticeId)}/hearing-requests`,
    { body },
  );
const comment = (noticeId: string, body: unknown) =>
  stack.request<ProblemJson>('POST', `/public/notices/${encodeURIComponent(noticeId)}/comments`, { body });
const party = (n: number, contact = `p${n}@example.com`) => ({
  name: `攻击者${n}`,
  contact,
  reason: `秘密理由-${n}`,
});
const read = async (id: string) => {
  const res = await stack.request<AppJson>('GET', `/applications/${id}`, { as: 'reviewer' });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
async function trail(id: string, as: 'auditor' | 'applicant' = 'auditor'): Promise<EventJson[]> {
  const res = await stack.request<{ items: EventJson[] }>('GET', `/applications/${id}/events?limit=100`, {
    as,
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}
const requests = async (id: string) => {
  const res = await stack.request<{ items: RequestJson[] }>('GET', `/applications/${id}/hearing-requests`, {
    as: 'reviewer',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
};

describe('many hearing requests at once', () => {
  it('change the state once, pause the clock once, and store each request once with its event', async () => {
    const app = await proposed('并发听证窑炉');
    await stack.setNow(beijing('2026-03-11', '10:00'));
    const n = 30;
    // Comments on the same notice at the same time: the notice's count keeps step with them.
    const [answers, comments] = await Promise.all([
      Promise.all(Array.from({ length: n }, (_, i) => ask(app.proposal, party(i)))),
      Promise.all(Array.from({ length: 10 }, (_, i) => comment(app.proposal, { text: `意见 ${i}` }))),
    ]);
    for (const a of [...answers, ...comments]) expect(a.status, a.text).toBe(202);
    const notice = await stack.request<{ commentCount: number }>('GET', `/public/notices/${app.proposal}`);
    expect(notice.json.commentCount).toBe(10);
    const after = await read(app.id);
    expect(after.state).toBe('HEARING');
    expect(after.clock.paused).toBe(true);
    expect(after.hearing).toMatchObject({ origin: 'public', requests: n });
    const events = (await trail(app.id)).filter(
      (e) => e.actor.id === 'public' && e.action !== 'receive_comment',
    );
    expect(events.filter((e) => e.action === 'request_hearing')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'receive_hearing_request')).toHaveLength(n - 1);
    const stored = await requests(app.id);
    expect(stored).toHaveLength(n);
    const ids = new Set(answers.map((a) => a.json.hearingRequestId));
    expect(new Set(stored.map((r) => r.hearingRequestId))).toEqual(ids);
    expect(new Set(events.map((e) => e.payload.hearingRequestId).filter(Boolean))).toEqual(ids);
    // Paused once, by the first request only.
    const all = await trail(app.id);
    const changed = all.filter((e) => e.changes.clockState !== undefined && e.seq > 6);
    expect(changed.map((e) => e.action)).toEqual(['request_hearing']);
    expect((changed[0]?.changes.clockState as { pauses?: unknown[] } | undefined)?.pauses).toEqual([
      { from: '2026-03-11' },
    ]);
    expect(all.filter((e) => e.action === 'receive_comment')).toHaveLength(10);
  });
});

describe('the window against a hostile requester', () => {
  it("refuses an old proposal's notice, the hearing after its outcome, a decided and a withdrawn case", async () => {
    const app = await proposed('窗口攻击窑炉');
    // Sent back and proposed again: the first notice no longer takes requests.
    await stack.setNow(beijing('2026-03-11', '09:00'));
    await ok(stack, app.id, 'return_to_review', 'approver', { reason: '结论需补充' });
    await stack.setNow(beijing('2026-03-12', '09:00'));
    await ok(stack, app.id, 'propose_decision', 'reviewer', {
      proposal: 'approve',
      conditions: ['颗粒物不高于 20 mg/m³'],
    });
    const notices = await stack.request<{
      items: { noticeId: string; applicationId: string; kind: string }[];
    }>('GET', '/public/notices?limit=100');
    const second = notices.json.items.find(
      (n) => n.applicationId === app.id && n.kind === 'PROPOSED_DECISION' && n.noticeId !== app.proposal,
    );
    expect(second).toBeDefined();
    const old = await ask(app.proposal, party(1));
    expect(old.status, old.text).toBe(409);
    expect(old.json.type).toMatch(/\/hearing-window-closed$/);

    // The current proposal's notice takes one.
    expect((await ask(second?.noticeId ?? '', party(2))).status).toBe(202);
    // Withdrawn: neither hearing requests nor comments.
    await ok(stack, app.id, 'withdraw', 'applicant', { reason: '项目取消' });
    const withdrawn = await ask(second?.noticeId ?? '', party(4));
    expect(withdrawn.status, withdrawn.text).toBe(409);
    const late = await comment(second?.noticeId ?? '', { text: '撤回后的意见' });
    expect(late.status, late.text).toBe(409);
    const stored = await requests(app.id);
    expect(stored.map((r) => r.name)).toEqual(['攻击者2']);
  });

  it('refuses acceptance, decision and unknown notices, odd ids and bodies with 4xx, never 500', async () => {
    const app = await proposed('怪异输入窑炉');
    await stack.setNow(beijing('2026-03-11', '09:00'));
    const before = (await trail(app.id)).length;
    const ids = [
      app.acceptance,
      'A'.repeat(10_000),
      '%00',
      encodeURIComponent('💥'),
      Buffer.from('x#y#PROPOSED_DECISION').toString('base64url'),
      Buffer.from(`2026-03-10T01:00:00.000Z#${app.id}#PROPOSED_DECISION`).toString('base64url'),
      '..%2F..%2Fapplications',
    ];
    for (const id of ids) {
      const res = await stack.request<ProblemJson>('POST', `/public/notices/${id}/hearing-requests`, {
        body: party(9),
      });
      expect(res.status, `${id.slice(0, 40)}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${id.slice(0, 40)}: ${res.text}`).toBeLessThan(500);
    }
    const bodies: unknown[] = [
      'not json',
      '{"name":',
      { __proto__: { name: 'x' }, contact: 'c', reason: 'r' },
      JSON.parse('{"__proto__":{"x":1},"name":"a","contact":"b","reason":"c"}'),
      { name: '😀'.repeat(100), contact: '😀'.repeat(200), reason: '😀'.repeat(5000) },
      { name: 'a', contact: 'b', reason: { nested: 'x' } },
      { name: 'a\uD800', contact: 'b', reason: 'c' },
    ];
    for (const body of bodies) {
      const res = await ask(app.proposal, body);
      expect(res.status, res.text).toBeLessThan(500);
    }
    // Only the valid 4-byte-character request went in, once, with its event.
    const stored = await requests(app.id);
    expect(stored).toHaveLength(1);
    expect((await trail(app.id)).length).toBe(before + 1);
  });
});

describe('who schedules', () => {
  it('neither another reviewer, the approver, nor the case officer holding an interest in the organisation', async () => {
    const app = await proposed('排期攻击窑炉');
    await stack.setNow(beijing('2026-03-11', '10:00'));
    expect((await ask(app.proposal, party(1))).status).toBe(202);
    const body = { at: '2026-03-25T09:30:00+08:00', place: '听证室' };
    const other = { sub: 'other-reviewer', name: '另一审查员', groups: ['reviewer'] as const };
    const insider = { ...users.reviewer, orgCode: users.applicant.orgCode ?? 'x' };
    for (const who of [other, 'approver', 'clerk', 'applicant', insider] as const) {
      const res = await act<ProblemJson>(stack, app.id, 'schedule_hearing', who, body);
      expect(res.status, `${JSON.stringify(who)}: ${res.text}`).toBe(403);
    }
    // The case officer with odd dates and places: refused, never 500.
    for (const bad of [
      { at: '2026-03-25T09:30:00+99:99', place: '听证室' },
      { at: '2026-03-25T09:30:00+24:00', place: '听证室' },
      { at: '2026-02-30T09:30:00+08:00', place: '听证室' },
      { at: '9999-12-31T23:59:59+00:00', place: '听证室' },
      { at: '0000-01-01T00:00:00-14:00', place: '听证室' },
      { at: '2026-03-25T09:30:00+08:00', place: '' },
      { at: '2026-03-25T09:30:00+08:00', place: 'x'.repeat(201) },
    ]) {
      const res = await act<ProblemJson>(stack, app.id, 'schedule_hearing', 'reviewer', bad);
      expect(res.status, `${JSON.stringify(bad)}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${JSON.stringify(bad)}: ${res.text}`).toBeLessThan(500);
    }
    expect((await read(app.id)).hearing).not.toHaveProperty('scheduled');
  });
});

describe('what the applicant learns of those who took part', () => {
  it('sees names and contacts masked, even a contact written as free text holding the name', async () => {
    const app = await proposed('隐私攻击窑炉');
    await stack.setNow(beijing('2026-03-11', '10:00'));
    const contacts = [
      '赵铁柱 13873300000',
      '13873300000 赵铁柱',
      'zhao@example.com 赵铁柱',
      '微信号 zhaotiezhu1975',
    ];
    for (const [i, contact] of contacts.entries()) {
      expect((await ask(app.proposal, { name: '赵铁柱', contact, reason: `秘密理由-${i}` })).status).toBe(
        202,
      );
      expect((await comment(app.proposal, { text: '意见', name: '赵铁柱', contact })).status).toBe(202);
    }
    const seen = JSON.stringify(await trail(app.id, 'applicant'));
    expect(seen).not.toContain('赵铁柱');
    expect(seen).not.toContain('铁柱');
    expect(seen).not.toContain('13873300000');
    expect(seen).not.toContain('zhaotiezhu');
    expect(seen).not.toContain('zhao@');
    expect(seen).not.toContain('秘密理由');
    // Nor elsewhere: the application, its comments list, the public notice.
    const view = await stack.request('GET', `/applications/${app.id}`, { as: 'applicant' });
    expect(view.text).not.toMatch(/赵铁柱|13873300000|秘密理由/);
    const notice = await stack.request('GET', `/public/notices/${app.proposal}`);
    expect(notice.text).not.toMatch(/赵铁柱|13873300000|秘密理由/);
    const list = await stack.request('GET', `/applications/${app.id}/hearing-requests`, { as: 'applicant' });
    expect(list.status).toBe(403);
    expect(list.text).not.toMatch(/赵铁柱|13873300000|秘密理由/);
  });
});
