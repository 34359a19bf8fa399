import { S3Failure } from './errors.ts';

/**
 * The documents bucket's CORS rules, applied as S3 applies them (the first rule that matches the
 * origin, the method and every requested header wins). Two rules, as in AWS:
 *
 * 1. the console's origin: PUT (the presigned upload, with its Content-Type and
 *    x-amz-checksum-sha256 headers), GET and HEAD;
 * 2. any origin: GET and HEAD with no extra headers. A presigned GET is its own authorisation, and
 *    a download the console starts at the API arrives at storage through a cross-origin redirect,
 *    where the browser sends `Origin: null`.
 *
 * ETag and Content-Disposition are readable by the page. Pure: the verifying layer asks, this answers.
 */
export interface CorsRule {
  /** '*' for any origin. */
  readonly origins: readonly string[] | '*';
  readonly methods: readonly string[];
  /** Lower-case names of the request headers allowed. */
  readonly headers: readonly string[];
}

export const CORS_ALLOWED_HEADERS = ['content-type', 'x-amz-checksum-sha256'] as const;
export const CORS_EXPOSED_HEADERS = ['ETag', 'Content-Disposition'] as const;
export const CORS_MAX_AGE_SECONDS = 3000;

/** The bucket's rules for these console origins. */
export function corsRules(consoleOrigins: readonly string[]): CorsRule[] {
  return [
    { origins: consoleOrigins, methods: ['PUT', 'GET', 'HEAD'], headers: CORS_ALLOWED_HEADERS },
    { origins: '*', methods: ['GET', 'HEAD'], headers: [] },
  ];
}

function matching(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requested: readonly string[],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      (rule.origins === '*' || rule.origins.includes(origin)) &&
      rule.methods.includes(method) &&
      requested.every((h) => rule.headers.includes(h)),
  );
}

function allowHeaders(rule: CorsRule, origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': rule.origins === '*' ? '*' : origin,
    'access-control-allow-methods': rule.methods.join(', '),
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    ...(rule.origins !== '*' && { 'access-control-allow-credentials': 'true' }),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/**
 * The answer to a preflight (OPTIONS with Origin and Access-Control-Request-Method): the headers
 * to send with 200, or the S3Failure S3 answers (400 without an Origin, 403 when no rule matches).
 */
export function preflight(
  headers: { origin: string | undefined; method: string | undefined; requestHeaders: string | undefined },
  rules: readonly CorsRule[],
): Record<string, string> {
  if (headers.origin === undefined)
    throw new S3Failure(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  if (headers.method === undefined)
    throw new S3Failure(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
  const requested = (headers.requestHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const rule = matching(rules, headers.origin, headers.method, requested);
  if (!rule)
    throw new S3Failure(
      403,
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      { Method: headers.method, ResourceType: 'OBJECT' },
    );
  return {
    ...allowHeaders(rule, headers.origin),
    ...(requested.length > 0 && { 'access-control-allow-headers': requested.join(', ') }),
  };
}

/** Headers added to an actual request's answer (also to a refusal) when a rule allows its Origin. */
export function corsHeaders(
  origin: string | undefined,
  method: string,
  rules: readonly CorsRule[],
): Record<string, string> {
  if (origin === undefined) return {};
  const rule = matching(rules, origin, method, []);
  return rule ? allowHeaders(rule, origin) : {};
}
