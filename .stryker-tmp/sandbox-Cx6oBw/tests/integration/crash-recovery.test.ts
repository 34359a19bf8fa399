// @ts-nocheck
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLocalClient,
  type DynamoDbLocal,
  type DynamoDbLocalExit,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
} from '../../local/dynamodb.ts';
import { ensureTables } from '../../local/tables.ts';
import { verifyTrail } from '../../shared/domain/audit-verify.ts';
import { replay } from '../../shared/domain/replay.ts';
import type { State as ApplicationState } from '../../shared/domain/types.ts';
import { auditStore } from '../../shared/store/audit-store.ts';
import { idempotencyKey } from '../../shared/store/keys.ts';
import { idempotencyTable, mainTable, tableName } from '../../shared/store/table.ts';
import { apiEvent, invoke, type Response, type User } from '../support/api-events.ts';
import { clerk, createBody, owner } from '../unit/functions/fixtures.ts';

/**
 * Crash recovery. This file runs its OWN DynamoDB Local, persisted to a temporary folder (as
 * `npm start -- --data` does), never the run's shared one. Workers drive a steady load of
 * transitions through the real handlers (create, request_preview, give_preview_advice, every POST
 * with an Idempotency-Key); in the middle of it DynamoDB Local is killed with SIGKILL, by pid.
 * Requests in flight fail (503 + Retry-After); each worker waits for the restart and sends the
 * very same request again. DynamoDB Local is restarted on the same folder and port, the load goes
 * on, and then, for every application in the table:
 *   - the stored application equals shared/domain/replay.ts over its events,
 *   - its chain verifies (shared/domain/audit-verify.ts),
 *   - every event in it was acknowledged to exactly one request (nothing retried was applied
 *     twice, nothing committed went unacknowledged),
 * and every stored application was acknowledged as created.
 *
 * DynamoDB Local acknowledges a TransactWriteItems before it is on disk, so a SIGKILL may take the
 * last acknowledged transactions with it (measured: sequential transactions, kill, restart: the
 * last one is gone). DynamoDB does not do that; the test holds DynamoDB Local to what it can
 * promise: only changes acknowledged before the kill go missing, each one whole (its application
 * version, event and idempotency record alike), and only the newest of its application's.
 */
const PREFIX = `crash-${process.pid}-`;
const WORKERS = 6;
/** Acknowledged changes before the kill, and after the restart. */
const BEFORE_KILL = 30;
const AFTER_RESTART = 15;
/** A worker that keeps getting 503 after the restart gives up: the test then fails. */
const MAX_TRIES = 20;

let dataDir: string | undefined;
let db: DynamoDbLocal | undefined;

type Handler = Parameters<typeof invoke>[0];
let createApplication: Handler;
let takeAction: Handler;
let getApplication: Handler;

/** Where the time goes (ms), for the report. */
const timing: Record<string, number> = {};
const since = (t0: number) => Math.round(performance.now() - t0);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eia-crash-'));
  const t0 = performance.now();
  db = await startDynamoDbLocal({ dataDir });
  timing.start = since(t0);
  const client = createLocalClient(db.endpoint);
  try {
    await ensureTables(client, PREFIX);
  } finally {
    client.destroy();
  }
  // The handler modules read their environment once, at their first call (a cold start).
  vi.stubEnv('TABLE_NAME', tableName(mainTable, PREFIX));
  vi.stubEnv('IDEMPOTENCY_TABLE_NAME', tableName(idempotencyTable, PREFIX));
  vi.stubEnv('CURSOR_SECRET', 'crash-recovery-cursor-secret-0123456789');
  vi.stubEnv('DYNAMODB_ENDPOINT', db.endpoint);
  vi.stubEnv('AWS_REGION', LOCAL_REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  ({ handler: createApplication } = await import('../../functions/create-application/handler.ts'));
  ({ handler: takeAction } = await import('../../functions/take-action/handler.ts'));
  ({ handler: getApplication } = await import('../../functions/get-application/handler.ts'));
}, 90_000);

afterAll(async () => {
  try {
    await db?.stop();
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  }
}, 30_000);

/** One logical request: sent again, the same (same Idempotency-Key), until it is answered. */
interface Op {
  key: string;
  /** Who sends it: the Idempotency-Key is the caller's. */
  by: string;
  send(): Promise<Response>;
}

function createOp(key: string): Op {
  return {
    key,
    by: owner.sub,
    send: () =>
      invoke(
        createApplication,
        apiEvent({
          method: 'POST',
          route: '/applications',
          body: createBody(),
          headers: { 'idempotency-key': key },
          user: owner,
        }),
      ),
  };
}

function actionOp(key: string, id: string, state: ApplicationState): Op {
  const [action, user, body]: [string, User, unknown] =
    state === 'DRAFT'
      ? ['request_preview', owner, { question: `May the ceramics kiln exhaust share a stack? (${key})` }]
      : ['give_preview_advice', clerk, { advice: `Separate stacks, each with monitoring. (${key})` }];
  return {
    key,
    by: user.sub,
    send: () =>
      invoke(
        takeAction,
        apiEvent({
          method: 'POST',
          route: '/applications/{id}/actions/{action}',
          pathParameters: { id, action },
          body,
          headers: { 'idempotency-key': key },
          user,
        }),
      ),
  };
}

function getOp(id: string): Op {
  return {
    key: `get-${id}`,
    by: owner.sub,
    send: () =>
      invoke(
        getApplication,
        apiEvent({ method: 'GET', route: '/applications/{id}', pathParameters: { id }, user: owner }),
      ),
  };
}

/** One acknowledged change: what the client was told. */
interface Ack {
  id: string;
  key: string;
  by: string;
  seq: number;
  /** The event's hash (actions answer with their event; a creation is seq 1). */
  hash?: string;
  tries: number;
  replayed: boolean;
  phase: 'before kill' | 'while down' | 'after restart';
}

describe('DynamoDB Local killed (SIGKILL) in the middle of a load of transitions, then restarted', () => {
  it('keeps every application equal to the replay of its events, every chain sound, no change halved or doubled', async () => {
    const known = new Map<string, ApplicationState>();
    const acks: Ack[] = [];
    let inFlight = 0;
    let failedAtKill = 0;
    let refusedAfterRestart = 0;
    let lostCreations = 0;
    let replayedAfterRestart = 0;
    let stop = false;
    const problems: string[] = [];

    let phase: Ack['phase'] = 'before kill';
    let restarted!: () => void;
    const back = new Promise<void>((resolve) => {
      restarted = resolve;
    });
    let warm!: () => void;
    const warmedUp = new Promise<void>((resolve) => {
      warm = resolve;
    });
    /** Resolved once `target` changes are acknowledged (set at the restart). */
    let done: (() => void) | undefined;
    let target = Number.POSITIVE_INFINITY;

    type Answer = { res: Response; tries: number; phase: Ack['phase'] } | 'refused' | undefined;

    /**
     * Send `op` until it is answered. A 503 (DynamoDB is down) waits for the restart, then sends the
     * same request again. After the restart a 404/409 means DynamoDB Local lost an earlier change the
     * request built on (see below): 'refused', and the worker reloads its applications.
     */
    async function run(op: Op): Promise<Answer> {
      for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
        const sentIn = phase;
        inFlight += 1;
        let res: Response;
        try {
          res = await op.send();
        } finally {
          inFlight -= 1;
        }
        if (res.statusCode === 200 || res.statusCode === 201) {
          if (attempt > 1 && res.headers['idempotent-replayed'] === 'true') replayedAfterRestart += 1;
          return { res, tries: attempt, phase: sentIn };
        }
        if (res.statusCode === 503 && phase !== 'before kill') {
          expect(res.headers['retry-after']).toBe('1');
          if (attempt === 1) failedAtKill += 1;
          await back;
          continue;
        }
        if ((res.statusCode === 404 || res.statusCode === 409) && phase === 'after restart') {
          refusedAfterRestart += 1;
          return 'refused';
        }
        problems.push(`${op.key} (${sentIn}, try ${attempt}): ${res.statusCode} ${res.raw}`);
        return undefined;
      }
      problems.push(`${op.key}: still failing after ${MAX_TRIES} tries`);
      return undefined;
    }

    function acknowledge(ack: Ack, state: ApplicationState): void {
      acks.push(ack);
      known.set(ack.id, state);
      if (acks.length >= BEFORE_KILL) warm();
      if (acks.length >= target) done?.();
    }

    /** After the restart: what is really stored now (a creation may be gone altogether). */
    async function reload(mine: string[]): Promise<boolean> {
      for (const id of [...mine]) {
        const answered = await run(getOp(id));
        if (answered === undefined) return false;
        if (answered === 'refused') {
          mine.splice(mine.indexOf(id), 1);
          known.delete(id);
          lostCreations += 1;
        } else known.set(id, answered.res.body.state);
      }
      return true;
    }

    async function worker(w: number): Promise<void> {
      const mine: string[] = [];
      let reloaded = false;
      for (let n = 0; !stop && problems.length === 0; n++) {
        if (phase === 'after restart' && !reloaded) {
          reloaded = true;
          if (!(await reload(mine))) return;
        }
        const key = `crash-w${w}-op${n}`;
        // A few applications each, then transitions over them in turn.
        if (mine.length < 3 || n % 10 === 0) {
          const answered = await run(createOp(key));
          if (answered === undefined) return;
          if (answered === 'refused') continue;
          const { body, headers } = answered.res;
          mine.push(body.id);
          acknowledge(
            {
              id: body.id,
              key,
              by: owner.sub,
              seq: 1,
              tries: answered.tries,
              replayed: headers['idempotent-replayed'] === 'true',
              phase: answered.phase,
            },
            body.state,
          );
          continue;
        }
        const id = mine[n % mine.length] as string;
        const state = known.get(id);
        if (!state) throw new Error(`unknown application ${id}`);
        const op = actionOp(key, id, state);
        const answered = await run(op);
        if (answered === undefined) return;
        if (answered === 'refused') {
          reloaded = false;
          continue;
        }
        const { body, headers } = answered.res;
        acknowledge(
          {
            id,
            key,
            by: op.by,
            seq: body.event.seq,
            hash: body.event.hash,
            tries: answered.tries,
            replayed: headers['idempotent-replayed'] === 'true',
            phase: answered.phase,
          },
          body.application.state,
        );
      }
    }

    const loadStarted = performance.now();
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));

    // The kill: in the middle of the load, by pid.
    await Promise.race([warmedUp, Promise.all(workers)]);
    expect(problems).toEqual([]);
    const first = db as DynamoDbLocal;
    const exited = new Promise<DynamoDbLocalExit>((resolve) => first.onExit(resolve));
    timing.loadBeforeKill = since(loadStarted);
    const inFlightAtKill = inFlight;
    const acknowledgedAtKill = acks.length;
    phase = 'while down';
    process.kill(first.pid, 'SIGKILL');
    const exit = await exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.expected).toBe(false);

    // The restart: same folder, same port (the handlers' client keeps its endpoint).
    const restartedAt = performance.now();
    db = await startDynamoDbLocal({ port: first.port, dataDir: dataDir as string });
    timing.restart = since(restartedAt);
    const resumed = performance.now();
    const enough = new Promise<void>((resolve) => {
      done = resolve;
    });
    target = acks.length + AFTER_RESTART;
    phase = 'after restart';
    restarted();
    await Promise.race([enough, Promise.all(workers)]);
    stop = true;
    await Promise.all(workers);
    timing.loadAfterRestart = since(resumed);
    expect(problems).toEqual([]);
    const verifyStarted = performance.now();

    // Every application in the table, as DynamoDB now holds it.
    const doc = DynamoDBDocumentClient.from(createLocalClient(db.endpoint));
    try {
      const table = tableName(mainTable, PREFIX);
      const ids: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: 'sk = :app',
            ExpressionAttributeValues: { ':app': 'APP' },
            ProjectionExpression: 'id',
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of out.Items ?? []) ids.push(String(item.id));
        startKey = out.LastEvaluatedKey;
      } while (startKey);

      // Every stored application was acknowledged to its client (none orphaned by the crash).
      const created = new Set(acks.filter((a) => a.seq === 1).map((a) => a.id));
      expect(ids.filter((id) => !created.has(id))).toEqual([]);

      const audit = auditStore(doc, table);
      const kept = new Set<Ack>();
      let events = 0;
      for (const id of ids) {
        const { stored, trail } = await audit.snapshot(id);
        if (!stored) throw new Error(`application ${id} is gone, but ${trail.length} events remain`);
        // Its state is the replay of its events,
        expect(replay(trail.map((t) => t.event)), id).toEqual(stored.app);
        // and its chain verifies (seq, hashes, version, headHash, and the replay again).
        expect(verifyTrail({ applicationId: id, stored, trail }), id).toMatchObject({ ok: true });
        events += trail.length;
        // Every change in it was acknowledged to exactly one request (none applied twice, none
        // applied without its client learning of it, thanks to the Idempotency-Key retries).
        for (const { event } of trail) {
          const matching = acks.filter(
            (a) => a.id === id && a.seq === event.seq && (a.seq === 1 || a.hash === event.hash),
          );
          expect(matching, `${id} seq ${event.seq}`).toHaveLength(1);
          for (const a of matching) kept.add(a);
        }
      }

      // What DynamoDB Local lost: acknowledged changes that are not in any trail. It acknowledges a
      // TransactWriteItems before the write is on disk, so SIGKILL can take the last ones with it
      // (DynamoDB itself does not). Losses are only ever of changes acknowledged before the kill,
      // and always whole: the idempotency record of each is gone with it, just as every change
      // kept has its record.
      const lost = acks.filter((a) => !kept.has(a));
      expect(lost.filter((a) => a.phase !== 'before kill')).toEqual([]);
      for (const a of acks) {
        const out = await doc.send(
          new GetCommand({
            TableName: tableName(idempotencyTable, PREFIX),
            Key: idempotencyKey(`${a.by}#${a.key}`),
            ConsistentRead: true,
          }),
        );
        expect(
          out.Item !== undefined,
          `idempotency record of ${a.key} (${kept.has(a) ? 'kept' : 'lost'})`,
        ).toBe(kept.has(a));
      }
      // Per application, what was lost is the newest of what it had: its trail is a prefix.
      for (const a of lost) {
        expect(
          acks.filter((b) => b.id === a.id && kept.has(b) && b.phase === 'before kill' && b.seq > a.seq),
          `${a.key} lost while a later change of ${a.id} was kept`,
        ).toEqual([]);
      }

      timing.verify = since(verifyStarted);
      console.info(
        `crash recovery (ms: ${JSON.stringify(timing)}): SIGKILL with ${inFlightAtKill} requests in flight, after ${acknowledgedAtKill} ` +
          `acknowledged changes; ${failedAtKill} requests answered 503 and were sent again after the ` +
          `restart (${replayedAfterRestart} of them answered by replay: committed before the kill); ` +
          `DynamoDB Local lost ${lost.length} acknowledged changes (${lostCreations} creations), each ` +
          `whole; ${refusedAfterRestart} requests refused after the restart because of that; ` +
          `${acks.length} changes acknowledged in all; ${ids.length} applications (${events} events) ` +
          'verified after the restart: state = replay, chain sound',
      );
      expect(inFlightAtKill).toBeGreaterThan(0);
      expect(failedAtKill).toBeGreaterThan(0);
      expect(acks.filter((a) => a.phase === 'after restart').length).toBeGreaterThanOrEqual(AFTER_RESTART);
    } finally {
      doc.destroy();
    }
  }, 240_000);
});
