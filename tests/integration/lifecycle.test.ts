/**
 * The whole workflow over HTTP, as a new user would drive it: the real handlers, the local server
 * and DynamoDB Local. Time is moved with POST /local/clock, never slept on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { verifyChain } from '../../shared/domain/audit-chain.ts';
import { replay } from '../../shared/domain/replay.ts';
import type { AuditEvent, Category } from '../../shared/domain/types.ts';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import {
  act as actOn,
  otherApplicant as other,
  requiredMaterials,
  uploadFile,
  uploadMaterials,
  withFiles,
} from './helpers/scenario.ts';

type Json = Record<string, unknown> & { state?: string; version?: number; id?: string };
interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  issues?: { path: string; message: string }[];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const applicant = users.applicant;
const orgCode = applicant.orgCode ?? '';

const reviewer2: TokenSubject = { sub: 'reviewer-2', name: '周审查', groups: ['reviewer'] };
const dual: TokenSubject = { sub: 'dual', name: '兼任者', groups: ['reviewer', 'approver'] };

function materials(category: Category, except: string[] = []) {
  return requiredMaterials(category).filter((m) => !except.includes(m.code));
}

function createBody(category: Category, opts: { except?: string[]; org?: string } = {}) {
  return {
    category,
    project: {
      name: '茶山镇纸业技改项目',
      location: '醴陵市茶山镇',
      industry: '造纸',
      investmentCny: 1_000_000,
    },
    applicant: {
      orgName: '醴陵市某纸业有限公司',
      orgCode: opts.org ?? orgCode,
      contactName: '刘建国',
      contactPhone: '13873300000',
    },
    materials: materials(category, opts.except),
  };
}

async function create(
  category: Category,
  as: Who = 'applicant',
  opts: { except?: string[]; org?: string } = {},
) {
  const res = await stack.request<Json>('POST', '/applications', { as, body: createBody(category, opts) });
  expect(res.status, res.text).toBe(201);
  // Its materials as files (one PATCH: the draft is at version 2).
  await withFiles(stack, String(res.json.id), as);
  return String(res.json.id);
}

const act = (id: string, action: string, as: Who, body?: unknown, headers?: Record<string, string>) =>
  actOn<{ application: Json; event: AuditEvent } & Problem>(stack, id, action, as, body, headers);

async function ok(id: string, action: string, as: Who, body: unknown = {}) {
  const res = await act(id, action, as, body);
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.json;
}

async function get(id: string, as: Who = 'applicant') {
  return stack.request<Json & { allowedActions: string[]; clock?: Record<string, unknown> }>(
    'GET',
    `/applications/${id}`,
    { as },
  );
}

async function events(id: string, as: Who = 'auditor'): Promise<AuditEvent[]> {
  const res = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events?limit=100`, {
    as,
  });
  expect(res.status).toBe(200);
  return res.json.items;
}

/** Beijing wall-clock time as an instant. */
const beijing = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

describe('a REPORT from draft to approval and construction tracking', () => {
  it('runs every step, keeps a verifiable trail, and replays to the stored application', async () => {
    await stack.setNow(beijing('2026-03-02', '09:00'));
    // A draft with a missing material: submit names it.
    const created = await stack.request<Json>('POST', '/applications', {
      as: 'applicant',
      body: createBody('REPORT', { except: ['PUBLIC_PARTICIPATION', 'LAND_USE_OPINION'] }),
      headers: { 'Idempotency-Key': 'create-report-1' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const id = String(created.json.id);
    expect(created.headers.location).toBe(`/applications/${id}`);

    // The same create retried: the first response, nothing new written.
    const retried = await stack.request<Json>('POST', '/applications', {
      as: 'applicant',
      body: createBody('REPORT', { except: ['PUBLIC_PARTICIPATION', 'LAND_USE_OPINION'] }),
      headers: { 'Idempotency-Key': 'create-report-1' },
    });
    expect(retried.status).toBe(201);
    expect(retried.json.id).toBe(id);
    expect(retried.headers['idempotent-replayed']).toBe('true');

    await ok(id, 'request_preview', 'applicant', { question: '报告书还是报告表？' });
    const advice = await ok(id, 'give_preview_advice', 'clerk', {
      advice: '编制报告书',
      suggestedCategory: 'REPORT',
    });
    expect(advice.application.state).toBe('DRAFT');

    const missing = await act(id, 'submit', 'applicant');
    expect(missing.status).toBe(422);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json.detail).toContain('LAND_USE_OPINION');
    expect(missing.json.detail).toContain('PUBLIC_PARTICIPATION');

    const patched = await stack.request<Json>('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { materials: await uploadMaterials(stack, id, 'applicant', 'REPORT') },
      headers: { 'If-Match': '"3"' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.etag).toBe('"4"');

    await ok(id, 'submit', 'applicant');
    const notice = await ok(id, 'request_supplement', 'clerk', {
      items: [{ code: 'EIA_DOCUMENT', reason: '缺少大气环境影响预测章节' }],
    });
    expect(notice.application.state).toBe('SUPPLEMENT_REQUIRED');
    await ok(id, 'resubmit', 'applicant', {
      materials: [await uploadFile(stack, id, 'applicant', 'EIA_DOCUMENT', { v: 2 })],
    });
    const second = await act(id, 'request_supplement', 'clerk', {
      items: [{ code: 'EIA_DOCUMENT', reason: '再补' }],
    });
    expect(second.status).toBe(422);

    // A stale If-Match is refused; the right one passes.
    await stack.setNow(beijing('2026-03-03'));
    const stale = await act(id, 'accept', 'clerk', {}, { 'If-Match': '"5"' });
    expect(stale.status).toBe(412);
    const accepted = await act(id, 'accept', 'clerk', {}, { 'If-Match': '"7"' });
    expect(accepted.status, accepted.text).toBe(200);
    const app = accepted.json.application;
    expect(app.caseNumber).toMatch(/^LLHS-2026-/);
    expect(app.clock).toMatchObject({
      startedOn: '2026-03-03',
      limit: 60,
      status: 'ON_TRACK',
      paused: false,
    });

    const notices = await stack.request<{ items: Record<string, unknown>[] }>('GET', '/public/notices');
    const acceptance = notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
    expect(acceptance).toMatchObject({ number: app.caseNumber, orgName: '醴陵市某纸业有限公司' });
    expect(JSON.stringify(notices.json)).not.toContain('13873300000');

    // Only a reviewer starts the review, and becomes its case officer.
    expect((await act(id, 'start_review', 'clerk')).status).toBe(403);
    await ok(id, 'start_review', 'reviewer');
    expect((await act(id, 'start_expert_review', reviewer2, { expectedWorkingDays: 10 })).status).toBe(403);
    const expert = await ok(id, 'start_expert_review', 'reviewer', {
      expectedWorkingDays: 10,
      panel: ['张教授'],
    });
    expect(expert.application.clock).toMatchObject({ paused: true });
    const dueBefore = String((expert.application.clock as Record<string, unknown>).dueDate);

    await stack.setNow(beijing('2026-03-17'));
    const opinion = await ok(id, 'record_expert_opinion', 'reviewer', {
      opinion: '修改后通过',
      conclusion: 'PASS_WITH_CHANGES',
    });
    const clock = opinion.application.clock as Record<string, unknown>;
    expect(clock.paused).toBe(false);
    // Paused Tue 03-03 → resumed Tue 03-17: 10 working days (03-04..03-17) do not count.
    expect(clock.pausedDays).toBe(10);
    expect(String(clock.dueDate) > dueBefore).toBe(true);

    await ok(id, 'request_revision', 'reviewer', { items: [{ topic: '废水', detail: '补充废水回用率' }] });
    const edit = await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { project: { description: '补充了废水回用' } },
    });
    expect(edit.status, edit.text).toBe(200);
    await ok(id, 'submit_revision', 'applicant', { response: '已补充，回用率85%' });

    await stack.setNow(beijing('2026-03-20'));
    const proposed = await ok(id, 'propose_decision', 'reviewer', {
      proposal: 'approve',
      conditions: ['废水不外排'],
    });
    expect(proposed.application.state).toBe('PUBLIC_NOTICE');
    expect(proposed.application.proposal).toMatchObject({ noticeEndsOn: '2026-03-27' });

    const early = await act(id, 'approve', 'approver');
    expect(early.status).toBe(422);
    expect(early.json.detail).toContain('2026-03-27');

    await stack.setNow(beijing('2026-03-30'));
    expect((await act(id, 'request_hearing', 'applicant', { reason: '太晚了' })).status).toBe(422);
    expect((await get(id, 'approver')).json.allowedActions).toEqual([
      'approve',
      'reject',
      'return_to_review',
    ]);

    const approved = await ok(id, 'approve', 'approver');
    expect(approved.application).toMatchObject({
      state: 'APPROVED',
      decision: { outcome: 'APPROVED', conditions: ['废水不外排'] },
    });
    expect(approved.application.decisionNumber).toMatch(/^醴环评〔2026〕\d+号$/);
    expect((approved.application.clock as Record<string, unknown>).status).toBe('ON_TRACK');

    const outOfOrder = await act(id, 'record_milestone', 'reviewer', { milestone: 'COMPLETION_ACCEPTED' });
    expect(outOfOrder.status).toBe(422);
    for (const milestone of ['CONSTRUCTION_STARTED', 'FACILITIES_COMPLETED', 'COMPLETION_ACCEPTED']) {
      await ok(id, 'record_milestone', 'reviewer', { milestone });
    }
    const final = await get(id);
    expect(final.json).toMatchObject({ state: 'APPROVED', allowedActions: [] });

    // The trail: gap-free, chained, and enough to rebuild the application.
    const trail = await events(id);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(trail.length).toBe(final.json.version);
    expect(verifyChain(trail)).toEqual({ ok: true });
    expect(trail.map((e) => e.action)).toEqual([
      'create',
      'request_preview',
      'give_preview_advice',
      'edit',
      'submit',
      'request_supplement',
      'resubmit',
      'accept',
      'start_review',
      'start_expert_review',
      'record_expert_opinion',
      'request_revision',
      'edit',
      'submit_revision',
      'propose_decision',
      'approve',
      'record_milestone',
      'record_milestone',
      'record_milestone',
    ]);
    const { clock: _clock, allowedActions: _a, canEdit: _c, ...stored } = final.json;
    // The view computes the expert review's expected end (docs/clocks.md#provisional-dates).
    const { expectedEndsOn, ...expertReview } = stored.expertReview as Record<string, unknown>;
    expect(expectedEndsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const { clockState: _cs, ...rebuilt } = replay(trail);
    expect(rebuilt).toEqual({ ...stored, expertReview });
  });
});

describe('other endings', () => {
  it('files a REGISTRATION at once with a receipt number and a public filing', async () => {
    await stack.setNow(beijing('2026-04-01'));
    const id = await create('REGISTRATION');
    const filed = await ok(id, 'submit', 'applicant');
    expect(filed.application.state).toBe('FILED');
    expect(filed.application.receiptNumber).toMatch(/^醴环备〔2026〕\d+号$/);
    const notices = await stack.request<{ items: Record<string, unknown>[] }>('GET', '/public/notices');
    expect(notices.json.items).toContainEqual(expect.objectContaining({ applicationId: id, kind: 'FILING' }));
  });

  it('declines with a reason', async () => {
    const id = await create('REPORT_FORM');
    await ok(id, 'submit', 'applicant');
    expect((await act(id, 'decline', 'clerk', {})).status).toBe(400);
    const declined = await ok(id, 'decline', 'clerk', { reason: '不属于本局审批权限' });
    expect(declined.application).toMatchObject({
      state: 'NOT_ACCEPTED',
      declineReason: '不属于本局审批权限',
    });
    expect((await act(id, 'withdraw', 'applicant')).status).toBe(409);
  });

  it('lets the owner withdraw, and no one else', async () => {
    const id = await create('REPORT_FORM');
    expect((await act(id, 'withdraw', 'clerk')).status).toBe(403);
    expect((await act(id, 'withdraw', other)).status).toBe(404);
    expect((await ok(id, 'withdraw', 'applicant', { reason: '项目取消' })).application.state).toBe(
      'WITHDRAWN',
    );
  });

  it('holds a hearing, returns to review, and ends in rejection by someone who did not propose it', async () => {
    await stack.setNow(beijing('2026-04-06'));
    const id = await create('REPORT_FORM');
    await ok(id, 'submit', 'applicant');
    await ok(id, 'accept', 'clerk');
    await ok(id, 'start_review', dual);
    // The public comments on the acceptance notice through 04-13 (5 working days); proposed after.
    await stack.setNow(beijing('2026-04-14'));
    await ok(id, 'propose_decision', dual, { proposal: 'reject', reasons: ['选址位于饮用水源保护区'] });
    await stack.setNow(beijing('2026-04-16'));
    const hearing = await ok(id, 'request_hearing', 'applicant', { reason: '对选址结论有异议' });
    expect(hearing.application.clock).toMatchObject({ paused: true });
    await ok(id, 'record_hearing_outcome', dual, { summary: '维持原结论', next: 'PUBLIC_NOTICE' });
    await stack.setNow(beijing('2026-04-28'));
    const self = await act(id, 'reject', dual, { reasons: ['选址不符'] });
    expect(self.status).toBe(403);
    expect(self.json.type).toContain('separation-of-duties');
    const rejected = await ok(id, 'reject', 'approver', { reasons: ['选址位于饮用水源保护区'] });
    expect(rejected.application).toMatchObject({ state: 'REJECTED', decision: { outcome: 'REJECTED' } });
  });
});

describe('who sees what', () => {
  it("hides another applicant's application (404, never 403) and lists only one's own", async () => {
    const mine = await create('REPORT_FORM');
    const theirs = await create('REPORT_FORM', other, { org: other.orgCode });
    expect((await get(theirs, 'applicant')).status).toBe(404);
    expect((await stack.request('GET', `/applications/${theirs}/events`, { as: 'applicant' })).status).toBe(
      404,
    );
    expect(
      (await stack.request('PATCH', `/applications/${theirs}`, { as: 'applicant', body: {} })).status,
    ).toBe(404);
    const list = await stack.request<{ items: Json[] }>('GET', '/applications?limit=100', {
      as: 'applicant',
    });
    const ids = list.json.items.map((a) => a.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(list.json.items.every((a) => a.ownerId === applicant.sub)).toBe(true);
    expect((await get(theirs, 'auditor')).status).toBe(200);
    expect(
      (await stack.request('PATCH', `/applications/${mine}`, { as: 'clerk', body: { category: 'REPORT' } }))
        .status,
    ).toBe(403);
  });

  it('answers 401 without a token on a protected route, and serves public routes without one', async () => {
    const res = await stack.request<Problem>('GET', '/applications');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await stack.request('GET', '/workflow')).status).toBe(200);
    const openapi = await stack.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/openapi.json',
    );
    expect(openapi.json.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.json.paths)).toContain('/applications/{id}/actions/approve');
  });

  it('pages an official list by state with cursors that cannot be reused elsewhere', async () => {
    for (let i = 0; i < 3; i++) await ok(await create('REPORT_FORM'), 'submit', 'applicant');
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const q: string = `/applications?state=SUBMITTED&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await stack.request<{ items: Json[]; cursor?: string }>('GET', q, { as: 'clerk' });
      expect(page.status, page.text).toBe(200);
      for (const a of page.json.items) {
        expect(a.state).toBe('SUBMITTED');
        seen.add(String(a.id));
      }
      cursor = page.json.cursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(pages).toBeGreaterThanOrEqual(2);

    const first = await stack.request<{ cursor?: string }>('GET', '/applications?state=SUBMITTED&limit=1', {
      as: 'clerk',
    });
    const reused = await stack.request<Problem>(
      'GET',
      `/applications?state=ACCEPTED&limit=1&cursor=${encodeURIComponent(String(first.json.cursor))}`,
      { as: 'clerk' },
    );
    expect(reused.status).toBe(400);
    expect(reused.json.issues?.[0]?.path).toBe('cursor');
  });
});

describe('bad input writes nothing', () => {
  it('refuses malformed, oversized, unknown and invalid input with problem+json naming the field', async () => {
    const id = await create('REPORT_FORM');
    const cases: [string, string, unknown, number, string?][] = [
      ['POST', `/applications/${id}/actions/submit`, '{"oops"', 400],
      ['POST', `/applications/${id}/actions/request_preview`, { question: 'x'.repeat(70_000) }, 413],
      ['POST', `/applications/${id}/actions/request_preview`, { question: 'ok', extra: 1 }, 400, 'extra'],
      ['POST', `/applications/${id}/actions/fly_away`, {}, 404],
      [
        'PATCH',
        `/applications/${id}`,
        { applicant: { orgCode: `${orgCode.slice(0, 17)}${orgCode.endsWith('0') ? '1' : '0'}` } },
        400,
        'applicant.orgCode',
      ],
      ['PATCH', `/applications/${id}`, { project: { investmentCny: 'lots' } }, 400, 'project.investmentCny'],
      ['PATCH', `/applications/${id}`, { ownerId: 'me' }, 400, 'ownerId'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await stack.request<Problem>(method, path, { as: 'applicant', body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.status).toBe(status);
      if (field) expect(res.json.issues?.map((i) => i.path)).toContain(field);
    }
    // As created and given its files (version 2), nothing more.
    const after = await get(id);
    expect(after.json.version).toBe(2);
    expect(await events(id)).toHaveLength(2);
  });
});

describe('concurrent conflicting actions', () => {
  it('lets exactly one of ten simultaneous accepts through', async () => {
    const id = await create('REPORT_FORM');
    await ok(id, 'submit', 'applicant');
    const results = await Promise.all(Array.from({ length: 10 }, () => act(id, 'accept', 'clerk')));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const trail = await events(id);
    expect(trail.map((e) => e.action)).toEqual(['create', 'edit', 'submit', 'accept']);
    expect(verifyChain(trail)).toEqual({ ok: true });
  });

  it('answers a retried action with the same Idempotency-Key once, and refuses the key for another body', async () => {
    const id = await create('REPORT_FORM');
    const headers = { 'Idempotency-Key': `submit-${id}` };
    const all = await Promise.all(
      Array.from({ length: 5 }, () => act(id, 'submit', 'applicant', {}, headers)),
    );
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(all.map((r) => r.json.event.hash)).size).toBe(1);
    const reused = await act(id, 'submit', 'applicant', { note: 'different' }, headers);
    expect(reused.status).toBe(422);
    // create, edit (its files), one submit.
    expect(await events(id)).toHaveLength(3);
  });
});
