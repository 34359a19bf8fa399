import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type { RouteDef } from '../shared/http/routes.ts';
import type { GatewayClaims } from './tokens.ts';

/** What the server read off the socket, before any API Gateway processing. */
export interface RawRequest {
  readonly method: string;
  /** The request target as sent: path and query string, still percent-encoded. */
  readonly target: string;
  /** Node's rawHeaders: name, value, name, value… in arrival order, duplicates kept. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly httpVersion: string;
  readonly localPort: number;
}

export interface EventInput {
  readonly request: RawRequest;
  readonly route: RouteDef;
  readonly pathParameters: Record<string, string>;
  /** Present on routes with the authorizer. */
  readonly claims?: GatewayClaims;
  readonly requestId: string;
  readonly at: Date;
}

/** Splits the request target into API Gateway's decoded path and raw query string. */
export function splitTarget(target: string): { path: string; rawQueryString: string } {
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQueryString = q === -1 ? '' : target.slice(q + 1);
  // HTTP APIs hand the function (and route on) the percent-decoded path.
  return { path: decodeOrKeep(rawPath), rawQueryString };
}

/**
 * The payload format 2.0 event API Gateway HTTP API would send for this request: lower-case
 * headers with duplicates joined by commas, cookies moved out of the headers, query parameters
 * decoded with duplicates joined by commas, the body as text or, if it is not UTF-8, base64.
 */
export function buildEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request, route, requestId, at } = input;
  const { path, rawQueryString } = splitTarget(request.target);
  const { headers, cookies } = gatewayHeaders(request, at);
  const queryStringParameters = parseQuery(rawQueryString);
  const routeKey = `${route.method} ${route.path}`;
  const domainName = headers.host ?? `localhost:${request.localPort}`;
  const body = encodeBody(request.body);

  const event = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]?.split(':')[0] ?? domainName,
      http: {
        method: request.method,
        path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: clfTime(at),
      timeEpoch: at.getTime(),
      ...(input.claims && { authorizer: { jwt: { claims: input.claims, scopes: null } } }),
    },
    ...(Object.keys(input.pathParameters).length > 0 && { pathParameters: input.pathParameters }),
    ...body,
  };
  // Public routes get no `authorizer`, as in AWS; the handler type assumes the JWT variant for all.
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

function gatewayHeaders(
  request: RawRequest,
  at: Date,
): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  // Set by API Gateway in front of every integration.
  const forwarded = headers['x-forwarded-for'];
  headers['x-forwarded-for'] =
    forwarded === undefined ? request.sourceIp : `${forwarded}, ${request.sourceIp}`;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] =
    `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return { headers, cookies };
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const previous = parameters[key];
    parameters[key] = previous === undefined ? value : `${previous},${value}`;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

function encodeBody(body: Buffer): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `time`: `12/Mar/2020:19:03:58 +0000`. */
function clfTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
}

/** The Lambda context a function would get; only the request id and the deadline matter here. */
export function lambdaContext(fn: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const functionName = `eia-local-${fn}`;
  const unsupported = () => {
    throw new Error('done/fail/succeed are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
