import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../../shared/runtime/logger.ts';
import { appKey } from '../../../../shared/store/keys.ts';
import {
  apiEvent,
  type Event,
  invoke,
  lambdaContext,
  type Response,
  type User,
} from '../../../support/api-events.ts';
import { captureLogLines, type LogLine } from '../../../support/log-lines.ts';
import {
  APP_ID,
  clerk,
  createBody,
  freezeTime,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  owner,
  primeCalendar,
  type Stored,
  storedApplication,
  stubEnv,
} from '../../functions/fixtures.ts';

/**
 * Faults of DynamoDB and of the network, through the real handlers (functions/<name>/handler.ts).
 *
 * Part 1 (mocked client, aws-sdk-client-mock): every DynamoDB call a route makes is failed in
 * turn with every kind of fault, and every cancellation reason is given to each writing route.
 * The answer must be the right problem+json (503 + Retry-After, 409, 412, or a logged bare 500),
 * and "never half a change": the route stops at the fault, and its only write is the one
 * TransactWriteItems that failed, so there is nothing to undo.
 *
 * Part 2 (the real SDK client of shared/runtime/clients.ts against a scripted fake DynamoDB on
 * 127.0.0.1): the SDK's own retries are counted request by request. Its backoff is full jitter
 * (Math.random() × base × 2^attempt); Math.random is pinned to 0, so retries cost no time.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };

/** The fake DynamoDB of part 2: what it was sent, and how it answers each request. */
interface Received {
  target: string;
  body: Record<string, unknown>;
}
type Reply = { status: number; body: unknown } | 'reset';
let fake: Server;
let received: Received[] = [];
let answer: (r: Received, nth: number) => Reply = () => ({ status: 200, body: {} });

const handlers: Record<string, Handler> = {};

beforeAll(async () => {
  fake = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
      const r: Received = { target, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
      received.push(r);
      const reply = answer(r, received.filter((x) => x.target === target).length);
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `fake-${received.length}`,
      });
      res.end(JSON.stringify(reply.body));
    });
  });
  fake.listen(0, '127.0.0.1');
  await once(fake, 'listening');
  stubEnv();
  // clients.ts reads these once: part 1 never reaches the endpoint (send is stubbed), part 2 does.
  vi.stubEnv('DYNAMODB_ENDPOINT', `http://127.0.0.1:${(fake.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'fake');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  freezeTime();
  // The calendar at run time is cached first: the faults are those of the application's calls.
  await primeCalendar();
  for (const fn of [
    'create-application',
    'update-application',
    'take-action',
    'get-application',
    'list-applications',
    'list-events',
    'audit-events',
    'audit-verify',
  ]) {
    handlers[fn] = await loadHandler(fn);
  }
});
afterAll(async () => {
  ddb.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  fake.closeAllConnections();
  fake.close();
  await once(fake, 'close');
});

// ---------------------------------------------------------------------------------------------
// The routes and what they make of a healthy DynamoDB.

interface Route {
  name: string;
  fn: string;
  /** The application the store holds, if the route reads one. */
  stored?: 'DRAFT' | 'SUBMITTED';
  ok: number;
  event(headers?: Record<string, string>): Event;
  /** Writes: the change's transaction holds the application, then its event. */
  writes: boolean;
  /** Takes If-Match (the application's version). */
  ifMatch?: boolean;
  /** Sends an Idempotency-Key: the record is the transaction's last item. */
  idempotent?: boolean;
  /** Sends independent reads at once: those already in flight when one fails may still go out. */
  parallelReads?: boolean;
}

const key = { 'idempotency-key': 'faults-key-1' };
const create = (headers: Record<string, string> = {}) =>
  apiEvent({ method: 'POST', route: '/applications', body: createBody(), headers, user: owner });
const accept = (headers: Record<string, string> = {}) =>
  apiEvent({
    method: 'POST',
    route: '/applications/{id}/actions/{action}',
    pathParameters: { id: APP_ID, action: 'accept' },
    body: {},
    headers,
    user: clerk,
  });
const edit = (headers: Record<string, string> = {}) =>
  apiEvent({
    method: 'PATCH',
    route: '/applications/{id}',
    pathParameters: { id: APP_ID },
    body: { project: { name: '醴陵市陶瓷产业园废水处理站（二期）' } },
    headers,
    user: owner,
  });

const routes: Route[] = [
  { name: 'POST /applications', fn: 'create-application', ok: 201, event: create, writes: true },
  {
    name: 'POST /applications + Idempotency-Key',
    fn: 'create-application',
    ok: 201,
    event: (h) => create({ ...key, ...h }),
    writes: true,
    idempotent: true,
  },
  {
    name: 'PATCH /applications/{id}',
    fn: 'update-application',
    stored: 'DRAFT',
    ok: 200,
    event: edit,
    writes: true,
    ifMatch: true,
  },
  {
    name: 'POST /applications/{id}/actions/accept',
    fn: 'take-action',
    stored: 'SUBMITTED',
    ok: 200,
    event: accept,
    writes: true,
    ifMatch: true,
  },
  {
    name: 'POST /applications/{id}/actions/accept + Idempotency-Key',
    fn: 'take-action',
    stored: 'SUBMITTED',
    ok: 200,
    event: (h) => accept({ ...key, ...h }),
    writes: true,
    ifMatch: true,
    idempotent: true,
  },
  {
    name: 'GET /applications/{id}',
    fn: 'get-application',
    stored: 'SUBMITTED',
    ok: 200,
    event: () =>
      apiEvent({ method: 'GET', route: '/applications/{id}', pathParameters: { id: APP_ID }, user: clerk }),
    writes: false,
  },
  {
    name: 'GET /applications',
    fn: 'list-applications',
    ok: 200,
    event: () => apiEvent({ method: 'GET', route: '/applications', user: clerk }),
    writes: false,
  },
  {
    name: 'GET /applications/{id}/events',
    fn: 'list-events',
    stored: 'SUBMITTED',
    ok: 200,
    event: () =>
      apiEvent({
        method: 'GET',
        route: '/applications/{id}/events',
        pathParameters: { id: APP_ID },
        user: clerk,
      }),
    writes: false,
  },
  {
    name: 'GET /audit/events?applicationId=',
    fn: 'audit-events',
    ok: 200,
    event: () =>
      apiEvent({ method: 'GET', route: '/audit/events', query: { applicationId: APP_ID }, user: auditor }),
    writes: false,
  },
  {
    name: 'GET /audit/applications/{id}/verify',
    fn: 'audit-verify',
    parallelReads: true,
    stored: 'SUBMITTED',
    ok: 200,
    event: () =>
      apiEvent({
        method: 'GET',
        route: '/audit/applications/{id}/verify',
        pathParameters: { id: APP_ID },
        user: auditor,
      }),
    writes: false,
  },
];

/** The command classes the document client could write with. */
const isWrite = (name: string) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(name);
const sent = () => ddb.calls().map((c) => (c.args[0] as object).constructor.name);

/**
 * A healthy store holding `stored`, except that the `failAt`-th call (1-based, any command)
 * throws `fault()`. Every command answers as DynamoDB would: the application item for its key,
 * no idempotency record, empty queries, successful writes.
 */
function store(stored: Stored | undefined, failAt?: number, fault?: () => unknown) {
  let n = 0;
  const next = <T>(value: T): T => {
    n += 1;
    if (n === failAt) throw fault?.();
    return value;
  };
  ddb
    .on(GetCommand)
    .callsFake(async (input: { TableName: string }) =>
      next(input.TableName === IDEMPOTENCY_TABLE || !stored ? {} : { Item: stored.item }),
    );
  ddb.on(TransactGetCommand).callsFake(async () => next({ Responses: [{ Item: stored?.item }, {}] }));
  ddb.on(QueryCommand).callsFake(async () => next({ Items: [] }));
  ddb.on(TransactWriteCommand).callsFake(async () => next({}));
}

interface Baseline {
  calls: string[];
  /** How many items the route's transaction holds. */
  items: number;
}
const baselines = new Map<string, Baseline>();

/** What a route sends to a healthy store (measured, not assumed), once per route. */
async function baseline(route: Route): Promise<Baseline> {
  const known = baselines.get(route.name);
  if (known) return known;
  ddb.reset();
  store(route.stored ? storedApplication(route.stored) : undefined);
  const res = await invoke(handlers[route.fn] as Handler, route.event());
  expect(res.statusCode, res.raw).toBe(route.ok);
  const calls = sent();
  const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.length ?? 0;
  ddb.reset();
  const measured = { calls, items };
  baselines.set(route.name, measured);
  return measured;
}

function expectProblem(res: Response, status: number) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

// ---------------------------------------------------------------------------------------------
// Part 1a: passing faults, at every call of every route.

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'DDB-REQ-1', attempts: 4 });
const netError = (message: string, props: Record<string, unknown>) =>
  Object.assign(new Error(message), props);

/** Everything that passes by itself: after the SDK's own retries, the client should retry later. */
const passingFaults: [string, () => unknown][] = [
  [
    'ThrottlingException',
    () => new ThrottlingException({ message: 'Throughput exceeds the account limit', $metadata: meta(400) }),
  ],
  [
    'ProvisionedThroughputExceededException',
    () =>
      new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded',
        $metadata: meta(400),
      }),
  ],
  [
    'RequestLimitExceeded',
    () =>
      new RequestLimitExceeded({
        message: 'Throughput exceeds the current throughput limit for your account',
        $metadata: meta(400),
      }),
  ],
  [
    'InternalServerError',
    () => new InternalServerError({ message: 'Internal server error', $metadata: meta(500) }),
  ],
  [
    'ServiceUnavailable (an unmodelled 503)',
    () =>
      new DynamoDBServiceException({
        name: 'ServiceUnavailable',
        $fault: 'server',
        $metadata: meta(503),
        message: 'Service unavailable',
      }),
  ],
  [
    'TimeoutError (request timeout)',
    () =>
      netError('a request has exceeded the configured 3000 ms requestTimeout.', {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
  ],
  [
    'TimeoutError (socket inactivity)',
    () => netError('the request socket timed out after 300000 ms of inactivity', { name: 'TimeoutError' }),
  ],
  ['ECONNRESET (socket hang up)', () => netError('socket hang up', { code: 'ECONNRESET' })],
  [
    'ECONNREFUSED',
    () => netError('connect ECONNREFUSED 127.0.0.1:8000', { code: 'ECONNREFUSED', syscall: 'connect' }),
  ],
  ['EPIPE', () => netError('write EPIPE', { code: 'EPIPE', syscall: 'write' })],
  [
    'a reset wrapped as the cause',
    () => netError('request failed', { cause: netError('read ECONNRESET', { code: 'ECONNRESET' }) }),
  ],
];

/** Counted by the tests below, for the report. */
const covered = { passing: new Set<string>(), cancellations: new Set<string>() };

describe('part 1a: a passing fault at any DynamoDB call → 503 with Retry-After, and never half a change', () => {
  let lines: LogLine[] = [];
  beforeEach(() => {
    ddb.reset();
    vi.restoreAllMocks();
    lines = captureLogLines();
  });

  for (const route of routes) {
    describe(route.name, () => {
      it.each(passingFaults)('%s at each of its calls', async (kind, fault) => {
        const { calls } = await baseline(route);
        expect(calls.length).toBeGreaterThan(0);
        for (let k = 1; k <= calls.length; k++) {
          ddb.reset();
          lines.length = 0;
          store(route.stored ? storedApplication(route.stored) : undefined, k, fault);
          const event = route.event();
          const res = await invoke(handlers[route.fn] as Handler, event);

          const at = `${kind} at call ${k} (${calls[k - 1]})`;
          expectProblem(res, 503);
          expect(res.headers['retry-after'], at).toBe('1');
          expect(res.body.type).toMatch(/\/unavailable$/);
          // Nothing about the fault leaks to the client.
          expect(res.raw).not.toMatch(/ECONN|EPIPE|DDB-REQ|Throughput|socket|127\.0\.0\.1/);
          // The route stopped at the fault: exactly the calls before it and the failing one (and, for
          // reads sent together, the ones already under way beside it, never more than it would make).
          if (route.parallelReads) {
            expect(sent().length, at).toBeGreaterThanOrEqual(k);
            expect(sent(), at).toEqual(calls.slice(0, sent().length));
          } else expect(sent(), at).toEqual(calls.slice(0, k));
          // Its only write, if any, is the one transaction that failed: nothing to undo.
          const writes = sent().filter(isWrite);
          expect(writes, at).toEqual(calls[k - 1] === 'TransactWriteCommand' ? ['TransactWriteCommand'] : []);
          // Logged as a warning, on a line that carries the request's own id (API Gateway's) and
          // Lambda's, though nothing passed either to the logger.
          expect(lines, at).toContainEqual(
            expect.objectContaining({
              level: 'WARN',
              message: 'database unavailable',
              requestId: event.requestContext.requestId,
              function_request_id: lambdaContext.awsRequestId,
            }),
          );
          covered.passing.add(`${kind} × ${route.name} @${k}`);
        }
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Part 1b: every cancellation reason of the one transaction.

function cancelled(codes: string[], messages: Record<string, string> = {}) {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: meta(400),
    CancellationReasons: codes.map((Code) => ({
      Code,
      ...(messages[Code] ? { Message: messages[Code] } : {}),
    })),
  });
}

interface Cancellation {
  name: string;
  /** The reasons, given the transaction's size and the idempotency record's position. */
  reasons(items: number): string[];
  /** With If-Match naming the version read / without. */
  status: { plain: number; ifMatch: number };
  type: RegExp;
  applies?: (route: Route) => boolean;
  messages?: Record<string, string>;
}

const at = (items: number, index: number, code: string) =>
  Array.from({ length: items }, (_, i) => (i === index ? code : 'None'));

const cancellations: Cancellation[] = [
  {
    name: "ConditionalCheckFailed on the application (its version moved on, or it exists: create's id)",
    reasons: (n) => at(n, 0, 'ConditionalCheckFailed'),
    status: { plain: 409, ifMatch: 412 },
    type: /\/concurrent-change$/,
  },
  {
    name: 'ConditionalCheckFailed on the event (its seq is taken)',
    reasons: (n) => at(n, 1, 'ConditionalCheckFailed'),
    status: { plain: 409, ifMatch: 409 },
    type: /\/concurrent-change$/,
  },
  {
    name: 'ConditionalCheckFailed on the application and the event together',
    reasons: (n) =>
      at(n, 0, 'ConditionalCheckFailed').map((c, i) => (i === 1 ? 'ConditionalCheckFailed' : c)),
    status: { plain: 409, ifMatch: 412 },
    type: /\/concurrent-change$/,
  },
  {
    name: 'TransactionConflict (another transaction on the application at the same moment)',
    reasons: (n) => at(n, 0, 'TransactionConflict'),
    status: { plain: 409, ifMatch: 409 },
    type: /\/concurrent-change$/,
  },
  {
    name: 'ThrottlingError',
    reasons: (n) => at(n, 0, 'ThrottlingError'),
    status: { plain: 503, ifMatch: 503 },
    type: /\/unavailable$/,
  },
  {
    name: 'ProvisionedThroughputExceeded',
    reasons: (n) => at(n, 1, 'ProvisionedThroughputExceeded'),
    status: { plain: 503, ifMatch: 503 },
    type: /\/unavailable$/,
  },
  {
    name: 'RequestLimitExceeded',
    reasons: (n) => at(n, 0, 'RequestLimitExceeded'),
    status: { plain: 503, ifMatch: 503 },
    type: /\/unavailable$/,
  },
  {
    name: 'no reason given (all None)',
    reasons: (n) => at(n, -1, 'x'),
    status: { plain: 503, ifMatch: 503 },
    type: /\/unavailable$/,
  },
  {
    name: 'ValidationError (item too large): our bug, a logged 500',
    reasons: (n) => at(n, 0, 'ValidationError'),
    messages: { ValidationError: 'Item size has exceeded the maximum allowed size' },
    status: { plain: 500, ifMatch: 500 },
    type: /\/internal$/,
  },
  {
    name: 'ItemCollectionSizeLimitExceeded: not passing, a logged 500',
    reasons: (n) => at(n, 0, 'ItemCollectionSizeLimitExceeded'),
    status: { plain: 500, ifMatch: 500 },
    type: /\/internal$/,
  },
  {
    name: 'ConditionalCheckFailed on the idempotency record, no record to replay yet (in flight)',
    reasons: (n) => at(n, n - 1, 'ConditionalCheckFailed'),
    status: { plain: 409, ifMatch: 409 },
    type: /\/in-flight$/,
    applies: (route) => route.idempotent === true,
  },
];

describe('part 1b: the change’s one TransactWriteItems is cancelled → 409 / 412 / 503 / logged 500', () => {
  beforeEach(() => {
    ddb.reset();
    vi.restoreAllMocks();
    vi.spyOn(logger, 'warn').mockImplementation(() => {});
    vi.spyOn(logger, 'error').mockImplementation(() => {});
  });

  const writers = routes.filter((r) => r.writes);
  const cases = writers.flatMap((route) =>
    cancellations
      .filter((c) => c.applies?.(route) ?? true)
      .flatMap((c) => [
        { route, c, withIfMatch: false },
        ...(route.ifMatch ? [{ route, c, withIfMatch: true }] : []),
      ]),
  );

  it.each(
    cases.map((x) => [`${x.route.name}${x.withIfMatch ? ' + If-Match' : ''}: ${x.c.name}`, x] as const),
  )('%s', async (_, { route, c, withIfMatch }) => {
    const { calls, items } = await baseline(route);
    const write = calls.indexOf('TransactWriteCommand') + 1;
    expect(write).toBeGreaterThan(0);
    const stored = route.stored ? storedApplication(route.stored) : undefined;
    const reasons = c.reasons(items);
    store(stored, write, () => cancelled(reasons, c.messages));
    const headers = withIfMatch ? { 'if-match': `"${stored?.app.version}"` } : {};
    const res = await invoke(handlers[route.fn] as Handler, route.event(headers));

    // An act or an edit without If-Match runs once more after a lost commit (rerunOnConcurrentChange):
    // this store fails only once, so the second run writes; the first wrote nothing.
    const rerun =
      (route.fn === 'take-action' || route.fn === 'update-application') &&
      !withIfMatch &&
      /concurrent-change/.test(c.type.source);
    if (rerun) {
      expect(res.statusCode, res.raw).toBe(route.ok);
      expect(sent()).toEqual([...calls.slice(0, write), ...calls]);
      const [lost, won] = ddb.commandCalls(TransactWriteCommand).map((x) => x.args[0].input.TransactItems);
      expect(won).toHaveLength(reasons.length);
      expect(won?.[1]?.Put?.Item).toMatchObject({ seq: (stored?.app.version ?? 0) + 1 });
      expect(won?.[0]?.Put?.Item?.state).toBe(lost?.[0]?.Put?.Item?.state);
      covered.cancellations.add(`${c.name} × ${route.name} (run again)`);
      return;
    }
    const status = withIfMatch ? c.status.ifMatch : c.status.plain;
    expectProblem(res, status);
    // A stale If-Match is a 412 "stale-version", like the one a moment later would get on read.
    expect(res.body.type).toMatch(status === 412 ? /\/stale-version$/ : c.type);
    if (status === 503) expect(res.headers['retry-after']).toBe('1');
    else expect(res.headers['retry-after']).toBeUndefined();

    // Never half a change: one transaction, holding the application and its event, was the only
    // write; after it failed nothing else was written (an in-flight key only reads its record).
    const after = c.type.source.includes('in-flight') ? ['GetCommand'] : [];
    expect(sent()).toEqual([...calls.slice(0, write), ...after]);
    expect(sent().filter(isWrite)).toEqual(['TransactWriteCommand']);
    const tx = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(tx).toHaveLength(reasons.length);
    expect(tx[0]?.Put?.Item).toMatchObject(appKey(stored?.app.id ?? String(tx[0]?.Put?.Item?.id)));
    expect(tx[1]?.Put?.Item).toMatchObject({ seq: (stored?.app.version ?? 0) + 1 });

    if (status === 500) {
      // Bare to the client, detailed in the log: every reason with DynamoDB's message.
      expect(res.raw).not.toMatch(/ValidationError|Item size|ItemCollection/);
      expect(logger.error).toHaveBeenCalledWith(
        'unhandled error',
        expect.objectContaining({
          fault: expect.objectContaining({
            name: 'TransactionCanceledException',
            awsRequestId: 'DDB-REQ-1',
            cancellationReasons: expect.arrayContaining([
              expect.objectContaining({ code: reasons.find((r) => r !== 'None') }),
            ]),
          }),
        }),
      );
      if (c.messages)
        expect(JSON.stringify(vi.mocked(logger.error).mock.calls)).toContain(
          'Item size has exceeded the maximum allowed size',
        );
    }
    covered.cancellations.add(`${c.name} × ${route.name}${withIfMatch ? ' + If-Match' : ''}`);
  });

  it('a TransactGetItems cancelled by a concurrent transaction (the keyed read): the act runs again, one write', async () => {
    const route = routes.find((r) => r.name === 'POST /applications/{id}/actions/accept + Idempotency-Key');
    if (!route) throw new Error('no such route');
    const { calls } = await baseline(route);
    expect(calls[0]).toBe('TransactGetCommand');
    store(storedApplication('SUBMITTED'), 1, () => cancelled(['TransactionConflict', 'None']));
    const res = await invoke(handlers[route.fn] as Handler, route.event());
    expect(res.statusCode, res.raw).toBe(200);
    expect(sent()).toEqual(['TransactGetCommand', ...calls]);
    expect(sent().filter(isWrite)).toEqual(['TransactWriteCommand']);
  });

  it('a TransactGetItems cancelled twice: 409, nothing written', async () => {
    const route = routes.find((r) => r.name === 'POST /applications/{id}/actions/accept + Idempotency-Key');
    if (!route) throw new Error('no such route');
    store(storedApplication('SUBMITTED'));
    ddb.on(TransactGetCommand).rejects(cancelled(['TransactionConflict', 'None']));
    const res = await invoke(handlers[route.fn] as Handler, route.event());
    expectProblem(res, 409);
    expect(sent()).toEqual(['TransactGetCommand', 'TransactGetCommand']);
  });

  it('a stale If-Match is still 412 before any write (the version check on read), not a 409', async () => {
    const route = routes.find((r) => r.fn === 'take-action' && !r.idempotent);
    if (!route) throw new Error('no such route');
    store(storedApplication('SUBMITTED'));
    const res = await invoke(handlers[route.fn] as Handler, route.event({ 'if-match': '"1"' }));
    expectProblem(res, 412);
    expect(sent()).toEqual(['GetCommand']);
  });

  afterAll(() => {
    console.info(
      `faults covered: ${passingFaults.length} passing kinds × ${routes.length} routes = ` +
        `${covered.passing.size} (kind, route, failing call) cases; ${cancellations.length} cancellation ` +
        `kinds → ${covered.cancellations.size} (kind, writing route, If-Match) cases`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Part 2: the SDK's own retries, counted on the wire (the real client of clients.ts).

const err = (type: string, message: string, extra: Record<string, unknown> = {}) => ({
  status: type === 'InternalServerError' ? 500 : 400,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra },
});
const throttled = err(
  'ProvisionedThroughputExceededException',
  'The level of configured provisioned throughput was exceeded',
);
const ok = (body: unknown = {}) => ({ status: 200, body });

describe('part 2: the SDK client of shared/runtime/clients.ts retries on its own, and we count it', () => {
  let stored: Stored;
  /** DynamoDB in this SDK: 4 attempts (Retry.v2026), unless AWS_MAX_ATTEMPTS says otherwise. */
  const MAX_ATTEMPTS = 4;

  beforeAll(() => {
    ddb.restore();
  });
  beforeEach(() => {
    received = [];
    stored = storedApplication('SUBMITTED');
    vi.restoreAllMocks();
    // Full-jitter backoff × 0: the retries are immediate (no real sleeps, deterministic).
    vi.spyOn(Math, 'random').mockReturnValue(0);
    vi.spyOn(logger, 'warn').mockImplementation(() => {});
    vi.spyOn(logger, 'error').mockImplementation(() => {});
  });
  afterAll(() => {
    answer = () => ok();
  });

  /** GetItem finds the stored application; TransactWriteItems answers with `write(n)`. */
  function dynamo(
    write: (nth: number) => Reply,
    get: (nth: number) => Reply = () => ok({ Item: marshall(stored.item, { removeUndefinedValues: true }) }),
  ) {
    answer = (r, nth) =>
      r.target === 'GetItem' ? get(nth) : r.target === 'TransactWriteItems' ? write(nth) : ok();
  }
  const targets = () => received.map((r) => r.target);
  const tokens = () =>
    received.filter((r) => r.target === 'TransactWriteItems').map((r) => r.body.ClientRequestToken);
  // accept reads the application, then its acceptance notice number's counter: two GetItems.
  const act = () => invoke(handlers['take-action'] as Handler, accept());

  it(`throttled every time: ${MAX_ATTEMPTS} attempts of the one transaction, then 503 Retry-After`, async () => {
    dynamo(() => throttled);
    const started = performance.now();
    const res = await act();
    expectProblem(res, 503);
    expect(res.headers['retry-after']).toBe('1');
    expect(targets()).toEqual(['GetItem', 'GetItem', ...Array(MAX_ATTEMPTS).fill('TransactWriteItems')]);
    // Every attempt is the same transaction with the same ClientRequestToken, so DynamoDB
    // applies it at most once even if an attempt it did apply looked failed to us.
    const t = tokens();
    expect(new Set(t).size).toBe(1);
    expect(t[0]).toEqual(expect.any(String));
    expect(logger.warn).toHaveBeenCalledWith(
      'database unavailable',
      expect.objectContaining({
        fault: expect.objectContaining({
          name: 'ProvisionedThroughputExceededException',
          attempts: MAX_ATTEMPTS,
        }),
      }),
    );
    console.info(`throttled ×${MAX_ATTEMPTS}: 503 after ${Math.round(performance.now() - started)} ms`);
  });

  it('throttled twice, then written: 200 after 3 attempts of one transaction (one token)', async () => {
    dynamo((n) => (n <= 2 ? throttled : ok()));
    const res = await act();
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.application.state).toBe('ACCEPTED');
    expect(targets()).toEqual([
      'GetItem',
      'GetItem',
      'TransactWriteItems',
      'TransactWriteItems',
      'TransactWriteItems',
    ]);
    expect(new Set(tokens()).size).toBe(1);
  });

  it('InternalServerError once, then written: 200, the retry carries the same token', async () => {
    dynamo((n) => (n === 1 ? err('InternalServerError', 'Internal server error') : ok()));
    const res = await act();
    expect(res.statusCode, res.raw).toBe(200);
    expect(targets()).toEqual(['GetItem', 'GetItem', 'TransactWriteItems', 'TransactWriteItems']);
    expect(new Set(tokens()).size).toBe(1);
  });

  it(`connection reset on every read: ${MAX_ATTEMPTS} attempts, 503, and no write was even tried`, async () => {
    dynamo(
      () => ok(),
      () => 'reset',
    );
    const res = await act();
    expectProblem(res, 503);
    expect(res.headers['retry-after']).toBe('1');
    expect(targets()).toEqual(Array(MAX_ATTEMPTS).fill('GetItem'));
  });

  it('connection reset while writing, then written: 200 and one token', async () => {
    dynamo((n) => (n === 1 ? 'reset' : ok()));
    const res = await act();
    expect(res.statusCode, res.raw).toBe(200);
    expect(targets()).toEqual(['GetItem', 'GetItem', 'TransactWriteItems', 'TransactWriteItems']);
    expect(new Set(tokens()).size).toBe(1);
  });

  it('a cancelled transaction is not retried by the client: the act runs once more, then 409 (412 with If-Match, no second run)', async () => {
    const cancel = err('TransactionCanceledException', 'Transaction cancelled', {
      CancellationReasons: [
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
      ],
    });
    dynamo(() => cancel);
    const res = await act();
    expectProblem(res, 409);
    expect(targets()).toEqual([
      'GetItem',
      'GetItem',
      'TransactWriteItems',
      'GetItem',
      'GetItem',
      'TransactWriteItems',
    ]);

    received = [];
    const stale = await invoke(
      handlers['take-action'] as Handler,
      accept({ 'if-match': `"${stored.app.version}"` }),
    );
    expectProblem(stale, 412);
    expect(stale.body.type).toMatch(/\/stale-version$/);
    expect(targets()).toEqual(['GetItem', 'GetItem', 'TransactWriteItems']);
  });

  it('an item too large (ValidationError) is not retried: one attempt, a bare 500, logged with its message', async () => {
    dynamo(() =>
      err('TransactionCanceledException', 'Transaction cancelled', {
        CancellationReasons: [
          { Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
        ],
      }),
    );
    const res = await act();
    expectProblem(res, 500);
    expect(res.raw).not.toMatch(/Item size/);
    expect(targets()).toEqual(['GetItem', 'GetItem', 'TransactWriteItems']);
    expect(JSON.stringify(vi.mocked(logger.error).mock.calls)).toContain(
      'Item size has exceeded the maximum allowed size',
    );
  });
});
