import { AppError, ConflictError } from '../domain/errors.ts';

/**
 * 503: DynamoDB is throttling or failing, or could not be reached; the client should retry after
 * a moment. `fault` is what DynamoDB (or the network) said, for the log, never for the client.
 */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  readonly fault: unknown;
  constructor(detail: string, retryAfterSeconds = 1, fault?: unknown) {
    super('unavailable', detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
    this.fault = fault;
  }
}

/**
 * 409: a concurrent change won (a condition of the write failed, or DynamoDB saw another
 * transaction on the same item). `staleVersion`: it was the application's version condition, so
 * a request whose If-Match named the version it read has a stale tag now (the API answers 412).
 */
export class ConcurrentChangeError extends ConflictError {
  readonly staleVersion: boolean;
  constructor(detail: string, staleVersion: boolean) {
    super('concurrent-change', detail);
    this.staleVersion = staleVersion;
  }
}

/** Run one DynamoDB call; its failure comes out as the API's error (see mapDynamoError). */
export async function send<T>(run: () => Promise<T>, idempotencyIndex?: number): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw mapDynamoError(error, idempotencyIndex);
  }
}

/** The idempotency record's condition failed: another request with the same key won. */
export class IdempotencyRaceError extends Error {}

/** Cancellation reasons of a transaction that mean "too much traffic": retrying later succeeds. */
const throttleReasons = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
/**
 * Cancellation reasons that are our bug, not a passing fault (an invalid request, an item over
 * 400 KB, an item collection over 10 GB): retrying cannot help, so they stay 500s, and are logged.
 */
const permanentReasons = new Set(['ValidationError', 'ItemCollectionSizeLimitExceeded']);

/** Error names the SDK gives throttling (also when the class is not the modeled one). */
const throttleNames = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);
/** Timeouts: the SDK's request/connection timeout, DynamoDB's own. */
const timeoutNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** Node's network failures: reset, refused, broken pipe, timed out, unreachable, DNS. */
const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_HTTP2_STREAM_ERROR',
]);

/**
 * The SDK's errors, told apart by name, not class: this module is imported by every function
 * (through shared/http/api.ts) and must not pull the DynamoDB client into the ones that have none.
 */
interface SdkErrorLike {
  name?: unknown;
  CancellationReasons?: { Code?: string; Message?: string }[];
  code?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
}

const asObject = (error: unknown): SdkErrorLike | undefined =>
  typeof error === 'object' && error !== null ? (error as SdkErrorLike) : undefined;

const named = (error: unknown, name: string): boolean => asObject(error)?.name === name;

function cancellationReasons(error: unknown): string[] {
  return (asObject(error)?.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

function isThrottling(error: unknown): boolean {
  const e = asObject(error);
  if (!e) return false;
  return (
    throttleNames.has(String(e.name)) ||
    e.$retryable?.throttling === true ||
    e.$metadata?.httpStatusCode === 429
  );
}

/** A timeout or a network failure, here or in what it wraps (DynamoDB's and S3's alike). */
export function isUnreachable(error: unknown, depth = 0): boolean {
  const e = asObject(error);
  if (!e || depth > 5) return false;
  return (
    timeoutNames.has(String(e.name)) ||
    networkCodes.has(String(e.code)) ||
    (e.cause !== undefined && isUnreachable(e.cause, depth + 1))
  );
}

/** DynamoDB answered with a 5xx (InternalServerError, ServiceUnavailable, ...). */
function isServerFault(error: unknown): boolean {
  const e = asObject(error);
  if (!e) return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return e.name === 'InternalServerError' || e.$fault === 'server' || status >= 500;
}

const concurrentChange = (staleVersion: boolean) =>
  new ConcurrentChangeError(
    'the application was changed by another request at the same time; reload it and retry',
    staleVersion,
  );

/**
 * DynamoDB's failures as the API's errors. `idempotencyIndex` is the position of the idempotency
 * record in the transaction, if there is one; the application is always at position 0.
 *
 * - The idempotency record's condition failed: IdempotencyRaceError (the caller answers with the
 *   winner's response).
 * - ValidationError / ItemCollectionSizeLimitExceeded among the reasons, or any other error not
 *   named here: unchanged, so it is logged with its details and answered with a bare 500.
 * - Throttling (as an error or a cancellation reason), DynamoDB's 5xx, timeouts and network
 *   failures: 503 with Retry-After. They pass; the SDK has already retried them (maxAttempts).
 * - A condition failed, or a transaction conflict: 409 (a concurrent change won: "the
 *   loser gets 409", docs/reliability.md); a failed version condition on the application is marked `staleVersion`,
 *   which the API answers with 412 when the request sent If-Match.
 * - Cancelled for no reason we know: 503 (nothing was written; a retry is safe).
 */
export function mapDynamoError(error: unknown, idempotencyIndex?: number): unknown {
  if (named(error, 'TransactionCanceledException')) {
    const reasons = cancellationReasons(error);
    if (idempotencyIndex !== undefined && reasons[idempotencyIndex] === 'ConditionalCheckFailed') {
      return new IdempotencyRaceError('idempotency key taken');
    }
    if (reasons.some((r) => permanentReasons.has(r))) return error;
    if (reasons.some((r) => throttleReasons.has(r)))
      return new ServiceUnavailableError('DynamoDB is throttling; retry shortly', 1, error);
    if (reasons.includes('ConditionalCheckFailed'))
      return concurrentChange(reasons[0] === 'ConditionalCheckFailed');
    if (reasons.includes('TransactionConflict')) return concurrentChange(false);
    return new ServiceUnavailableError(
      `the change could not be written (${reasons.join(', ') || 'no reason given'}); nothing was changed, retry`,
      1,
      error,
    );
  }
  if (named(error, 'TransactionConflictException')) return concurrentChange(false);
  if (isThrottling(error))
    return new ServiceUnavailableError('DynamoDB is throttling; retry shortly', 1, error);
  if (isUnreachable(error))
    return new ServiceUnavailableError('the database did not answer in time; retry shortly', 1, error);
  if (isServerFault(error))
    return new ServiceUnavailableError('the database had an internal error; retry shortly', 1, error);
  return error;
}

/**
 * What the log should say about a DynamoDB failure: its name, code, HTTP status, request id,
 * attempts made, and for a cancelled transaction every reason with its message (which names, say,
 * the item that was too large). Undefined for an error that is not the SDK's.
 */
export function faultDetails(error: unknown): Record<string, unknown> | undefined {
  const e = asObject(error);
  if (!e) return undefined;
  const meta = e.$metadata;
  const details: Record<string, unknown> = {};
  if (e.name !== undefined) details.name = e.name;
  if (e.code !== undefined) details.code = e.code;
  if (meta?.httpStatusCode !== undefined) details.httpStatusCode = meta.httpStatusCode;
  if (meta?.requestId !== undefined) details.awsRequestId = meta.requestId;
  if (meta?.attempts !== undefined) details.attempts = meta.attempts;
  if (meta?.totalRetryDelay !== undefined) details.totalRetryDelayMs = meta.totalRetryDelay;
  if (e.name === 'TransactionCanceledException') {
    details.cancellationReasons = (e.CancellationReasons ?? []).map((r) => ({
      code: r.Code ?? 'None',
      ...(r.Message ? { message: r.Message } : {}),
    }));
  }
  return meta === undefined && e.code === undefined ? undefined : details;
}

/**
 * 409 until retried: another act took the number this one read (the counter's condition failed,
 * the application's did not). The act is decided again on the counter's new value
 * (shared/http/numbered.ts); nothing was written.
 */
export class CounterConflictError extends ConcurrentChangeError {
  constructor() {
    super('another act took the document number this one read; retry', false);
  }
}

/**
 * The transaction's failure as a CounterConflictError when it was the counter at `counterIndex`
 * that failed (and not the application at 0); anything else unchanged, for mapDynamoError.
 */
export function counterConflict(error: unknown, counterIndex: number | undefined): unknown {
  if (counterIndex === undefined || !named(error, 'TransactionCanceledException')) return error;
  const reasons = cancellationReasons(error);
  const counter = reasons[counterIndex];
  if (reasons[0] === 'ConditionalCheckFailed') return error;
  return counter === 'ConditionalCheckFailed' || counter === 'TransactionConflict'
    ? new CounterConflictError()
    : error;
}

/**
 * 409 until retried: an upload record the act marks stored changed after the act read it (its
 * malware scan's result came in between). Retried like a lost document number: the act runs again
 * and reads the records again (shared/http/numbered.ts); nothing was written.
 */
export class UploadChangedError extends CounterConflictError {
  constructor() {
    super();
    this.message = 'an upload record changed while the act checked it (its scan result came in); retry';
  }
}

/**
 * The transaction's failure as an UploadChangedError when one of the upload records' Puts (items
 * `from` to `to` - 1) failed and the application's did not; anything else unchanged.
 */
export function uploadConflict(error: unknown, from: number, to: number): unknown {
  if (from >= to || !named(error, 'TransactionCanceledException')) return error;
  const reasons = cancellationReasons(error);
  if (reasons[0] === 'ConditionalCheckFailed') return error;
  return reasons.slice(from, to).some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict')
    ? new UploadChangedError()
    : error;
}
