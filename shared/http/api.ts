import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { AppError, ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Caller } from '../domain/types.ts';
import { logContext, logger } from '../runtime/logger.ts';
import { now } from '../runtime/now.ts';
import { wantsChinese } from '../schemas/issue-words.ts';
import { faultDetails, ServiceUnavailableError } from '../store/errors.ts';
import { callerFrom } from './auth.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import { problem, type Result } from './respond.ts';

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

export const MAX_BODY_BYTES = 64 * 1024;

/** What a handler gets: the parsed parts of the request, never the raw event. */
export interface Req {
  event: Event;
  requestId: string;
  now: Date;
  params: Record<string, string>;
  query: Record<string, string>;
  header(name: string): string | undefined;
  /** The JSON body; undefined when there is none. */
  body: unknown;
  /** The caller's address as API Gateway saw it (the TCP peer, not X-Forwarded-For); '' if none. */
  sourceIp: string;
}
export interface AuthedReq extends Req {
  caller: Caller;
}

function parseBody(event: Event): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      'body-too-large',
      `the body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} are accepted`,
    );
  }
  const type = event.headers?.['content-type'];
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaTypeError('not-json', `content-type must be application/json, not ${type}`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`Malformed JSON: ${(error as Error).message}`, [
      ruleIssue('', 'not valid JSON', 'json'),
    ]);
  }
}

function toReq(event: Event): Req {
  const headers = event.headers ?? {};
  return {
    event,
    requestId: event.requestContext.requestId,
    now: now(),
    params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, v ?? ''])),
    query: Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => [k, v ?? '']),
    ),
    header: (name) => headers[name.toLowerCase()],
    body: parseBody(event),
    sourceIp: event.requestContext?.http?.sourceIp ?? '',
  };
}

/** 500: our fault, never the client's; the detail says nothing about the cause. */
class InternalError extends AppError {
  readonly status = 500;
  readonly title = 'Internal error';
}

/**
 * Every error leaves as problem+json; anything unexpected is logged (with what DynamoDB said) and
 * becomes a bare 500. A 503 for a DynamoDB fault is logged as a warning.
 */
const problems = (): middy.MiddlewareObj<Event, Result> => ({
  onError: async (request) => {
    const { error } = request;
    const instance = request.event.rawPath;
    const zh = wantsChinese(request.event.headers?.['accept-language']);
    if (error instanceof AppError) {
      if (error instanceof ServiceUnavailableError) {
        logger.warn('database unavailable', { fault: faultDetails(error.fault) });
      }
      request.response = problem(error, instance, zh);
      return;
    }
    const fault = faultDetails(error);
    logger.error('unhandled error', { error: error as Error, ...(fault ? { fault } : {}) });
    request.response = problem(
      new InternalError('internal', 'something went wrong on our side; it has been logged'),
      instance,
      zh,
    );
  },
});

/**
 * API Gateway's request id (the one in the access log, the audit events and a client's report) on
 * every line logged during the request, next to Lambda's own (logContext), which differs from it.
 */
const requestIdInLogs = (): middy.MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const requestId = request.event.requestContext?.requestId;
    if (requestId) logger.appendKeys({ requestId });
  },
});

/** A route that needs a signed-in caller. */
export function authed(fn: (req: AuthedReq) => Promise<Result>) {
  return middy<Event, Result, Error, Context>()
    .use(logContext())
    .use(requestIdInLogs())
    .use(problems())
    .handler(async (event) => {
      const caller = callerFrom(event);
      return fn({ ...toReq(event), caller });
    });
}

/** A public route. */
export function open(fn: (req: Req) => Promise<Result>) {
  return middy<Event, Result, Error, Context>()
    .use(logContext())
    .use(requestIdInLogs())
    .use(problems())
    .handler(async (event) => fn(toReq(event)));
}
