/**
 * What the fuzz tests share: every route's real handler, called as API Gateway would call it, over
 * a DynamoDB document client mocked by a tiny in-memory table (seeded with applications in every
 * state, their chained events and notices, exactly as the store writes them), and the invariants
 * every answer must keep, whatever was asked:
 *
 * - never a 5xx;
 * - every 4xx is application/problem+json with `type`, `title`, `status` (= the HTTP status) and
 *   `detail`; a validation problem lists its issues, each naming a path;
 * - every 2xx is well-formed (JSON parses).
 *
 * Writes are recorded, never applied: every request sees the same seeded table, so a run is
 * reproducible from its seed (FUZZ_SEED; FUZZ_RUNS scales the number of runs).
 */
import { createHash } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type ListUsersCommandInput,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactGetCommand,
  type TransactGetCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type fc from 'fast-check';
import { expect, vi } from 'vitest';
import { pdfBytes } from '../../../local/sample-files.ts';
import { chain, GENESIS } from '../../../shared/domain/audit-chain.ts';
import { type PublicComment, receiveComment } from '../../../shared/domain/comments.ts';
import { systemStep } from '../../../shared/domain/decide.ts';
import type { DocumentRef } from '../../../shared/domain/documents.ts';
import { type HearingRequest, receiveHearingRequest } from '../../../shared/domain/hearings.ts';
import { systemActorNames } from '../../../shared/domain/system-actors.ts';
import type { Application, Caller, Notice, State } from '../../../shared/domain/types.ts';
import { states } from '../../../shared/domain/types.ts';
import { type UploadRecord, uploadObjectKey } from '../../../shared/domain/uploads.ts';
import { type RouteDef, routes } from '../../../shared/http/routes.ts';
import { logger } from '../../../shared/runtime/logger.ts';
import { useUserDirectory } from '../../../shared/runtime/user-directory.ts';
import {
  appIndexKeys,
  appKey,
  commentKey,
  docNoKey,
  eventItem,
  hearingRequestKey,
  noticeIdOf,
  noticeKey,
  uploadKey,
} from '../../../shared/store/keys.ts';
import { mainTable } from '../../../shared/store/table.ts';
import { apiEvent, type Event, type EventInput, type User } from '../../support/api-events.ts';
import { type Handler, IDEMPOTENCY_TABLE, loadHandler, stubEnv, TABLE } from '../functions/fixtures.ts';
import { callers, driveTo, type Trail } from '../shared/domain/fixtures.ts';

// ---------------------------------------------------------------------------------------------
// Runs and seeds

/** One seed for the whole run, so a failure can be replayed: FUZZ_SEED=<seed> npx vitest run … */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_260_612);
/** FUZZ_RUNS=10 runs ten times as many cases (for a longer hunt). */
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);

/** fast-check options for `runs` cases; the seed goes in the failure message (fast-check prints it). */
export function opts(runs: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: Math.max(1, Math.round(runs * SCALE)), endOnFailure: true };
}

// ---------------------------------------------------------------------------------------------
// People

export function userOf(caller: Caller): User {
  return {
    sub: caller.id,
    name: caller.name,
    groups: caller.roles,
    ...(caller.orgCode ? { orgCode: caller.orgCode } : {}),
  };
}

export const people = {
  owner: userOf(callers.owner),
  otherApplicant: userOf(callers.otherApplicant),
  clerk: userOf(callers.clerk),
  reviewer: userOf(callers.reviewer),
  otherReviewer: userOf(callers.otherReviewer),
  approver: userOf(callers.approver),
  auditor: userOf(callers.auditor),
  reviewerApprover: userOf(callers.reviewerApprover),
} as const;
export type Person = keyof typeof people;
export const personNames = Object.keys(people) as Person[];

/**
 * The bureau's admin, who administers the calendar, the configuration and the staff: not one of
 * `people`, as the admin holds no role on applications (every application route refuses them).
 */
export const admin: User = { sub: 'u-admin', name: '郑管理', groups: ['admin'] };
const otherAdmin: User = { sub: 'u-admin-2', name: '冯管理', groups: ['admin'] };
/** The accounts of the user pool (mocked Cognito): both admins and the bureau's officials. */
const accounts: readonly User[] = [
  admin,
  otherAdmin,
  people.clerk,
  people.reviewer,
  people.approver,
  people.auditor,
];

// ---------------------------------------------------------------------------------------------
// The seeded table

/** A fixed UUID per state, so ids are stable across runs. */
export function idOf(state: State): string {
  const n = states.indexOf(state) + 1;
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/** The trail with `step` taken `minutes` after its last one. */
function after(trail: Trail, minutes: number, take: (now: Date) => Trail['steps'][number]): Trail {
  const now = new Date(trail.now.getTime() + minutes * 60_000);
  const step = take(now);
  return { app: step.app, events: [...trail.events, step.event], steps: [...trail.steps, step], now };
}

/**
 * Every document the trail's acts issued, stored: the `issue_document` step the documents function
 * takes once the PDF is in storage, so that the document routes find a file and its SHA-256.
 */
function withIssued(trail: Trail): Trail {
  let t = trail;
  for (const ref of trail.app.documents ?? []) {
    if (ref.sha256) continue;
    t = after(t, 1, (now) => {
      const stored = { sha256: sha256Of(ref.number), sizeBytes: 4100, storedAt: now.toISOString() };
      const documents = (t.app.documents ?? []).map(
        (d): DocumentRef => (d.documentId === ref.documentId ? { ...d, ...stored } : d),
      );
      return systemStep(
        t.app,
        'issue_document',
        { documents },
        { now, requestId: `issue-${ref.documentId}` },
        {
          documentId: ref.documentId,
          number: ref.number,
          sha256: stored.sha256,
          sizeBytes: stored.sizeBytes,
        },
        systemActorNames.documents,
      );
    });
  }
  return t;
}

/** Every state the workflow has, each as an application of `owner` (REGISTRATION for FILED). */
export const trails: ReadonlyMap<State, Trail> = new Map(
  states.map((state) => [
    state,
    withIssued(driveTo(state, state === 'FILED' ? 'REGISTRATION' : 'REPORT', { id: idOf(state) })),
  ]),
);

/** A moment after every seeded step (the last is on the 12th working day after 2026-03-02). */
export const NOW = new Date('2026-03-25T02:00:00.000Z');

/** The last notice of `kind` a trail published. */
function noticeOf(trail: Trail, kind: Notice['kind']): Notice {
  const notice = trail.steps.findLast((s) => s.notice?.kind === kind)?.notice;
  if (!notice) throw new Error(`${trail.app.id} published no ${kind} notice`);
  return notice;
}

/**
 * Applications whose notices are open now, for the public routes and the lists of what the public
 * sent: `comments`, under review, its acceptance notice taking comments and one comment received
 * (not yet answered); `hearings`, its proposed decision on notice, asked for a hearing by an
 * interested party (so in HEARING), its notice still taking hearing requests and comments.
 */
function openTrails() {
  const received = '2026-03-25T01:00:00.000Z';
  let comments = withIssued(
    driveTo('UNDER_REVIEW', 'REPORT', { on: '2026-03-20', id: '00000000-0000-4000-8000-0000000000c1' }),
  );
  const acceptance = noticeOf(comments, 'ACCEPTANCE');
  const comment: PublicComment = {
    commentId: '20260325T010000000Z-0c0ffee0',
    applicationId: comments.app.id,
    noticeId: noticeIdOf(acceptance),
    noticeKind: 'ACCEPTANCE',
    receivedAt: received,
    text: '厂区离学校太近，噪声如何控制？',
    name: '王秀英',
    contact: 'wang.xy@example.cn',
  };
  comments = after(comments, 0, () =>
    receiveComment(comments.app, comment, { now: new Date(received), requestId: 'seed-comment' }),
  );
  let hearings = withIssued(
    driveTo('PUBLIC_NOTICE', 'REPORT', { on: '2026-03-18', id: '00000000-0000-4000-8000-0000000000c2' }),
  );
  const proposed = noticeOf(hearings, 'PROPOSED_DECISION');
  const request: HearingRequest = {
    hearingRequestId: '20260325T010000000Z-0feed000',
    applicationId: hearings.app.id,
    noticeId: noticeIdOf(proposed),
    receivedAt: received,
    name: '李四',
    contact: '13900001111',
    reason: '项目排污口在我村上游，请举行听证。',
  };
  hearings = after(hearings, 0, () =>
    receiveHearingRequest(hearings.app, request, { now: new Date(received), requestId: 'seed-hearing' }),
  );
  return {
    comments: { trail: comments, notice: acceptance, comment },
    hearings: { trail: hearings, notice: proposed, request },
  };
}

export const open = openTrails();
/** Every seeded application: one in each state, and the two with open notices. */
export const allTrails: readonly Trail[] = [...trails.values(), open.comments.trail, open.hearings.trail];

type Item = Record<string, unknown>;

/** A fixed upload id per application and material code. */
const uploadIdOf = (appId: string, code: string) => {
  const hex = createHash('sha256').update(`${appId}/${code}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** The states of an application no submission has named files in (yet). */
const notSubmitted: readonly State[] = ['DRAFT', 'PREVIEW_REQUESTED', 'WITHDRAWN'];

/**
 * Every material a file: each application's materials name an upload, whose record sits beside it
 * (its bytes are in the mocked storage, below), so that a submission gets past the file checks.
 */
function withFiles(app: Application): { app: Application; uploads: Item[] } {
  const materials = app.materials.map((m) => ({
    ...m,
    uploadId: uploadIdOf(app.id, m.code),
    contentType: 'application/pdf',
  }));
  const uploads = materials.map((m) => {
    const record: UploadRecord = {
      uploadId: m.uploadId,
      applicationId: app.id,
      code: m.code,
      fileName: m.fileName,
      sha256: m.sha256,
      sizeBytes: m.sizeBytes,
      contentType: m.contentType,
      key: uploadObjectKey(app.id, m.uploadId),
      createdAt: app.createdAt,
      createdBy: { id: app.ownerId, name: 'owner' },
      expiresAt: app.createdAt,
      scan: 'SKIPPED',
      // Named by a submission: stored (the public version of an accepted one is then served).
      ...(notSubmitted.includes(app.state) ? {} : { storedAt: app.createdAt }),
    };
    return { ...record, ...uploadKey(app.id, m.uploadId) };
  });
  return { app: { ...app, materials }, uploads };
}

function seedItems(): Item[] {
  const items: Item[] = [];
  for (const trail of allTrails) {
    let head = GENESIS;
    for (const step of trail.steps) {
      const event = chain(step.event, head);
      head = event.hash;
      items.push(eventItem(event));
      if (step.notice) items.push({ ...step.notice, ...noticeKey(step.notice) });
    }
    const { app, uploads } = withFiles(trail.app);
    items.push({ ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: head }, ...uploads);
    // Each stored document's number, as the act that issued it wrote it (the first one wins).
    for (const ref of app.documents ?? []) {
      if (items.some((i) => i.pk === docNoKey(ref.number).pk)) continue;
      const lookup = {
        number: ref.number,
        applicationId: app.id,
        documentId: ref.documentId,
        kind: ref.kind,
      };
      items.push({ ...lookup, ...docNoKey(ref.number) });
    }
  }
  const { comments, hearings } = open;
  items.push(
    { ...comments.comment, ...commentKey(comments.trail.app.id, comments.comment.commentId) },
    {
      ...hearings.request,
      ...hearingRequestKey(hearings.trail.app.id, hearings.request.hearingRequestId),
    },
  );
  // The acceptance notice with the comment it was sent, as the comment's commit left it.
  const counted = items.find(
    (i) => i.pk === noticeKey(comments.notice).pk && i.sk === noticeKey(comments.notice).sk,
  );
  if (counted) counted.commentCount = 1;
  return items;
}

export const table: readonly Item[] = seedItems();

const keyNames = (indexName: string | undefined) => {
  const index = mainTable.globalSecondaryIndexes.find((i) => i.indexName === indexName);
  return { pk: index?.partitionKey.name ?? 'pk', sk: index?.sortKey.name ?? 'sk' };
};

/** DynamoDB's Query, as far as the stores use it: partition, begins_with, order, start key, limit. */
function query(input: QueryCommandInput) {
  if (input.TableName !== TABLE) throw new Error(`Query on unknown table ${input.TableName}`);
  const values = input.ExpressionAttributeValues ?? {};
  const { pk, sk } = keyNames(input.IndexName);
  const prefix = typeof values[':prefix'] === 'string' ? values[':prefix'] : undefined;
  let found = table
    .filter((item) => item[pk] === values[':pk'] && typeof item[sk] === 'string')
    .filter((item) => prefix === undefined || String(item[sk]).startsWith(prefix))
    .sort((a, b) => (String(a[sk]) < String(b[sk]) ? -1 : 1));
  if (input.ScanIndexForward === false) found.reverse();
  const start = input.ExclusiveStartKey;
  if (start) {
    if (typeof start[sk] !== 'string' || typeof start.pk !== 'string')
      throw new Error(`ExclusiveStartKey without its key attributes: ${JSON.stringify(start)}`);
    const after = String(start[sk]);
    found = found.filter((item) =>
      input.ScanIndexForward === false ? String(item[sk]) < after : String(item[sk]) > after,
    );
  }
  const limit = input.Limit ?? found.length;
  const items = found.slice(0, limit);
  const last = items.at(-1);
  const more = found.length > limit && last;
  return {
    Items: items.map((i) => structuredClone(i)),
    Count: items.length,
    ScannedCount: items.length,
    ...(more ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, [pk]: last[pk], [sk]: last[sk] } } : {}),
  };
}

function get(input: GetCommandInput) {
  if (input.TableName === IDEMPOTENCY_TABLE) return {};
  if (input.TableName !== TABLE) throw new Error(`Get on unknown table ${input.TableName}`);
  const key = input.Key ?? {};
  const item = table.find((i) => i.pk === key.pk && i.sk === key.sk);
  return item ? { Item: structuredClone(item) } : {};
}

function transactGet(input: TransactGetCommandInput) {
  return {
    Responses: (input.TransactItems ?? []).map((t) => (t.Get ? get(t.Get as GetCommandInput) : {})),
  };
}

/** Every key found (no projection: the handlers take what they asked for from whole items). */
function batchGet(input: BatchGetCommandInput) {
  const responses: Record<string, Record<string, unknown>[]> = {};
  for (const [name, request] of Object.entries(input.RequestItems ?? {}))
    responses[name] = (request.Keys ?? []).flatMap((key) => {
      const found: { Item?: Record<string, unknown> } = get({ TableName: name, Key: key });
      return found.Item ? [found.Item] : [];
    });
  return { Responses: responses };
}

export const ddb = mockClient(DynamoDBDocumentClient);
/** The documents bucket: every seeded upload's bytes are there, a small PDF as declared. */
export const s3 = mockClient(S3Client);
const PDF_START = pdfBytes('fuzz').subarray(0, 4100);

function uploadAt(key: unknown): Item | undefined {
  return table.find((i) => String(i.sk).startsWith('UPLOAD#') && i.key === key);
}

function notFound(): Error {
  return Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
}

/** Call in beforeAll (before the handlers are imported) and again after each ddb.reset(). */
export function mockTable(): void {
  ddb.reset();
  ddb.on(QueryCommand).callsFake(query);
  ddb.on(GetCommand).callsFake(get);
  ddb.on(BatchGetCommand).callsFake(batchGet);
  ddb.on(TransactGetCommand).callsFake(transactGet);
  ddb.on(TransactWriteCommand).resolves({});
  s3.reset();
  s3.on(HeadObjectCommand).callsFake((input: { Key?: string }) => {
    const record = uploadAt(input.Key);
    if (!record) throw notFound();
    return {
      ContentLength: record.sizeBytes,
      ChecksumSHA256: Buffer.from(String(record.sha256), 'hex').toString('base64'),
    };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key?: string }) => {
    if (!uploadAt(input.Key)) throw notFound();
    return { Body: { transformToByteArray: async () => PDF_START } };
  });
  mockDirectory();
}

/** The user pool of the staff routes: Cognito's admin API, answering from `accounts`. */
export const cognito = mockClient(CognitoIdentityProviderClient);

const accountOf = (u: User): UserType => ({
  Username: u.sub,
  Attributes: [
    { Name: 'sub', Value: u.sub },
    { Name: 'email', Value: `${u.sub}@liling.example` },
    { Name: 'name', Value: u.name },
  ],
  Enabled: true,
  UserStatus: 'CONFIRMED',
  UserCreateDate: new Date('2026-01-05T00:00:00Z'),
});

function mockDirectory(): void {
  cognito.reset();
  cognito.on(ListUsersCommand).callsFake((input: ListUsersCommandInput) => {
    const filter = /^(sub|email) = "(.*)"$/.exec(input.Filter ?? '');
    if (!filter) return { Users: accounts.slice(0, input.Limit ?? 60).map(accountOf) };
    const [, by, value] = filter;
    const found = accounts.find((a) => (by === 'sub' ? a.sub : `${a.sub}@liling.example`) === value);
    return { Users: found ? [accountOf(found)] : [] };
  });
  cognito.on(AdminListGroupsForUserCommand).callsFake((input: { Username?: string }) => ({
    Groups: (accounts.find((a) => a.sub === input.Username)?.groups ?? []).map((GroupName) => ({
      GroupName,
    })),
  }));
  cognito.on(ListUsersInGroupCommand).resolves({ Users: [accountOf(admin), accountOf(otherAdmin)] });
  cognito.on(AdminCreateUserCommand).callsFake((input: { Username?: string; UserAttributes?: [] }) => ({
    User: {
      Username: input.Username,
      Attributes: [...(input.UserAttributes ?? []), { Name: 'sub', Value: 'u-invited' }],
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
    },
  }));
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
  cognito.on(AdminDisableUserCommand).resolves({});
  cognito.on(AdminEnableUserCommand).resolves({});
  cognito.on(AdminUserGlobalSignOutCommand).resolves({});
}

/** How many write transactions the handlers sent since the last reset. */
export const writes = () => ddb.commandCalls(TransactWriteCommand).length;
export const scans = () => ddb.commandCalls(ScanCommand).length;

// ---------------------------------------------------------------------------------------------
// Handlers

export const handlers = new Map<string, Handler>();
let lastLogged = '';

/** The environment, a frozen clock, the mocked table, and the handler of every route. */
export async function setUp(): Promise<void> {
  stubEnv();
  vi.stubEnv('DOCUMENTS_BUCKET', 'fuzz-documents');
  // The staff routes ask Cognito (mocked above), not a local directory.
  vi.stubEnv('USER_POOL_ID', 'cn-north-1_fuzz');
  useUserDirectory(undefined);
  // Presigning signs locally (no request is sent) but needs credentials to sign with.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFUZZEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fuzz-secret');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  mockTable();
  // A 500 logs its cause: keep it for the invariant's message instead of printing it.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(logger, 'error').mockImplementation((_message, ...extra) => {
    lastLogged = JSON.stringify(extra, (_k, v) => (v instanceof Error ? `${v.stack}` : v)).slice(0, 1500);
  });
  for (const route of routes) {
    handlers.set(route.fn, await loadHandler(route.fn));
  }
}

/** FUZZ_REPORT=1 prints how many requests a file sent, by status (for the README's figures). */
export function report(file: string): void {
  if (!process.env.FUZZ_REPORT) return;
  const byStatus = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
  console.info(`fuzz ${file}: ${stats.requests} requests (${byStatus.join(' ')})`);
  if (process.env.FUZZ_REPORT === 'routes')
    for (const r of routes) {
      const c = stats.byRoute.get(`${r.method} ${r.path}`);
      console.info(
        `  ${r.method} ${r.path}: ${c ? `${c.requests} sent, ${c.found} found, ${c.reached} reached` : 'none'}`,
      );
    }
}

export function tearDown(): void {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  ddb.reset();
  s3.reset();
  cognito.reset();
}

// ---------------------------------------------------------------------------------------------
// Requests and the invariants

export interface Answer {
  status: number;
  headers: Record<string, string>;
  raw: string;
  body: any;
}

/** Per route: the requests sent, how many got past a 404, and how many past the door. */
export interface RouteCount {
  requests: number;
  /** Any answer but 404: the route found what it was asked about. */
  found: number;
  /**
   * Past the door: not 401/403 (who), 404 (what), 413/415 (the body's size or type). The body or
   * query was read, or the handler's own logic answered.
   */
  reached: number;
}

/** Requests sent by this file (the test's own count, for the report). */
export const stats = {
  requests: 0,
  byStatus: new Map<number, number>(),
  byRoute: new Map<string, RouteCount>(),
};

const door = new Set([401, 403, 404, 413, 415]);

function count(route: RouteDef, status: number): void {
  const key = `${route.method} ${route.path}`;
  const c = stats.byRoute.get(key) ?? { requests: 0, found: 0, reached: 0 };
  c.requests += 1;
  if (status !== 404) c.found += 1;
  if (!door.has(status)) c.reached += 1;
  stats.byRoute.set(key, c);
}

export interface Request extends Omit<EventInput, 'method' | 'route'> {
  /** Send the body as base64 (isBase64Encoded), as API Gateway does for a non-UTF-8 body. */
  base64?: boolean;
  /** Drop the content-type header apiEvent adds. */
  noContentType?: boolean;
}

export function eventFor(route: RouteDef, req: Request): Event {
  const { base64, noContentType, ...input } = req;
  const event = apiEvent({ method: route.method, route: route.path, ...input });
  if (base64 && event.body !== undefined) {
    event.body = Buffer.from(event.body, 'utf8').toString('base64');
    event.isBase64Encoded = true;
  }
  if (noContentType) delete event.headers['content-type'];
  return event;
}

const describeEvent = (event: Event) => {
  const body = event.body ?? '';
  return `${event.routeKey} ${event.rawPath}?${event.rawQueryString} headers=${JSON.stringify(
    event.headers,
  ).slice(0, 300)} body(${body.length})=${body.slice(0, 300)}`;
};

/** Send one request to the route's handler and check the invariants; returns the answer. */
export async function send(route: RouteDef, req: Request): Promise<Answer> {
  return sendEvent(route, eventFor(route, req));
}

export async function sendEvent(route: RouteDef, event: Event): Promise<Answer> {
  const handler = handlers.get(route.fn);
  if (!handler) throw new Error(`no handler loaded for ${route.fn}`);
  const writesBefore = writes();
  const result = (await handler(event, {} as never)) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
  };
  stats.requests += 1;
  stats.byStatus.set(result.statusCode, (stats.byStatus.get(result.statusCode) ?? 0) + 1);
  count(route, result.statusCode);
  const raw = result.body ?? '';
  const headers = result.headers ?? {};
  const where = () => `${result.statusCode} ${raw.slice(0, 500)} for ${describeEvent(event)}`;
  if (!Number.isInteger(result.statusCode) || result.statusCode < 200 || result.statusCode >= 500)
    throw new Error(`status ${where()}\nlogged: ${lastLogged}`);
  const type = headers['content-type'] ?? '';
  let body: any;
  try {
    if (/^application\/([\w.-]+\+)?json/.test(type)) body = raw === '' ? undefined : JSON.parse(raw);
    // An NDJSON export: one JSON value a line.
    else if (type.startsWith('application/x-ndjson'))
      for (const line of raw.split('\n')) if (line !== '') JSON.parse(line);
  } catch {
    throw new Error(`a ${type} body that does not parse: ${where()}`);
  }
  if (result.statusCode >= 400) {
    if (!type.startsWith('application/problem+json')) throw new Error(`not problem+json: ${where()}`);
    const ok =
      typeof body?.type === 'string' &&
      body.type.length > 0 &&
      typeof body.title === 'string' &&
      body.title.length > 0 &&
      body.status === result.statusCode &&
      typeof body.detail === 'string' &&
      body.detail.length > 0;
    if (!ok) throw new Error(`problem without type/title/status/detail: ${where()}`);
    if (body.type.endsWith('/validation')) {
      const issues: unknown = body.issues;
      const named =
        Array.isArray(issues) &&
        issues.length > 0 &&
        issues.every((i) => typeof i?.path === 'string' && typeof i?.message === 'string' && i.message);
      if (!named) throw new Error(`a validation problem that names no field: ${where()}`);
    }
    // A refusal writes nothing: not the change, not its event, not an idempotency record.
    if (writes() !== writesBefore) throw new Error(`a refusal that wrote: ${where()}`);
    if (result.statusCode === 401 && !headers['www-authenticate'])
      throw new Error(`401 without WWW-Authenticate: ${where()}`);
  } else if (result.statusCode === 303) {
    // A download: the answer is where the file is (a presigned URL), nothing else.
    if (!/^https?:\/\//.test(headers.location ?? '')) throw new Error(`a 303 without Location: ${where()}`);
  } else if (result.statusCode === 204) {
    // A deletion: nothing to say, and nothing said.
    if (raw !== '') throw new Error(`a 204 with a body: ${where()}`);
  } else if (!/^(application\/(json|x-ndjson)|text\/csv)/.test(type)) {
    throw new Error(`a ${result.statusCode} of unexpected type "${type}": ${where()}`);
  }
  return { status: result.statusCode, headers, raw, body };
}

/** The paths a validation (or rule) problem names. */
export function issuePaths(answer: Answer): string[] {
  return Array.isArray(answer.body?.issues) ? answer.body.issues.map((i: { path: string }) => i.path) : [];
}

/** The answer is a 400 that names `path` (or a field under it). */
export function expectNamed(answer: Answer, path: string): void {
  expect(answer.status, answer.raw).toBe(400);
  const named = issuePaths(answer).some((p) => p === path || p.startsWith(`${path}.`));
  expect(named, `${path} not named in ${answer.raw}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Routes

export const route = (method: RouteDef['method'], path: string): RouteDef => {
  const found = routes.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
};
