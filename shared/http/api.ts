import middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import { AppError, ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Caller } from '../domain/types.ts';
import { logContext, logger } from '../runtime/logger.ts';
import { now } from '../runtime/now.ts';
import { cursorKeys } from '../runtime/secrets.ts';
import { wantsChinese } from '../schemas/issue-words.ts';
import { faultDetails, ServiceUnavailableError } from '../store/errors.ts';
import { callerFrom } from './auth.ts';
import { consoleOrigin, withCors } from './cors.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import { problem, type Result } from './respond.ts';
import { fromRestEvent, isRestEvent, toRestResult } from './rest-event.ts';

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

/**
 * What Lambda calls for every API route. In AWS the API is a REST API: the event is payload 1.0 and
 * so must the answer be; the local server and the tests send 2.0 events and get 2.0 answers.
 */
export interface ApiHandler {
  (event: Event, context: Context): Promise<Result>;
  (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult>;
}

/**
 * The outermost layer, around everything else: a REST (1.0) event becomes the 2.0 event the rest
 * of the function reads (shared/http/rest-event.ts) before anything reads it; every answer, an
 * error's too, gets the console's CORS headers (shared/http/cors.ts); and, the very last step, a
 * REST event's answer goes back as a 1.0 result. A 2.0 event passes through as it came.
 */
function atEdge(inner: (event: Event, context: Context) => Promise<Result>): ApiHandler {
  const edge = async (event: Event | APIGatewayProxyEvent, context: Context) => {
    const rest = isRestEvent(event);
    const v2 = rest ? fromRestEvent(event) : (event as Event);
    let result: Result;
    try {
      result = await inner(v2, context);
    } catch (error) {
      // problems() answers every error; this is for a fault in the middleware itself.
      logger.error('unhandled error outside the handler', { error: error as Error });
      result = problem(new InternalError('internal', 'something went wrong on our side; it has been logged'));
    }
    const answer = {
      ...result,
      headers: withCors(result.headers ?? {}, v2.headers?.origin, consoleOrigin(v2.stageVariables)),
    };
    return rest ? toRestResult(answer) : answer;
  };
  return edge as ApiHandler;
}

/** A route that needs a signed-in caller. */
export function authed(fn: (req: AuthedReq) => Promise<Result>): ApiHandler {
  const inner = middy<Event, Result, Error, Context>()
    .use(logContext())
    .use(requestIdInLogs())
    .use(problems())
    .use(cursorKeys())
    .handler(async (event) => {
      const caller = callerFrom(event);
      return fn({ ...toReq(event), caller });
    });
  return atEdge(inner);
}

/** A public route. */
export function open(fn: (req: Req) => Promise<Result>): ApiHandler {
  const inner = middy<Event, Result, Error, Context>()
    .use(logContext())
    .use(requestIdInLogs())
    .use(problems())
    .use(cursorKeys())
    .handler(async (event) => fn(toReq(event)));
  return atEdge(inner);
}
