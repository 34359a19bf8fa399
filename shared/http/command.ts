import { createHash } from 'node:crypto';
import { GENESIS } from '../domain/audit-chain.ts';
import type { WorkCalendar } from '../domain/calendar.ts';
import type { WorkflowConfig } from '../domain/config.ts';
import type { Step } from '../domain/decide.ts';
import { canSee } from '../domain/decide.ts';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import { type StepChange, stepChange } from '../domain/step-change.ts';
import type { Application, Caller } from '../domain/types.ts';
import { logger } from '../runtime/logger.ts';
import { now as runtimeNow } from '../runtime/now.ts';
import { isUuid } from '../schemas/common.ts';
import { canonicalJson } from '../schemas/json.ts';
import { ConcurrentChangeError, CounterConflictError, IdempotencyRaceError } from '../store/errors.ts';
import type { ApplicationStore, Commit, IdempotencyRecord, Loaded } from '../store/ports.ts';
import { requireCaseRole } from './admin.ts';
import type { AuthedReq, Req } from './api.ts';
import { PreconditionFailedError } from './errors.ts';
import type { Result } from './respond.ts';

/** Replays of an Idempotency-Key are answered for a day. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

interface Idempotency {
  scope: string;
  requestHash: string;
}

/** The Idempotency-Key of a POST, scoped to the caller, with a hash of what was asked. */
export function idempotencyOf(req: AuthedReq): Idempotency | undefined {
  return keyed(req, req.caller.id);
}

/**
 * The Idempotency-Key of a public write (a comment, a hearing request): nobody signs in, so it is
 * scoped to the notice (`public#<noticeId>#<key>`) instead of a caller. Anyone may send any key,
 * so the form must make a random one (a UUID) per form instance: a guessed key of someone else's
 * on the same notice only ever answers 422 for another body, or that person's own 202 (their
 * `commentId` and the time), never their text, name or contact.
 */
export function publicIdempotencyOf(req: Req): Idempotency | undefined {
  return keyed(req, `public#${req.params.noticeId ?? ''}`);
}

/** The key checked, scoped under `owner`, and the hash of the method, path and body it came with. */
function keyed(req: Req, owner: string): Idempotency | undefined {
  const key = req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new ValidationError('Invalid Idempotency-Key header', [
      ruleIssue('header.Idempotency-Key', 'must be 1 to 128 visible ASCII characters', 'idempotency-key'),
    ]);
  }
  // No body means the same as {} to the handlers, so it must hash the same. A body that cannot be
  // canonical (1e400, nesting thousands deep) is refused here: it would be refused anyway.
  const body = req.body === undefined ? {} : req.body;
  const what = `${req.event.requestContext.http.method} ${req.event.rawPath}\n${canonicalJson(body)}`;
  return {
    scope: `${owner}#${key}`,
    requestHash: createHash('sha256').update(what).digest('hex'),
  };
}

/** The first response again, or a refusal when the key was used for another request. */
export function replay(record: IdempotencyRecord, idem: Idempotency): Result {
  if (record.requestHash !== idem.requestHash) {
    throw new RuleError(
      'idempotency-key-reused',
      'this Idempotency-Key was already used for a different request',
      {
        issues: [
          ruleIssue('header.Idempotency-Key', 'reused with another body or target', 'idempotency-key-reused'),
        ],
      },
    );
  }
  return {
    statusCode: record.statusCode,
    headers: { ...record.headers, 'idempotent-replayed': 'true' },
    body: record.body,
  };
}

/**
 * If-Match (RFC 9110 §13.1.1): `*` or a list of entity tags such as `"3"`; passes when a strong tag
 * names the current version (a weak tag never matches), else 412.
 */
export function checkIfMatch(req: AuthedReq, app: Application): void {
  const header = req.header('if-match');
  if (header === undefined || header.trim() === '*') return;
  const tags = header.split(',').map((t) => /^\s*(W\/)?"(\d{1,15})"\s*$/.exec(t));
  if (tags.some((t) => t === null)) {
    throw new ValidationError('Invalid If-Match header', [
      ruleIssue('header.If-Match', 'expected "<version>" (or a comma-separated list of them)', 'if-match'),
    ]);
  }
  const current = String(app.version);
  if (!tags.some((t) => t && !t[1] && t[2] === current)) {
    throw new PreconditionFailedError(
      'stale-version',
      `If-Match ${header.trim()} does not name the current version "${current}"`,
    );
  }
}

/** For a POST that creates: the first response, when this is a replay. */
export async function priorResponse(
  store: ApplicationStore,
  idem: Idempotency | undefined,
  now: Date,
): Promise<Result | undefined> {
  if (!idem) return undefined;
  const record = await store.getIdempotency(idem.scope, now);
  return record ? replay(record, idem) : undefined;
}

/**
 * The idempotency record a write keeps for its key's replays, for a handler that commits by
 * itself (the public writes): passed to `store.commit` with the change, in the same transaction.
 */
export function idempotencyRecord(
  idem: Idempotency,
  result: Result,
  createdAt: string,
): NonNullable<Commit['idempotency']> {
  return {
    scope: idem.scope,
    ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
    record: {
      requestHash: idem.requestHash,
      statusCode: result.statusCode,
      headers: result.headers,
      body: result.body,
      createdAt,
    },
  };
}

/**
 * After an IdempotencyRaceError (another request with the same key won, or is being written):
 * its response, as `commit` answers it; 409 in-flight while it has not been written yet.
 */
export async function afterKeyRace(store: ApplicationStore, idem: Idempotency, now: Date): Promise<Result> {
  const record = await store.getIdempotency(idem.scope, now);
  if (record) return replay(record, idem);
  throw inFlight();
}

/**
 * A public write's read of the application, with the key's record in the same read when there is
 * a key: `replayed` is the first response when a request with the same key has been written.
 */
export async function loadKeyed(
  store: ApplicationStore,
  id: string,
  idem: Idempotency | undefined,
  now: Date,
): Promise<{ loaded?: Loaded; replayed?: Result }> {
  if (!idem) {
    const loaded = await store.get(id);
    return loaded ? { loaded } : {};
  }
  const both = await store.getWithIdempotency(id, idem.scope, now);
  if (both.record) return { replayed: replay(both.record, idem) };
  return both.loaded ? { loaded: both.loaded } : {};
}

/** 409: the first request with this Idempotency-Key has not finished; a retry gets its response. */
function inFlight() {
  return new ConflictError('in-flight', 'a request with this Idempotency-Key is in progress; retry shortly');
}

export function notFound(id: string) {
  return new NotFoundError('not-found', `no application ${id}`);
}

/**
 * Load the application the caller may see, in one read (with the idempotency record when the
 * request has a key). Returns a ready response instead when the request is a replay.
 */
export async function load(
  store: ApplicationStore,
  req: AuthedReq,
  id: string,
  idem: Idempotency | undefined,
  /** `true`: a deleted draft is still read for the auditor (its trail); 404 for everyone else. */
  trailOfDeleted = false,
): Promise<{ loaded: Loaded } | { replayed: Result }> {
  requireCaseRole(req.caller);
  // Ids are UUIDs; anything else cannot exist, so it costs no read.
  if (!isUuid(id)) throw notFound(id);
  let loaded: Loaded | undefined;
  if (idem) {
    const both = await store.getWithIdempotency(id, idem.scope, req.now).catch((error: unknown) => {
      throw error instanceof IdempotencyRaceError ? inFlight() : error;
    });
    if (both.record) return { replayed: replay(both.record, idem) };
    loaded = both.loaded;
  } else {
    loaded = await store.get(id);
  }
  // Another applicant's application does not exist, as far as they can tell.
  if (!loaded || !canSee(loaded.app, req.caller)) throw notFound(id);
  // A deleted draft (DELETE /applications/{id}) is gone; only its trail stays, for the auditor.
  if (loaded.app.deletedAt !== undefined && !(trailOfDeleted && req.caller.roles.includes('auditor')))
    throw notFound(id);
  return { loaded };
}

/**
 * DynamoDB items hold at most 400 KB, and the idempotency record keeps the response (the
 * application and its event). Bounding both keeps every write possible: a change that would
 * outgrow them is refused instead of failing in DynamoDB.
 */
export const MAX_ITEM_BYTES = 120_000;

function checkSize(step: Step): void {
  for (const [what, value] of [
    ['application', step.app],
    ['event', step.event],
  ] as const) {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > MAX_ITEM_BYTES) {
      throw new RuleError(
        'too-large',
        `the ${what} would be ${bytes} bytes; at most ${MAX_ITEM_BYTES} are kept. Shorten the texts.`,
      );
    }
  }
}

/**
 * A concurrent change beat a request that named the version it read in If-Match: that tag is
 * stale now, and the client is told so as it would be a moment later (412, not 409).
 */
function staleIfMatch(error: unknown, req: AuthedReq): unknown {
  const ifMatch = req.header('if-match')?.trim();
  if (!(error instanceof ConcurrentChangeError) || !error.staleVersion || !ifMatch || ifMatch === '*')
    return error;
  return new PreconditionFailedError(
    'stale-version',
    `If-Match ${ifMatch} no longer names the current version: another change was committed first`,
  );
}

/**
 * Chain the step's event to the trail and write everything in one transaction. When a
 * concurrent request with the same Idempotency-Key won, answer with its response; when another
 * change won and the request named the version it read in If-Match, 412 (see staleIfMatch).
 */
export async function commit(
  store: ApplicationStore,
  req: AuthedReq,
  step: Step,
  headHash: string | undefined,
  idem: Idempotency | undefined,
  respond: (change: StepChange) => Result,
  calendar?: WorkCalendar,
  config?: WorkflowConfig,
  /** Written in the same transaction: the upload records the act found stored, a comment's response. */
  also: Pick<Commit, 'uploadsStored' | 'commentAnswered'> = {},
): Promise<Result> {
  checkSize(step);
  // The notifications and the index dates are counted on the calendar and configuration the step was decided on.
  const change = stepChange(step, headHash ?? GENESIS, calendar, config);
  const { event } = change;
  const result = respond(change);
  try {
    await store.commit({
      ...change,
      ...also,
      ...(idem
        ? {
            idempotency: {
              scope: idem.scope,
              ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
              record: {
                requestHash: idem.requestHash,
                statusCode: result.statusCode,
                headers: result.headers,
                body: result.body,
                createdAt: event.at,
              },
            },
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof IdempotencyRaceError && idem) {
      const record = await store.getIdempotency(idem.scope, new Date(event.at));
      if (record) return replay(record, idem);
      throw inFlight();
    }
    throw staleIfMatch(error, req);
  }
  return result;
}

/**
 * Runs the whole act (load, decide, commit) once more when it lost to a concurrent change and the
 * request named no version (no If-Match, or `*`): it is decided again on the state that change
 * left, with the time of the second run, exactly as if it had arrived a moment later. A change the
 * caller could not see (the `issue_document` event the documents function records right after an
 * act, a sweep step) no longer fails it. Nothing of the lost attempt was written (one
 * transaction), so the second run cannot write twice, and its load answers an Idempotency-Key's
 * first response when a request with the same key won meanwhile. Losing a second time is 409
 * `concurrent-change`; with If-Match the caller asked for the version it read, so that stays 412
 * (staleIfMatch). Lost document numbers are retried inside each run (retryOnNumberConflict).
 */
export async function rerunOnConcurrentChange(
  req: AuthedReq,
  act: (req: AuthedReq) => Promise<Result>,
): Promise<Result> {
  try {
    return await act(req);
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError) || error instanceof CounterConflictError) throw error;
    const ifMatch = req.header('if-match')?.trim();
    if (ifMatch !== undefined && ifMatch !== '*') throw error;
    logger.info('the act lost to a concurrent change; running it again on the new state');
    return act({ ...req, now: new Date(Math.max(runtimeNow().getTime(), req.now.getTime())) });
  }
}

export type { Caller };
