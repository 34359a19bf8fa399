import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../../shared/domain/config.ts';
import { isPublicKind } from '../../../shared/http/documents.ts';
import { routes } from '../../../shared/http/routes.ts';
import type { User } from '../../support/api-events.ts';
import { createBody } from '../shared/domain/fixtures.ts';
import { mutationOf, nastyString, pathName } from './arbitraries.ts';
import {
  type Answer,
  admin,
  idOf,
  issuePaths,
  mockTable,
  open,
  opts,
  people,
  personNames,
  type Request,
  report,
  send,
  setUp,
  stats,
  tearDown,
  trails,
} from './harness.ts';

/**
 * Issue 17, hostile input on every route: each route of shared/http/routes.ts is sent requests that
 * find what they ask about (a stored application, notice, comment, document, account or year), by
 * someone who may ask, so that what is fuzzed reaches the route's validation and its own logic
 * rather than a 404 or a 403 at the door. Near-valid bodies (one field of another type, too long or
 * unknown) are never taken; any query or header gets a success or a 4xx problem; and the last test
 * fails if any route was never answered past a 404, or never past the door.
 */
vi.setConfig({ testTimeout: 60_000 });
beforeAll(setUp);
afterAll(() => {
  report('routes');
  tearDown();
});
beforeEach(mockTable);

type AnyRoute = (typeof routes)[number];
/** "METHOD /path" of each route (one string per route, not every method with every path). */
type RouteKey = AnyRoute extends infer R
  ? R extends { method: infer M extends string; path: infer P extends string }
    ? `${M} ${P}`
    : never
  : never;

/** What gets a route past the door: who asks, about what, and a body or query it takes. */
interface Reach {
  who?: User;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A body the route takes (or refuses only for a rule of its own): the fuzz starts from it. */
  body?: unknown;
  /** Query parameters the route knows (fuzzed with any value). */
  knows?: readonly string[];
}

const approved = trails.get('APPROVED')?.app;
/** A document the public may fetch (the approval), stored. */
const document = approved?.documents?.find((d) => d.sha256 && isPublicKind(d));
if (!approved || !document) throw new Error('the seeded APPROVED application has no stored public document');
const { comments, hearings } = open;
const commentsNotice = comments.comment.noticeId;
const hearingsNotice = hearings.request.noticeId;
const withId = (id: string, extra: Record<string, string> = {}) => ({ params: { id, ...extra } });
const paging = ['limit', 'cursor'] as const;

const reach: Record<RouteKey, Reach> = {
  'POST /applications': { who: people.owner, body: createBody('REPORT') },
  'GET /applications': {
    who: people.clerk,
    knows: ['q', 'state', 'category', 'mine', 'queue', ...paging],
  },
  'GET /applications/{id}': { who: people.owner, ...withId(idOf('SUBMITTED')) },
  'PATCH /applications/{id}': {
    who: people.owner,
    ...withId(idOf('DRAFT')),
    body: { project: { name: '醴陵市新建陶瓷窑炉项目' }, applicant: { contactName: '刘建国' } },
  },
  'DELETE /applications/{id}': { who: people.owner, ...withId(idOf('DRAFT')) },
  'POST /applications/{id}/actions/{action}': {
    who: people.owner,
    ...withId(idOf('DRAFT'), { action: 'withdraw' }),
    body: { reason: '项目选址调整，撤回后重新申请' },
  },
  'GET /applications/{id}/events': { who: people.reviewer, ...withId(idOf('APPROVED')), knows: paging },
  'POST /applications/{id}/uploads': {
    who: people.owner,
    ...withId(idOf('DRAFT')),
    body: {
      code: 'EIA_DOCUMENT',
      fileName: '环境影响报告书.pdf',
      sha256: 'a'.repeat(64),
      sizeBytes: 120_000,
      contentType: 'application/pdf',
    },
  },
  'GET /applications/{id}/materials': { who: people.clerk, ...withId(idOf('SUBMITTED')) },
  'GET /applications/{id}/materials/{code}': {
    who: people.owner,
    ...withId(idOf('SUBMITTED'), { code: 'EIA_DOCUMENT' }),
    knows: ['version'],
  },
  'GET /applications/{id}/documents': { who: people.owner, ...withId(approved.id) },
  'GET /applications/{id}/documents/{documentId}': {
    who: people.approver,
    ...withId(approved.id, { documentId: document.documentId }),
  },
  'GET /applications/{id}/comments': { who: people.reviewer, ...withId(comments.trail.app.id) },
  'POST /applications/{id}/comments/{commentId}/response': {
    who: people.reviewer,
    ...withId(comments.trail.app.id, { commentId: comments.comment.commentId }),
    body: { response: '窑炉加装隔声罩，厂界噪声按二类区标准控制。' },
  },
  'GET /applications/{id}/hearing-requests': { who: people.auditor, ...withId(hearings.trail.app.id) },
  'GET /audit/events': {
    who: people.auditor,
    query: { applicationId: approved.id },
    knows: [
      'actor',
      'action',
      'applicationId',
      'from',
      'to',
      'order',
      'format',
      'includePersonalData',
      ...paging,
    ],
  },
  'GET /audit/applications/{id}/verify': { who: people.auditor, ...withId(approved.id) },
  'GET /audit/digests': { who: people.auditor, knows: ['from', 'to', ...paging] },
  'GET /audit/access-log': { who: people.auditor, knows: ['format', ...paging] },
  'GET /audit/bureau/events': { who: people.auditor, knows: ['format', 'includePersonalData', ...paging] },
  'GET /audit/bureau/verify': { who: people.auditor },
  'GET /stats': { who: people.clerk, query: { from: '2026-03-01', to: '2026-03-31' }, knows: ['from', 'to'] },
  'GET /inbox': { who: people.owner, knows: paging },
  'POST /inbox/read': { who: people.owner, body: { ids: ['2026-03-03T02:00:00.000Z#x#0000000002#accept'] } },
  'GET /admin/calendar': { who: admin },
  'PUT /admin/calendar/{year}': {
    who: admin,
    params: { year: '2027' },
    body: { holidays: ['2027-01-01', '2027-02-06'], workdays: ['2027-02-20'] },
  },
  'GET /admin/config': { who: admin },
  'PUT /admin/config': { who: admin, body: structuredClone(defaultConfig) },
  'GET /admin/users': { who: admin, knows: paging },
  'POST /admin/users': {
    who: admin,
    body: { email: 'new.clerk@liling.example', name: '韩窗口', groups: ['clerk'] },
  },
  'PATCH /admin/users/{id}': {
    who: admin,
    params: { id: people.clerk.sub },
    body: { groups: ['clerk', 'reviewer'], enabled: true },
  },
  'GET /public/notices': { knows: ['q', 'kind', 'from', 'to', ...paging] },
  'GET /public/notices/{noticeId}': { params: { noticeId: commentsNotice } },
  'GET /public/notices/{noticeId}/public-version': { params: { noticeId: commentsNotice } },
  'POST /public/notices/{noticeId}/comments': {
    params: { noticeId: commentsNotice },
    body: { text: '请公开窑炉烟气监测数据。', name: '陈红', contact: '13700002222' },
  },
  'POST /public/notices/{noticeId}/hearing-requests': {
    params: { noticeId: hearingsNotice },
    body: { name: '赵六', contact: 'zhao.liu@example.cn', reason: '项目距我村不足五百米，请求听证。' },
  },
  'GET /public/documents/{number}': { params: { number: document.number } },
  'GET /public/documents/{number}/file': { params: { number: document.number } },
  'GET /workflow': {},
  'GET /openapi.json': {},
};

const keyOf = (r: AnyRoute) => `${r.method} ${r.path}` as RouteKey;
const plan = (r: AnyRoute): Reach => reach[keyOf(r)];

function request(r: AnyRoute, extra: Partial<Request> = {}): Promise<Answer> {
  const { who, params, query, body } = plan(r);
  return send(r, {
    pathParameters: params ?? {},
    ...(query ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(who ? { user: who } : {}),
    ...extra,
  });
}

/** What stops a request before the route's own logic: who asks, what it names, the body's size or type. */
const door = new Set([401, 403, 404, 413, 415]);

describe('every route, past the door', () => {
  it('answers its planned request past the door (control: the seeds are what the routes need)', async () => {
    for (const r of routes) {
      const answer = await request(r);
      expect(door.has(answer.status), `${keyOf(r)}: ${answer.status} ${answer.raw.slice(0, 300)}`).toBe(
        false,
      );
    }
  });

  it('refuses a near-valid body (a field of another type, too long or unknown), never takes it', async () => {
    const withBody = routes.filter((r) => plan(r).body !== undefined);
    const cases = fc.constantFrom(...withBody).chain((r) => mutationOf(plan(r).body).map((m) => ({ r, m })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ r, m }) => {
        const answer = await request(r, { body: m.body });
        if (m.kind === 'other' || answer.status === 413) return;
        expect(
          answer.status,
          `${keyOf(r)} ${m.kind} ${pathName(m.path)}: ${answer.raw.slice(0, 300)}`,
        ).toBeGreaterThanOrEqual(400);
        if (answer.status === 400) {
          const named = issuePaths(answer).some(
            (p) =>
              p === pathName(m.path) ||
              pathName(m.path).startsWith(`${p}.`) ||
              p.startsWith(`${pathName(m.path)}.`),
          );
          expect(named, `${keyOf(r)}: ${pathName(m.path)} not named in ${answer.raw.slice(0, 300)}`).toBe(
            true,
          );
        }
      }),
      opts(600),
    );
  });

  it('answers any query and headers on a route that finds what it is asked about with a success or a 4xx', async () => {
    const cases = fc.constantFrom(...routes).chain((r) => {
      const known = plan(r).knows ?? [];
      const name = known.length ? fc.oneof(fc.constantFrom(...known), nastyString) : nastyString;
      return fc.record({
        r: fc.constant(r),
        query: fc.dictionary(name, nastyString, { maxKeys: 3 }),
        header: fc.option(
          fc.tuple(fc.constantFrom('if-match', 'idempotency-key', 'accept-language'), nastyString),
          {
            nil: undefined,
          },
        ),
        // Mostly the one who may ask; now and then anyone else.
        who: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 4 },
          { arbitrary: fc.constantFrom(...personNames), weight: 1 },
        ),
      });
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ r, query, header, who }) => {
        await request(r, {
          query: { ...plan(r).query, ...query },
          ...(header ? { headers: { [header[0]]: header[1] } } : {}),
          ...(who ? { user: people[who] } : {}),
        });
      }),
      opts(500),
    );
  });
});

// Last, so that it sees every request of the file (skipped with the others under -t).
it('fuzzed every route of routes.ts past a 404, and past the door', () => {
  const shares = routes.map((r) => {
    const c = stats.byRoute.get(keyOf(r)) ?? { requests: 0, found: 0, reached: 0 };
    return { route: keyOf(r), ...c, foundShare: c.requests ? c.found / c.requests : 0 };
  });
  if (process.env.FUZZ_REPORT)
    for (const s of shares)
      console.info(`  ${s.route}: ${s.requests} sent, ${s.found} past a 404, ${s.reached} past the door`);
  expect(shares.filter((s) => s.found === 0).map((s) => s.route)).toEqual([]);
  expect(shares.filter((s) => s.reached === 0).map((s) => s.route)).toEqual([]);
  // Most of what is sent to a route finds what it asks about: the fuzz is about the route, not the id.
  expect(shares.filter((s) => s.foundShare < 0.5).map((s) => s.route)).toEqual([]);
  expect(stats.requests).toBeGreaterThanOrEqual(1_000);
});
