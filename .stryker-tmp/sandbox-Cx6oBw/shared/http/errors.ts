// @ts-nocheck
import { AppError } from '../domain/errors.ts';

/** 401: no token, or one the API does not accept. */
export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  constructor(detail: string) {
    super('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

/** 412: If-Match names a version that is no longer current. */
export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly title = 'Precondition failed';
}

/** 413: the body is larger than the API accepts. */
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
}

/** 415: the body is not JSON. */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
}
