import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

/**
 * API Gateway HTTP API (payload format 2.0) events for calling handlers directly, as the JWT
 * authorizer would hand them over: header names in lower case, and every claim a string — an
 * array claim such as cognito:groups arrives as "[applicant clerk]".
 */
export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Claims = Record<string, string>;

export interface User {
  sub: string;
  name: string;
  groups: readonly string[];
  orgCode?: string;
}

/** The claims the authorizer passes for `user`. */
export function claimsOf(user: User): Claims {
  return {
    sub: user.sub,
    name: user.name,
    'cognito:groups': `[${user.groups.join(' ')}]`,
    ...(user.orgCode ? { 'custom:orgCode': user.orgCode } : {}),
    iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_test',
    token_use: 'id',
  };
}

export interface EventInput {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as API Gateway knows it, e.g. `/applications/{id}`. */
  route: string;
  /** The path as requested; defaults to the route with the path parameters filled in. */
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A value is sent as JSON; a string is sent exactly as it is. */
  body?: unknown;
  /** Omit for a request without a token (no authorizer context at all). */
  user?: User;
  claims?: Claims;
}

let counter = 0;

export function apiEvent(input: EventInput): Event {
  const pathParameters = input.pathParameters ?? {};
  const rawPath =
    input.path ?? input.route.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? `{${name}}`);
  const body =
    input.body === undefined
      ? undefined
      : typeof input.body === 'string'
        ? input.body
        : JSON.stringify(input.body);
  const headers: Record<string, string> = {
    host: 'api.example.test',
    'user-agent': 'vitest',
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  const claims = input.claims ?? (input.user ? claimsOf(input.user) : undefined);
  const query = input.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const requestId = `req-${++counter}`;
  const routeKey = `${input.method} ${input.route}`;
  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: {
        method: input.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: '10/Jun/2025:02:00:00 +0000',
      timeEpoch: 1749520800000,
      ...(claims
        ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } }
        : {}),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
  return event as Event;
}

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:test',
  memoryLimitInMB: '512',
  awsRequestId: 'lambda-request',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'stream',
} as Context;

export interface Response {
  statusCode: number;
  headers: Record<string, string>;
  /** The raw body as sent. */
  raw: string;
  /** The body parsed as JSON; loosely typed because tests read whatever the contract says is there. */
  body: any;
}

type Handler = (event: Event, context: Context) => Promise<unknown>;

/** Call a handler as Lambda would and parse its JSON answer. */
export async function invoke(handler: Handler, event: Event): Promise<Response> {
  const result = (await handler(event, lambdaContext)) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
  };
  const raw = result.body ?? '';
  return {
    statusCode: result.statusCode,
    headers: result.headers ?? {},
    raw,
    body: raw ? JSON.parse(raw) : undefined,
  };
}
