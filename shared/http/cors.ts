/**
 * CORS for the console, answered by the functions: behind the REST API (Lambda proxy) API Gateway
 * adds nothing to a function's answer, so every answer of every API function carries these headers
 * itself, the errors included. Preflight (OPTIONS) requests never reach a function; API Gateway
 * answers them.
 */

/** The headers a script of the console may read; the same list the preflight answer names. */
export const EXPOSED_HEADERS = [
  'etag',
  'location',
  'idempotent-replayed',
  'content-disposition',
  'x-next-cursor',
  'retry-after',
] as const;

/**
 * The console's origin: in AWS the REST API stage's variable `consoleOrigin` (a stage variable, not
 * a function's environment, so that the functions and the API do not depend on the console's
 * distribution, whose security headers name the API), else `CONSOLE_ORIGIN` from the environment;
 * undefined locally, where the console comes from the API's own origin. Read on each call: tests
 * may change it.
 */
export function consoleOrigin(
  stageVariables?: Readonly<Record<string, string | undefined>> | null,
): string | undefined {
  const value = (stageVariables?.consoleOrigin ?? process.env.CONSOLE_ORIGIN)?.trim().replace(/\/+$/, '');
  return value ? value : undefined;
}

/**
 * The CORS headers of an answer to a request from `requestOrigin` (its Origin header): the origin
 * allowed back, and the headers the console may read, only when it is exactly the console's origin
 * (`allowedOrigin`); never `*`, and nothing for any other origin or when no console origin is set.
 * `vary: Origin` comes whenever an origin is configured, so that a cache never hands one origin's
 * answer to another.
 */
export function corsHeaders(
  requestOrigin: string | undefined,
  allowedOrigin: string | undefined,
): Record<string, string> {
  if (!allowedOrigin) return {};
  if (requestOrigin === undefined || requestOrigin !== allowedOrigin) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': allowedOrigin,
    'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
    vary: 'Origin',
  };
}

/**
 * `headers` with the CORS headers added: a `vary` already there (e.g. Accept-Language) keeps its
 * names and gains Origin.
 */
export function withCors(
  headers: Record<string, string>,
  requestOrigin: string | undefined,
  allowedOrigin: string | undefined,
): Record<string, string> {
  const cors = corsHeaders(requestOrigin, allowedOrigin);
  if (Object.keys(cors).length === 0) return headers;
  const out: Record<string, string> = {};
  let vary: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'vary') vary = vary.concat(String(value).split(','));
    else out[name] = value;
  }
  for (const [name, value] of Object.entries(cors)) {
    if (name === 'vary') vary.push(value);
    else out[name] = value;
  }
  const names = new Map<string, string>();
  for (const v of vary.map((n) => n.trim()).filter(Boolean)) {
    if (!names.has(v.toLowerCase())) names.set(v.toLowerCase(), v);
  }
  out.vary = [...names.values()].join(', ');
  return out;
}
