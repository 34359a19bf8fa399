/**
 * Typed refusals. Each carries its HTTP status and a problem type; the one error handler in
 * shared/http turns them into application/problem+json (RFC 9457).
 */
export interface FieldIssue {
  path: string;
  /** In English; in Chinese when the request asked for it (`Accept-Language: zh`). */
  message: string;
  /**
   * What kind of problem, for a client to word it itself: zod's issue codes (`invalid_type`,
   * `too_big`, `too_small`, `invalid_format`, `invalid_value`, `unrecognized_keys`, `custom`).
   */
  code?: string;
  /** The limits that go with `code` (`maximum`, `minimum`, `origin`, `expected`, `format`, `values` …), never the input. */
  params?: IssueParams;
}

export type IssueParams = Record<string, string | number | boolean | readonly (string | number)[]>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Short slug; the problem `type` is built from it. */
  readonly type: string;
  readonly issues?: FieldIssue[];
  readonly headers?: Record<string, string>;

  constructor(
    type: string,
    detail: string,
    opts: { issues?: FieldIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.type = type;
    if (opts.issues) this.issues = opts.issues;
    if (opts.headers) this.headers = opts.headers;
  }
}

/** 400: the request is malformed or a field is invalid. */
export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  constructor(detail: string, issues: FieldIssue[] = []) {
    super('validation', detail, { issues });
  }
}

/** 403: the caller's role may not do this. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

/** 404: no such thing, or not the caller's to see. */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
}

/** 409: not allowed in the current state, or a concurrent change won. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
}

/** 422: the request is well-formed but breaks a rule of the workflow. */
export class RuleError extends AppError {
  readonly status = 422;
  readonly title = 'Rule broken';
}
