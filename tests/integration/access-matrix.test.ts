/**
 * Access control, cell by cell: every route of shared/http/routes.ts × every caller (anonymous, a
 * refused token, a token with no groups, each role of local/tokens.ts LOCAL_ROLES, and for routes
 * with an application the owner's own identity holding each role) against the real local server,
 * handlers and DynamoDB Local.
 *
 * The expected statuses are written out here from docs/roles.md (who may call a route, who may take
 * an action, 401/403/404), not read from the code's role tables, so a wrong table in the code fails
 * a cell. Where a cell needs a word of explanation, it is in the NOTE below.
 *
 * Actions are tried on a *closed* application (withdrawn while its proposed decision was on
 * notice), with a valid payload: no action is possible in WITHDRAWN, so a caller the rules let
 * through gets 409 (refused on the state alone) and nothing is written, while a wrong role gets
 * 403 and an applicant who does not own it 404. docs/roles.md ties 403 to the caller ("wrong role"),
 * not to the state, so it comes first whatever the state is.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from 'vitest';
import { createLocalIssuer, LOCAL_ROLES, type LocalRole, type TokenSubject } from '../../local/tokens.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import type { Category } from '../../shared/domain/types.ts';
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { routes } from '../../shared/http/routes.ts';
import { actionNames } from '../../shared/schemas/actions.ts';
import { type LocalStack, type StackResponse, startLocalStack, users } from './helpers/local-stack.ts';
import { withFiles } from './helpers/uploads.ts';

let stack: LocalStack;
/** Tokens of another key under the same issuer and audience: what a forger would send. */
let forged: string;
const fixtures: { draft?: string; closed?: string } = {};

const owner = users.applicant;
const other: TokenSubject = {
  sub: 'matrix-other-applicant',
  name: '别家公司',
  groups: ['applicant'],
  orgCode: `91430281MA4L9WW8X${usccCheckChar('91430281MA4L9WW8X')}`,
};
/** The owner's own identity (same sub) holding only `role`: ownership alone grants nothing. */
const ownerAs = (role: LocalRole): TokenSubject => ({ sub: owner.sub, name: owner.name, groups: [role] });
/**
 * The owner holding the applicant group and every official group at once, of their own
 * organisation. The staff rules give no real account applicant and an official group together,
 * but a token can carry them: every official act on their own application is a conflict of
 * interest (403 `conflict-of-interest`), while they still act as the applicant.
 */
const ownerWithEveryRole: TokenSubject = {
  sub: owner.sub,
  name: owner.name,
  groups: ['applicant', 'clerk', 'reviewer', 'approver'],
  ...(owner.orgCode ? { orgCode: owner.orgCode } : {}),
};

// ---------------------------------------------------------------------------------------------
// Callers (the matrix's columns).

interface Caller {
  readonly label: string;
  /** Absent: no Authorization header. */
  readonly subject?: TokenSubject;
  readonly forged?: true;
}

const anonymous: Caller = { label: 'anonymous' };
const forger: Caller = { label: 'forged token', forged: true };
// Its own sub: the local server throttles per sub (burst 200), and the owner's identity already
// makes about 150 of this file's requests.
const noGroups: Caller = {
  label: 'no groups',
  subject: { sub: 'matrix-no-groups', name: '无组', groups: [] },
};
const role = (r: LocalRole): Caller => ({ label: r, subject: users[r] });

/** Columns of the routes without an application. */
const plainColumns = [
  anonymous,
  forger,
  noGroups,
  { label: 'applicant (owner)', subject: owner },
  { label: 'applicant (other)', subject: other },
  role('clerk'),
  role('reviewer'),
  role('approver'),
  role('auditor'),
  role('admin'),
] as const satisfies readonly Caller[];

/** Columns of the routes on an application. The demo reviewer is the case officer of `closed`. */
const appColumns = [
  anonymous,
  forger,
  noGroups,
  { label: 'applicant (owner)', subject: owner },
  { label: 'applicant (other)', subject: other },
  role('clerk'),
  { label: 'clerk (owner)', subject: ownerAs('clerk') },
  { label: 'reviewer (case officer)', subject: users.reviewer },
  { label: 'reviewer (owner, not case officer)', subject: ownerAs('reviewer') },
  role('approver'),
  { label: 'approver (owner)', subject: ownerAs('approver') },
  role('auditor'),
  { label: 'auditor (owner)', subject: ownerAs('auditor') },
  role('admin'),
  { label: 'admin (owner)', subject: ownerAs('admin') },
  { label: 'every official role (owner)', subject: ownerWithEveryRole },
] as const satisfies readonly Caller[];

// ---------------------------------------------------------------------------------------------
// The expected statuses, from docs/roles.md.

/** One status per column, in the columns' order (the lengths are checked below). */
type PlainRow = readonly number[];
type AppRow = readonly number[];

/** 401 before anything else: no token, a token the authorizer refuses, or one with no role. */
const U = [401, 401, 401] as const;

/**
 * NOTE, on cells that may surprise:
 * - `GET /applications` for the auditor: the auditor may read every application by id and every
 *   event, so listing them is read-only access it already has (docs/roles.md).
 * - `GET /stats` for the auditor: open to officials and the auditor (counts, no personal data;
 *   docs/http-api.md#statistics, shared/http/stats-query.ts).
 * - `GET /audit/access-log` is an audit route, for the auditor (docs/audit.md#access-log).
 * - The admin administers the bureau's data (calendar, configuration, staff) and works on no
 *   application: 403 on every application route, listing included, even as the owner's identity
 *   (docs/roles.md). The /admin/* routes are the admin's alone; verifying the bureau's chain is
 *   the auditor's, like every verify.
 */
//                       anon/forged/nogroups  owner other clerk rev  appr aud  admin
const plainExpected: Record<string, PlainRow> = {
  'POST /applications': [...U, 201, 201, 403, 403, 403, 403, 403],
  'GET /applications': [...U, 200, 200, 200, 200, 200, 200, 403],
  'GET /audit/events': [...U, 403, 403, 403, 403, 403, 200, 403],
  'GET /audit/digests': [...U, 403, 403, 403, 403, 403, 200, 403],
  'GET /audit/access-log': [...U, 403, 403, 403, 403, 403, 200, 403],
  'GET /audit/bureau/events': [...U, 403, 403, 403, 403, 403, 200, 403],
  'GET /audit/bureau/verify': [...U, 403, 403, 403, 403, 403, 200, 403],
  'GET /stats': [...U, 403, 403, 200, 200, 200, 200, 403],
  // Every signed-in role reads its own inbox, and only its own: the caller's partition, no id to name another's.
  'GET /inbox': [...U, 200, 200, 200, 200, 200, 200, 200],
  'POST /inbox/read': [...U, 200, 200, 200, 200, 200, 200, 200],
  'GET /admin/calendar': [...U, 403, 403, 403, 403, 403, 403, 200],
  'PUT /admin/calendar/{year}': [...U, 403, 403, 403, 403, 403, 403, 200],
  'GET /admin/config': [...U, 403, 403, 403, 403, 403, 403, 200],
  'PUT /admin/config': [...U, 403, 403, 403, 403, 403, 403, 200],
  'GET /admin/users': [...U, 403, 403, 403, 403, 403, 403, 200],
  'POST /admin/users': [...U, 403, 403, 403, 403, 403, 403, 201],
  'PATCH /admin/users/{id}': [...U, 403, 403, 403, 403, 403, 403, 200],
  // Public: no authorizer runs, so even a forged token or one with no groups is ignored.
  'GET /public/notices': [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /workflow': [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET /openapi.json': [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  // The acceptance notice of `closed`, with its links, for anyone.
  'GET /public/notices/{noticeId}': [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  // The public version of `closed`, whose acceptance notice is published: 303 to the file for anyone.
  'GET /public/notices/{noticeId}/public-version': [303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
  // The acceptance notice of `closed`, stored: anyone may verify it by its number ...
  // The acceptance notice of `closed`, whose application was withdrawn: no comments, nothing stored.
  'POST /public/notices/{noticeId}/comments': [409, 409, 409, 409, 409, 409, 409, 409, 409, 409],
  // A hearing is requested on a proposed decision's notice, not on an acceptance notice: nothing stored.
  'POST /public/notices/{noticeId}/hearing-requests': [409, 409, 409, 409, 409, 409, 409, 409, 409, 409],
  'GET /public/documents/{number}': [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  // ... but it is not of a public kind: no file for anyone.
  'GET /public/documents/{number}/file': [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
};

/** Whose `GET /applications` lists the owner's applications: their own, or all for officials. */
const listsOwnersApplications = new Set(['applicant (owner)', 'clerk', 'reviewer', 'approver', 'auditor']);

//   columns: anon forged nogroups | owner other | clerk clerk(owner) | reviewer(officer) reviewer(owner) | approver approver(owner) | auditor auditor(owner) | admin admin(owner) | every role(owner)
/** The admin, even as the owner's identity: 403 before the application is read. */
const A = [403, 403] as const;
/**
 * Actions of the owning applicant: an official, even the owner holding another role, gets 403; the
 * owner holding every role acts as the applicant (409 on the state alone).
 */
const applicantOwner: AppRow = [...U, 409, 404, 403, 403, 403, 403, 403, 403, 403, 403, ...A, 409];
/**
 * Official actions: the owner's identity holding the official group is refused 403
 * `conflict-of-interest` before the state is looked at (docs/roles.md#conflict-of-interest).
 */
const clerkOnly: AppRow = [...U, 403, 404, 409, 403, 403, 403, 403, 403, 403, 403, ...A, 403];
const anyReviewer: AppRow = [...U, 403, 404, 403, 403, 409, 403, 403, 403, 403, 403, ...A, 403];
const caseOfficer: AppRow = [...U, 403, 404, 403, 403, 409, 403, 403, 403, 403, 403, ...A, 403];
const approverOnly: AppRow = [...U, 403, 404, 403, 403, 403, 403, 409, 403, 403, 403, ...A, 403];

/**
 * The groups that may take each official action (docs/roles.md): a caller of the owner's identity
 * holding one of them is refused as a conflict of interest, one holding none for the role.
 */
const officialGroups: Record<string, readonly LocalRole[]> = {
  give_preview_advice: ['clerk', 'reviewer'],
  request_supplement: ['clerk'],
  accept: ['clerk'],
  decline: ['clerk'],
  start_review: ['reviewer'],
  start_expert_review: ['reviewer'],
  record_expert_opinion: ['reviewer'],
  request_revision: ['reviewer'],
  propose_decision: ['reviewer'],
  record_hearing_outcome: ['reviewer'],
  schedule_hearing: ['reviewer'],
  record_milestone: ['reviewer'],
  approve: ['approver'],
  reject: ['approver'],
  return_to_review: ['approver'],
};

const actionExpected: Record<string, AppRow> = {
  request_preview: applicantOwner,
  give_preview_advice: [...U, 403, 404, 409, 403, 409, 403, 403, 403, 403, 403, ...A, 403],
  submit: applicantOwner,
  request_supplement: clerkOnly,
  resubmit: applicantOwner,
  accept: clerkOnly,
  decline: clerkOnly,
  start_review: anyReviewer,
  start_expert_review: caseOfficer,
  record_expert_opinion: caseOfficer,
  request_revision: caseOfficer,
  submit_revision: applicantOwner,
  propose_decision: caseOfficer,
  // approver ≠ proposer: the proposer of `closed` is the demo reviewer, no approver here.
  approve: approverOnly,
  reject: approverOnly,
  return_to_review: approverOnly,
  request_hearing: applicantOwner,
  schedule_hearing: caseOfficer,
  record_hearing_outcome: caseOfficer,
  withdraw: applicantOwner,
  record_milestone: anyReviewer,
  // An action no one has: 404 to anyone who may see the application (docs/roles.md: unknown-action).
  fly_away: [...U, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, ...A, 404],
};

/** The other routes on an application (`draft`, owned by the demo applicant, in DRAFT). */
const appExpected: Record<string, AppRow> = {
  'GET /applications/{id}': [...U, 200, 404, 200, 200, 200, 200, 200, 200, 200, 200, ...A, 200],
  // The owner holding every role edits as the applicant.
  'PATCH /applications/{id}': [...U, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403, ...A, 200],
  // Tried on `closed` (appFixtures), so nothing is deleted: the owning applicant is refused on
  // the state alone (409; only a draft never submitted can be deleted), everyone else for who they are.
  'DELETE /applications/{id}': applicantOwner,
  'GET /applications/{id}/events': [...U, 200, 404, 200, 200, 200, 200, 200, 200, 200, 200, ...A, 200],
  // Auditor only; the role is checked before the id, so another applicant learns nothing either.
  'GET /audit/applications/{id}/verify': [...U, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, ...A, 403],
  // The owner as applicant, in DRAFT; the owner's identity holding another role is not the applicant.
  'POST /applications/{id}/uploads': [...U, 201, 404, 403, 403, 403, 403, 403, 403, 403, 403, ...A, 201],
  'GET /applications/{id}/materials': [...U, 200, 404, 200, 200, 200, 200, 200, 200, 200, 200, ...A, 200],
  // A file of `closed` (stored when it was submitted): 303 to it for whoever may see the application.
  'GET /applications/{id}/materials/{code}': [
    ...U,
    303,
    404,
    303,
    303,
    303,
    303,
    303,
    303,
    303,
    303,
    ...A,
    303,
  ],
  // Officials and the auditor (commenters' contacts), never the applicant nor an official of its organisation.
  'GET /applications/{id}/comments': [...U, 403, 404, 200, 403, 200, 403, 200, 403, 200, 403, ...A, 403],
  // Officials and the auditor (requesters' contacts), like the comments.
  'GET /applications/{id}/hearing-requests': [
    ...U,
    403,
    404,
    200,
    403,
    200,
    403,
    200,
    403,
    200,
    403,
    ...A,
    403,
  ],
  // The case officer of `closed` only; the comment it names does not exist, so the officer gets 404.
  'POST /applications/{id}/comments/{commentId}/response': [
    ...U,
    403,
    404,
    403,
    403,
    404,
    403,
    403,
    403,
    403,
    403,
    ...A,
    403,
  ],
  'GET /applications/{id}/documents': [...U, 200, 404, 200, 200, 200, 200, 200, 200, 200, 200, ...A, 200],
  // The acceptance notice of `closed` (stored in beforeAll): 303 to its PDF for whoever may see it.
  'GET /applications/{id}/documents/{documentId}': [
    ...U,
    303,
    404,
    303,
    303,
    303,
    303,
    303,
    303,
    303,
    303,
    ...A,
    303,
  ],
};

/** The application routes tried on `closed` rather than `draft`, and their paths. */
const appFixtures: Record<string, { readonly fixture: 'closed'; path: string }> = {
  'DELETE /applications/{id}': { fixture: 'closed', path: '/applications/{id}' },
  'GET /applications/{id}/materials/{code}': {
    fixture: 'closed',
    path: '/applications/{id}/materials/EIA_DOCUMENT',
  },
  'POST /applications/{id}/comments/{commentId}/response': {
    fixture: 'closed',
    path: '/applications/{id}/comments/matrix-no-such-comment/response',
  },
  // The acceptance notice's id is set in beforeAll (it names the seq of the accept event).
  'GET /applications/{id}/documents/{documentId}': {
    fixture: 'closed',
    path: '/applications/{id}/documents/ACCEPTANCE_NOTICE',
  },
};
const uploadBody = {
  code: 'EIA_DOCUMENT',
  fileName: '环境影响报告表.pdf',
  sha256: createHash('sha256').update('matrix').digest('hex'),
  sizeBytes: 6,
  contentType: 'application/pdf',
};

/** A valid payload per action, so that a permitted caller is refused on the state alone. */
const material = (code: string) => ({
  code,
  fileName: `${code.toLowerCase()}.pdf`,
  sha256: createHash('sha256').update(code).digest('hex'),
  sizeBytes: 2048,
});
const payloads: Record<string, unknown> = {
  request_preview: { question: '报告书还是报告表？' },
  give_preview_advice: { advice: '编制报告表' },
  submit: {},
  request_supplement: { items: [{ code: 'EIA_DOCUMENT', reason: '缺少签章' }] },
  resubmit: { materials: [material('EIA_DOCUMENT')] },
  accept: {},
  decline: { reason: '不属于本局管辖' },
  start_review: {},
  start_expert_review: { expectedWorkingDays: 10 },
  record_expert_opinion: { opinion: '通过', conclusion: 'PASS' },
  request_revision: { items: [{ topic: '废水', detail: '补充回用率' }] },
  submit_revision: { response: '已补充' },
  propose_decision: { proposal: 'approve' },
  approve: {},
  reject: { reasons: ['选址不符'] },
  return_to_review: { reason: '补充论证' },
  request_hearing: { reason: '对结论有异议' },
  schedule_hearing: { at: '2026-04-01T09:30:00+08:00', place: '醴陵市生态环境局听证室' },
  record_hearing_outcome: { summary: '维持', next: 'PUBLIC_NOTICE' },
  withdraw: { reason: '项目取消' },
  record_milestone: { milestone: 'CONSTRUCTION_STARTED' },
  fly_away: {},
};

function createBody(orgCode: string, category: Category = 'REPORT_FORM') {
  return {
    category,
    project: {
      name: '东富镇陶瓷窑炉改造',
      location: '醴陵市东富镇',
      industry: '陶瓷',
      investmentCny: 3_000_000,
    },
    applicant: {
      orgName: '醴陵市某陶瓷有限公司',
      orgCode,
      contactName: '刘建国',
      contactPhone: '13873300000',
    },
    materials: defaultConfig.required[category].map(material),
  };
}

// ---------------------------------------------------------------------------------------------
// The cells.

interface Cell {
  readonly name: string;
  readonly method: string;
  /** The path, given the fixture's id (or a stranger's). */
  readonly path: (id: string) => string;
  readonly fixture?: 'draft' | 'closed';
  readonly body?: (caller: Caller) => unknown;
  readonly caller: Caller;
  readonly column: number;
  readonly status: number;
}

const paths: Record<string, string> = {
  'GET /applications': '/applications?limit=100',
  'GET /audit/events': '/audit/events?action=submit&limit=10',
  'GET /stats': '/stats?from=2026-03-02&to=2026-03-02',
  'PUT /admin/calendar/{year}': '/admin/calendar/2027',
  'PATCH /admin/users/{id}': '/admin/users/demo-clerk',
};

/** Valid bodies, so that a permitted caller succeeds and a refused one is refused on the role alone. */
const plainBodies: Record<string, (c: Caller) => unknown> = {
  'POST /applications': (c) => createBody(c.subject?.orgCode ?? owner.orgCode ?? ''),
  'PUT /admin/calendar/{year}': () => ({ holidays: ['2027-01-01'], workdays: [] }),
  // The seed again, as a new version: the applications' rules stay as they were.
  'PUT /admin/config': () => defaultConfig,
  'POST /admin/users': () => ({ email: 'matrix.invite@liling.example', name: '矩阵', groups: ['clerk'] }),
  'PATCH /admin/users/{id}': () => ({ enabled: true }),
  'POST /inbox/read': () => ({ all: true }),
  'POST /public/notices/{noticeId}/comments': () => ({ text: '矩阵意见' }),
  'POST /public/notices/{noticeId}/hearing-requests': () => ({
    name: '刘利害',
    contact: 'matrix.party@example.com',
    reason: '矩阵听证',
  }),
};

const plainCells: Cell[] = Object.entries(plainExpected).flatMap(([route, row]) => {
  const [method = '', path = ''] = route.split(' ');
  return plainColumns.map((caller, column) => ({
    name: `${route} · ${caller.label} → ${row[column]}`,
    method,
    path: () => paths[route] ?? path,
    ...(plainBodies[route] && { body: plainBodies[route] }),
    caller,
    column,
    status: row[column] ?? 0,
  }));
});

const patchBody = { project: { description: '窑炉改为天然气' } };
const appCells: Cell[] = Object.entries(appExpected).flatMap(([route, row]) => {
  const [method = '', template = ''] = route.split(' ');
  const special = appFixtures[route];
  return appColumns.map((caller, column) => ({
    name: `${route} · ${caller.label} → ${row[column]}`,
    method,
    path: (id: string) => (special?.path ?? template).replace('{id}', id),
    fixture: special?.fixture ?? ('draft' as const),
    ...(method === 'PATCH' && { body: () => patchBody }),
    ...(route === 'POST /applications/{id}/uploads' && { body: () => uploadBody }),
    ...(route === 'POST /applications/{id}/comments/{commentId}/response' && {
      body: () => ({ response: '已研究采纳' }),
    }),
    caller,
    column,
    status: row[column] ?? 0,
  }));
});

const actionCells: Cell[] = Object.entries(actionExpected).flatMap(([action, row]) =>
  appColumns.map((caller, column) => ({
    name: `POST /applications/{id}/actions/${action} · ${caller.label} → ${row[column]}`,
    method: 'POST',
    path: (id: string) => `/applications/${id}/actions/${action}`,
    fixture: 'closed' as const,
    body: () => payloads[action],
    caller,
    column,
    status: row[column] ?? 0,
  })),
);

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  stack = await startLocalStack();
  // A working day, so that acceptance and the notice period are counted on a known calendar.
  await stack.setNow('2026-03-02T10:00:00+08:00');
  const stranger = await createLocalIssuer({ issuer: stack.issuer.issuer, audience: stack.issuer.audience });
  forged = await stranger.issue({ sub: owner.sub, name: owner.name, groups: [...LOCAL_ROLES] });

  const create = async () => {
    const res = await stack.request<{ id: string }>('POST', '/applications', {
      as: owner,
      body: createBody(owner.orgCode ?? ''),
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
    return res.json.id;
  };
  const step = async (id: string, action: string, as: TokenSubject, body: unknown = {}) => {
    const res = await stack.request('POST', `/applications/${id}/actions/${action}`, { as, body });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${res.text}`);
  };
  fixtures.draft = await create();
  const closed = await create();
  await withFiles(stack, closed, owner);
  await step(closed, 'submit', owner);
  await step(closed, 'accept', users.clerk);
  await step(closed, 'start_review', users.reviewer);
  // The day after the acceptance notice's comment period (03-03..03-09); the matrix runs on it.
  await stack.setNow('2026-03-10T10:00:00+08:00');
  await step(closed, 'propose_decision', users.reviewer, { proposal: 'approve' });
  await step(closed, 'withdraw', owner, { reason: '项目取消' });
  fixtures.closed = closed;
  const notices = await stack.request<{ items: { noticeId: string; applicationId: string; kind: string }[] }>(
    'GET',
    '/public/notices?limit=100',
  );
  const acceptance = notices.json.items.find((n) => n.applicationId === closed && n.kind === 'ACCEPTANCE');
  if (!acceptance) throw new Error(`no acceptance notice of ${closed}: ${notices.text}`);
  paths['GET /public/notices/{noticeId}'] = `/public/notices/${acceptance.noticeId}`;
  paths['POST /public/notices/{noticeId}/comments'] = `/public/notices/${acceptance.noticeId}/comments`;
  paths['POST /public/notices/{noticeId}/hearing-requests'] =
    `/public/notices/${acceptance.noticeId}/hearing-requests`;
  paths['GET /public/notices/{noticeId}/public-version'] =
    `/public/notices/${acceptance.noticeId}/public-version`;
  // Its written documents, rendered and stored as the documents function would.
  const [{ issuePending }, { runtimeIssuePorts }, { getStore }] = await Promise.all([
    import('../../functions/documents/issue.ts'),
    import('../../functions/documents/runtime.ts'),
    import('../../shared/runtime/clients.ts'),
  ]);
  await issuePending(runtimeIssuePorts(stack.baseUrl), closed, 'matrix');
  const notice = (await getStore().get(closed))?.app.documents?.[0];
  if (!notice?.sha256) throw new Error(`no stored acceptance notice of ${closed}`);
  const documentCell = appFixtures['GET /applications/{id}/documents/{documentId}'];
  if (documentCell) documentCell.path = `/applications/{id}/documents/${notice.documentId}`;
  paths['GET /public/documents/{number}'] = `/public/documents/${encodeURIComponent(notice.number)}`;
  paths['GET /public/documents/{number}/file'] =
    `/public/documents/${encodeURIComponent(notice.number)}/file`;
});

afterAll(async () => {
  await stack?.stop();
});

/** One token per caller: signing is cheap, but 400 cells add up. */
const tokens = new Map<Caller, Promise<string>>();
function tokenOf(caller: Caller): Promise<string> | undefined {
  if (caller.forged) return Promise.resolve(forged);
  const { subject } = caller;
  if (!subject) return undefined;
  let token = tokens.get(caller);
  if (!token) {
    token = stack.token(subject);
    tokens.set(caller, token);
  }
  return token;
}

async function call(cell: Cell, id: string): Promise<StackResponse<Record<string, unknown>>> {
  const body = cell.body?.(cell.caller);
  const token = await tokenOf(cell.caller);
  return stack.request<Record<string, unknown>>(cell.method, cell.path(id), {
    // A download answers 303 to storage: the answer itself is the cell.
    redirect: 'manual',
    ...(token !== undefined && { token }),
    ...(body !== undefined && { body }),
  });
}

function expectStatus(
  expect: ExpectStatic,
  res: StackResponse<Record<string, unknown>>,
  status: number,
): void {
  expect(res.status, res.text).toBe(status);
  if (status < 400) return;
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status });
  if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
}

/** Another applicant's answer with the ids taken out, to compare with the answer for no application. */
function withoutId(res: StackResponse<Record<string, unknown>>, id: string) {
  return { status: res.status, body: res.text.replaceAll(id, '{id}') };
}

describe('the matrix covers the whole API', () => {
  it('has a row for every route and every action, and a column for every role', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`).sort();
    const covered = [
      ...Object.keys(plainExpected),
      ...Object.keys(appExpected),
      ...(Object.keys(actionExpected).length > 0 ? ['POST /applications/{id}/actions/{action}'] : []),
    ].sort();
    expect(covered).toEqual(keys);
    expect(Object.keys(actionExpected).filter((a) => a !== 'fly_away')).toEqual(actionNames);
    const roles = (columns: readonly Caller[]) =>
      new Set(columns.flatMap((c) => (c.forged ? [] : (c.subject?.groups ?? []))));
    expect([...roles(plainColumns)].sort()).toEqual([...LOCAL_ROLES].sort());
    expect([...roles(appColumns)].sort()).toEqual([...LOCAL_ROLES].sort());
    for (const row of Object.values(plainExpected)) expect(row).toHaveLength(plainColumns.length);
    for (const row of [...Object.values(appExpected), ...Object.values(actionExpected)])
      expect(row).toHaveLength(appColumns.length);
    // Kept in the report: the number of cells.
    expect(plainCells.length + appCells.length + actionCells.length).toBe(26 * 10 + 13 * 16 + 22 * 16);
    expect(Object.keys(officialGroups).sort()).toEqual(
      Object.keys(actionExpected)
        .filter((a) => actionExpected[a]?.[3] === 403)
        .sort(),
    );
  });
});

describe('routes without an application', () => {
  it.concurrent.for(plainCells)('$name', async (cell, { expect }) => {
    const res = await call(cell, '');
    expectStatus(expect, res, cell.status);
    if (res.status === 200 && cell.method === 'GET' && cell.path('').startsWith('/applications')) {
      const ids = ((res.json.items ?? []) as { id: string; ownerId: string }[]).map((a) => a.id);
      const sees = listsOwnersApplications.has(cell.caller.label);
      expect(ids.includes(fixtures.draft ?? '-'), 'draft listed').toBe(sees);
      expect(ids.includes(fixtures.closed ?? '-'), 'closed listed').toBe(sees);
    }
  });
});

describe('routes on an application', () => {
  it.concurrent.for([...appCells, ...actionCells])('$name', async (cell, { expect }) => {
    const id = cell.fixture ? (fixtures[cell.fixture] ?? '') : '';
    const res = await call(cell, id);
    expectStatus(expect, res, cell.status);
    const action = cell.path(id).split('/actions/')[1] ?? '';
    const groups = cell.caller.subject?.sub === owner.sub ? cell.caller.subject.groups : [];
    if (officialGroups[action]?.some((g) => groups.includes(g))) {
      // The owner's own identity holding the action's official group: refused for who they are.
      expect(res.json.type, res.text).toMatch(/\/conflict-of-interest$/);
    }
    if (cell.caller.subject === other) {
      // Never reveal that another applicant's application exists: the same answer as for none.
      const none = randomUUID();
      expect(withoutId(res, id)).toEqual(withoutId(await call(cell, none), none));
    }
  });

  it('wrote nothing for any refusal: only the owner’s PATCHes (as applicant) changed anything', async () => {
    const trail = async (id: string) => {
      const res = await stack.request<{ items: { action: string }[] }>(
        'GET',
        `/applications/${id}/events?limit=100`,
        { as: 'auditor' },
      );
      return res.json.items.map((e) => e.action);
    };
    expect(await trail(fixtures.closed ?? '')).toEqual([
      'create',
      'edit',
      'submit',
      'accept',
      'start_review',
      'propose_decision',
      'withdraw',
      // Its acceptance notice's PDF, stored in beforeAll.
      'issue_document',
    ]);
    // The owner's PATCH, and the owner's holding every role (who edits as the applicant).
    expect(await trail(fixtures.draft ?? '')).toEqual(['create', 'edit', 'edit']);
  });
});

describe('the owner holding every official role, on a live application', () => {
  it('is refused each official step when it is due, while another official takes it', async () => {
    await stack.setNow('2026-03-02T10:00:00+08:00');
    const created = await stack.request<{ id: string }>('POST', '/applications', {
      as: ownerWithEveryRole,
      body: createBody(owner.orgCode ?? ''),
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    await withFiles(stack, id, ownerWithEveryRole);
    const act = (action: string, as: TokenSubject, body: unknown = {}) =>
      stack.request<{ type?: string; application?: { decision?: unknown } }>(
        'POST',
        `/applications/${id}/actions/${action}`,
        { as, body },
      );
    // As the applicant the owner may act.
    expect((await act('submit', ownerWithEveryRole)).status).toBe(200);

    const conditions = ['窑炉烟气颗粒物排放浓度不高于 30 mg/m³'];
    const steps: [string, TokenSubject, unknown][] = [
      ['accept', users.clerk, {}],
      ['start_review', users.reviewer, {}],
      ['propose_decision', users.reviewer, { proposal: 'approve', conditions }],
      ['approve', users.approver, {}],
    ];
    for (const [action, official, body] of steps) {
      // Proposed after the acceptance notice's comment period (through 03-09), approved after the
      // proposed decision's notice (03-11..03-17).
      if (action === 'propose_decision') await stack.setNow('2026-03-10T10:00:00+08:00');
      if (action === 'approve') await stack.setNow('2026-03-18T10:00:00+08:00');
      const seen = await stack.request<{ allowedActions: string[] }>('GET', `/applications/${id}`, {
        as: ownerWithEveryRole,
      });
      expect(
        seen.json.allowedActions.filter((a) => a in officialGroups),
        action,
      ).toEqual([]);
      const refused = await act(action, ownerWithEveryRole, body);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.json.type).toMatch(/\/conflict-of-interest$/);
      if (action === 'approve') {
        // Other conditions than those on notice: refused, naming the field.
        const other = await act('approve', official, { conditions: ['噪声昼间不超过 60 dB'] });
        expect(other.status, other.text).toBe(422);
        expect(other.json).toMatchObject({
          type: expect.stringMatching(/\/conditions-differ-from-notice$/),
          issues: [{ path: 'conditions' }],
        });
      }
      const done = await act(action, official, body);
      expect(done.status, `${action}: ${done.text}`).toBe(200);
    }
    const approved = await stack.request<{ decision: { conditions: string[] } }>(
      'GET',
      `/applications/${id}`,
      {
        as: 'auditor',
      },
    );
    expect(approved.json.decision.conditions).toEqual(conditions);
    const events = await stack.request<{ items: { action: string; actor: { id: string } }[] }>(
      'GET',
      `/applications/${id}/events?limit=100`,
      { as: 'auditor' },
    );
    const acts = events.json.items.filter((e) => e.action !== 'issue_document');
    expect(acts.map((e) => e.action)).toEqual([
      'create',
      'edit',
      'submit',
      'accept',
      'start_review',
      'propose_decision',
      'approve',
    ]);
    // Every official step by another person than the owner.
    expect(acts.slice(3).every((e) => e.actor.id !== owner.sub)).toBe(true);
  });
});
