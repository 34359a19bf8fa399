import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Event } from './api.ts';
import { claimsOfAuthorizerContext } from './auth.ts';
import type { Result } from './respond.ts';

/**
 * In AWS the API is an API Gateway REST API (so that AWS WAF can sit on its stage), whose Lambda
 * proxy integration sends payload format 1.0 events and takes 1.0 results. The handlers, the local
 * server and the tests speak payload format 2.0 (an HTTP API's). These two functions translate at
 * the edge of every API function (shared/http/api.ts): a REST event becomes the 2.0 event an HTTP
 * API would have sent for the same request, and the 2.0 result goes back as a 1.0 result.
 */

/** A payload 1.0 (REST API) event, as opposed to a 2.0 one (which says `version: '2.0'`). */
export function isRestEvent(event: unknown): event is APIGatewayProxyEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  if (e.version === '2.0') return false;
  const context = e.requestContext as Record<string, unknown> | undefined;
  return (
    typeof e.httpMethod === 'string' &&
    typeof e.resource === 'string' &&
    typeof context === 'object' &&
    context !== null &&
    typeof context.resourcePath === 'string'
  );
}

/**
 * The 2.0 event for a REST event, as an HTTP API builds it: header names in lower case with
 * repeated headers joined by commas, cookies taken out of the Cookie header into `cookies`, query
 * parameters decoded with repeated ones joined by commas, the route key from the resource
 * (`GET /applications/{id}`), and the Cognito authorizer's claims where the JWT authorizer puts
 * them (`requestContext.authorizer.jwt.claims`, every value a string; in the china profile those
 * made of the Lambda authorizer's context). A public route has no authorizer, and gets none.
 *
 * The path is the event's `path`: on the execute-api address it is the request's path without the
 * stage (`/applications/…`), as the routes name it; `requestContext.path` has the stage in front
 * (`/api/applications/…`). A REST API hands over the path and the path parameters still
 * percent-encoded (`/public/documents/%E9%86%B4…`), an HTTP API decoded: both are decoded here, so
 * that a document number such as `醴环评〔2026〕17号` reaches the handler as it is written.
 */
export function fromRestEvent(event: APIGatewayProxyEvent): Event {
  const context = event.requestContext;
  const { headers, cookies } = headersOf(event);
  const query = queryOf(event);
  const rawPath = decoded(event.path);
  const routeKey = `${event.httpMethod} ${event.resource}`;
  const domainName = context.domainName ?? headers.host ?? '';
  const claims = claimsOf(context.authorizer);
  const timeEpoch = context.requestTimeEpoch;
  const v2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: query.raw,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(query.parameters && { queryStringParameters: query.parameters }),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName,
      domainPrefix: context.domainPrefix ?? domainName.split('.')[0] ?? '',
      http: {
        method: event.httpMethod,
        path: rawPath,
        protocol: context.protocol ?? 'HTTP/1.1',
        sourceIp: context.identity?.sourceIp ?? '',
        userAgent: context.identity?.userAgent ?? headers['user-agent'] ?? '',
      },
      requestId: context.requestId,
      routeKey,
      stage: context.stage,
      time: context.requestTime ?? clfTime(new Date(timeEpoch)),
      timeEpoch,
      ...(claims && { authorizer: { jwt: { claims, scopes: null } } }),
    },
    ...(event.pathParameters &&
      Object.keys(event.pathParameters).length > 0 && {
        pathParameters: pathParametersOf(event.pathParameters),
      }),
    ...(event.stageVariables && { stageVariables: { ...event.stageVariables } }),
    ...(event.body !== null && event.body !== undefined && { body: event.body }),
    isBase64Encoded: event.isBase64Encoded === true,
  };
  // A public route has no `authorizer`, as with an HTTP API; the type assumes the JWT variant for all.
  return v2 as Event;
}

/**
 * The 1.0 result for a 2.0 one: status, headers, body and isBase64Encoded, and `cookies` as
 * Set-Cookie headers. Nothing else: API Gateway answers 502 to a proxy result with other keys.
 */
export function toRestResult(result: Result | string | undefined | null): APIGatewayProxyResult {
  if (result === undefined || result === null || typeof result !== 'object') {
    // An HTTP API takes a bare value as a 200 JSON body; so does this.
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : '',
      isBase64Encoded: false,
    };
  }
  const cookies = result.cookies ?? [];
  return {
    statusCode: result.statusCode ?? 200,
    headers: { ...(result.headers ?? {}) },
    ...(cookies.length > 0 && { multiValueHeaders: { 'set-cookie': [...cookies] } }),
    body: result.body ?? '',
    isBase64Encoded: result.isBase64Encoded === true,
  };
}

function headersOf(event: APIGatewayProxyEvent): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const multi = event.multiValueHeaders ?? {};
  const names = new Set([...Object.keys(multi), ...Object.keys(event.headers ?? {})]);
  for (const name of names) {
    const values = multi[name] ?? [event.headers?.[name]];
    const lower = name.toLowerCase();
    for (const value of values) {
      if (value === undefined) continue;
      if (lower === 'cookie') {
        cookies.push(
          ...value
            .split(';')
            .map((c) => c.trim())
            .filter((c) => c !== ''),
        );
        continue;
      }
      const previous = headers[lower];
      headers[lower] = previous === undefined ? value : `${previous},${value}`;
    }
  }
  return { headers, cookies };
}

function queryOf(event: APIGatewayProxyEvent): {
  raw: string;
  parameters: Record<string, string> | undefined;
} {
  const multi =
    event.multiValueQueryStringParameters ??
    Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => [k, [v]]));
  const pairs: string[] = [];
  const parameters: Record<string, string> = {};
  for (const [key, values] of Object.entries(multi)) {
    for (const value of values ?? []) {
      if (value === undefined) continue;
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
      const previous = parameters[key];
      parameters[key] = previous === undefined ? value : `${previous},${value}`;
    }
  }
  return {
    raw: pairs.join('&'),
    parameters: Object.keys(parameters).length > 0 ? parameters : undefined,
  };
}

/** Percent-decoded, as an HTTP API decodes; text that is not valid percent-encoding stays as it is. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function pathParametersOf(parameters: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null) out[name] = decoded(value);
  }
  return out;
}

/**
 * The Cognito authorizer's claims as strings; undefined when there is no authorizer or no claims.
 * The china profile's Lambda authorizer (functions/authorizer) gives no claims but its context
 * (`sub`, `name`, `roles`, `orgCode`, beside API Gateway's `principalId`): that becomes the claims
 * under this function's claim names (shared/http/auth.ts), which callerFrom reads.
 */
function claimsOf(authorizer: unknown): Record<string, string> | undefined {
  if (typeof authorizer !== 'object' || authorizer === null) return undefined;
  const claims = (authorizer as { claims?: unknown }).claims;
  if (claims === undefined) return claimsOfAuthorizerContext(authorizer as Record<string, unknown>);
  if (typeof claims !== 'object' || claims === null) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    out[name] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : String(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
