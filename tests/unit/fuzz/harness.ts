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
import type { Application, Caller, State } from '../../../shared/domain/types.ts';
import { states } from '../../../shared/domain/types.ts';
import { type UploadRecord, uploadObjectKey } from '../../../shared/domain/uploads.ts';
import { type RouteDef, routes } from '../../../shared/http/routes.ts';
import { logger } from '../../../shared/runtime/logger.ts';
import { appIndexKeys, appKey, eventItem, noticeKey, uploadKey } from '../../../shared/store/keys.ts';
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

// ---------------------------------------------------------------------------------------------
// The seeded table

/** A fixed UUID per state, so ids are stable across runs. */
export function idOf(state: State): string {
  const n = states.indexOf(state) + 1;
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Every state the workflow has, each as an application of `owner` (REGISTRATION for FILED). */
export const trails: ReadonlyMap<State, Trail> = new Map(
  states.map((state) => [
    state,
    driveTo(state, state === 'FILED' ? 'REGISTRATION' : 'REPORT', { id: idOf(state) }),
  ]),
);

/** A moment after every seeded step (the last is on the 12th working day after 2026-03-02). */
export const NOW = new Date('2026-03-25T02:00:00.000Z');

type Item = Record<string, unknown>;

/** A fixed upload id per application and material code. */
const uploadIdOf = (appId: string, code: string) => {
  const hex = createHash('sha256').update(`${appId}/${code}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

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
    };
    return { ...record, ...uploadKey(app.id, m.uploadId) };
  });
  return { app: { ...app, materials }, uploads };
}

function seedItems(): Item[] {
  const items: Item[] = [];
  for (const trail of trails.values()) {
    let head = GENESIS;
    for (const step of trail.steps) {
      const event = chain(step.event, head);
      head = event.hash;
      items.push(eventItem(event));
      if (step.notice) items.push({ ...step.notice, ...noticeKey(step.notice) });
    }
    const { app, uploads } = withFiles(trail.app);
    items.push({ ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: head }, ...uploads);
  }
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
}

export function tearDown(): void {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  ddb.reset();
  s3.reset();
}

// ---------------------------------------------------------------------------------------------
// Requests and the invariants

export interface Answer {
  status: number;
  headers: Record<string, string>;
  raw: string;
  body: any;
}

/** Requests sent by this file (the test's own count, for the report). */
export const stats = { requests: 0, byStatus: new Map<number, number>() };

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
