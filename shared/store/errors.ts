import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { AppError, ConflictError } from '../domain/errors.ts';

/** 503: DynamoDB is throttling or failing; the client should retry after a moment. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  constructor(detail: string, retryAfterSeconds = 1) {
    super('unavailable', detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
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

const throttleReasons = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/**
 * DynamoDB's failures as the API's errors. `idempotencyIndex` is the position of the idempotency
 * record in the transaction, if there is one.
 */
export function mapDynamoError(error: unknown, idempotencyIndex?: number): unknown {
  if (error instanceof TransactionCanceledException) {
    const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    if (idempotencyIndex !== undefined && reasons[idempotencyIndex] === 'ConditionalCheckFailed') {
      return new IdempotencyRaceError('idempotency key taken');
    }
    // A request DynamoDB finds invalid is our bug, not a passing fault: no "retry" for it.
    if (reasons.includes('ValidationError')) return error;
    if (reasons.some((r) => throttleReasons.has(r)))
      return new ServiceUnavailableError('DynamoDB is throttling; retry shortly');
    if (reasons.includes('ConditionalCheckFailed') || reasons.includes('TransactionConflict')) {
      return new ConflictError(
        'concurrent-change',
        'the application was changed by someone else at the same time; reload and retry',
      );
    }
    return new ServiceUnavailableError(`the change could not be written (${reasons.join(', ')}); retry`);
  }
  if (error instanceof TransactionConflictException) {
    return new ConflictError(
      'concurrent-change',
      'the application is being changed by another request; retry',
    );
  }
  if (
    error instanceof ProvisionedThroughputExceededException ||
    error instanceof ThrottlingException ||
    error instanceof RequestLimitExceeded
  ) {
    return new ServiceUnavailableError('DynamoDB is throttling; retry shortly');
  }
  if (error instanceof InternalServerError)
    return new ServiceUnavailableError('DynamoDB had an internal error; retry');
  return error;
}
