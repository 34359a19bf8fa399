import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { S3Failure } from './errors.ts';

/**
 * Signature Version 4 as S3 checks it, for the local store's verifying layer: the canonical request
 * is rebuilt from what was actually sent (method, path, query, the signed headers' values), signed
 * again with the secret key, and compared. Written from the specification rather than with the
 * SDK's signer, so the SDK's own signing is checked against it too (tests/unit/local/s3-sigv4.test.ts).
 *
 * Pure: the caller hands in the request's parts and the clock.
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  /** The query string as sent, without '?'. */
  readonly query: string;
  /** Lower-case names; every value sent under that name, in order. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

export interface Verified {
  readonly mode: 'header' | 'query';
  /** What the payload hash in the signature says: a lower-case hex SHA-256, UNSIGNED-PAYLOAD, STREAMING-…. */
  readonly payloadHash: string;
  readonly signedHeaders: readonly string[];
  readonly accessKeyId: string;
}

/** S3's limit on X-Amz-Expires: seven days. */
export const MAX_EXPIRES_SECONDS = 604_800;
/** S3 refuses a header-signed request dated more than 15 minutes away from its clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const QUERY_AUTH = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;

/**
 * Checks the request's signature; the S3 error it would get otherwise is thrown as S3Failure.
 * Anonymous requests are refused (the documents bucket is private).
 */
export function verifySignature(
  req: SignedRequest,
  credentials: readonly Credentials[],
  now: Date,
): Verified {
  const params = parseQuery(req.query);
  const authorization = req.headers.authorization;
  const inQuery = params.some(([name]) => name === 'X-Amz-Algorithm');
  if (authorization !== undefined && inQuery)
    throw new S3Failure(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  if (inQuery) return verifyQuery(req, params, credentials, now);
  if (authorization !== undefined)
    return verifyHeader(req, params, authorization.join(','), credentials, now);
  throw new S3Failure(403, 'AccessDenied', 'Access Denied');
}

function verifyHeader(
  req: SignedRequest,
  params: readonly (readonly [string, string])[],
  authorization: string,
  credentials: readonly Credentials[],
  now: Date,
): Verified {
  const match =
    /^AWS4-HMAC-SHA256 +Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(
      authorization,
    );
  if (!match) {
    throw new S3Failure(
      400,
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; it must be AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=….',
    );
  }
  const [, credential = '', signedList = '', signature = ''] = match;
  const amzDate = single(req.headers['x-amz-date']);
  if (amzDate === undefined || parseAmzDate(amzDate) === undefined)
    throw new S3Failure(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const payloadHash = single(req.headers['x-amz-content-sha256']);
  if (payloadHash === undefined)
    throw new S3Failure(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  if (!validPayloadHash(payloadHash))
    throw new S3Failure(
      400,
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a valid sha256 value.',
    );
  const signedAt = parseAmzDate(amzDate) as Date;
  if (Math.abs(signedAt.getTime() - now.getTime()) > MAX_SKEW_MS)
    throw new S3Failure(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  const signedHeaders = signedList.split(';');
  requireSigned(req, signedHeaders, ['host']);
  const scope = parseCredential(credential, amzDate, 'AuthorizationHeaderMalformed');
  const secret = secretOf(scope.accessKeyId, credentials);
  const expected = signatureOf(req, params, signedHeaders, payloadHash, amzDate, scope, secret);
  if (!sameHex(expected, signature)) throw signatureMismatch();
  return { mode: 'header', payloadHash, signedHeaders, accessKeyId: scope.accessKeyId };
}

function verifyQuery(
  req: SignedRequest,
  params: readonly (readonly [string, string])[],
  credentials: readonly Credentials[],
  now: Date,
): Verified {
  const value = (name: string) => params.find(([key]) => key === name)?.[1];
  const missing = QUERY_AUTH.filter((name) => value(name) === undefined);
  if (missing.length > 0)
    throw new S3Failure(
      400,
      'AuthorizationQueryParametersError',
      `Query-string authentication version 4 requires the ${QUERY_AUTH.join(', ')} parameters (missing: ${missing.join(', ')}).`,
    );
  if (value('X-Amz-Algorithm') !== ALGORITHM)
    throw new S3Failure(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    );
  const amzDate = value('X-Amz-Date') as string;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined)
    throw new S3Failure(
      400,
      'AuthorizationQueryParametersError',
      "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    );
  const expiresText = value('X-Amz-Expires') as string;
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!Number.isInteger(expires))
    throw new S3Failure(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
  if (expires > MAX_EXPIRES_SECONDS)
    throw new S3Failure(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be less than a week (in seconds) that is; 604800',
    );
  const scope = parseCredential(
    value('X-Amz-Credential') as string,
    amzDate,
    'AuthorizationQueryParametersError',
  );
  const secret = secretOf(scope.accessKeyId, credentials);
  if (now.getTime() > signedAt.getTime() + expires * 1000)
    throw new S3Failure(403, 'AccessDenied', 'Request has expired', {
      'X-Amz-Expires': String(expires),
      Expires: new Date(signedAt.getTime() + expires * 1000).toISOString(),
      ServerTime: now.toISOString(),
    });
  if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS)
    throw new S3Failure(403, 'AccessDenied', 'Request is not valid yet');
  const signedHeaders = (value('X-Amz-SignedHeaders') as string).split(';');
  requireSigned(req, signedHeaders, ['host']);
  // S3 refuses x-amz-* headers that the URL's signature does not cover: nobody may add them.
  const unsigned = Object.keys(req.headers).filter(
    (name) => name.startsWith('x-amz-') && !signedHeaders.includes(name),
  );
  if (unsigned.length > 0)
    throw new S3Failure(
      403,
      'AccessDenied',
      'There were headers present in the request which were not signed',
      {
        HeadersNotSigned: unsigned.join(', '),
      },
    );
  const payloadHash = value('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  const signature = value('X-Amz-Signature') as string;
  const rest = params.filter(([name]) => name !== 'X-Amz-Signature');
  const expected = signatureOf(req, rest, signedHeaders, payloadHash, amzDate, scope, secret);
  if (!sameHex(expected, signature)) throw signatureMismatch();
  return { mode: 'query', payloadHash, signedHeaders, accessKeyId: scope.accessKeyId };
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string, amzDate: string, code: string): Scope {
  const parts = credential.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminal = ''] = parts;
  if (parts.length !== 5 || terminal !== 'aws4_request' || service !== 's3' || !/^\d{8}$/.test(date))
    throw new S3Failure(
      400,
      code,
      `The credential is malformed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/s3/aws4_request", not "${credential}".`,
    );
  if (date !== amzDate.slice(0, 8))
    throw new S3Failure(
      400,
      code,
      `Invalid credential date "${date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`,
    );
  return { accessKeyId, date, region, service };
}

function secretOf(accessKeyId: string, credentials: readonly Credentials[]): string {
  const found = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!found)
    throw new S3Failure(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: accessKeyId,
      },
    );
  return found.secretAccessKey;
}

function requireSigned(
  req: SignedRequest,
  signedHeaders: readonly string[],
  mustSign: readonly string[],
): void {
  for (const name of mustSign) {
    if (!signedHeaders.includes(name))
      throw new S3Failure(403, 'AccessDenied', `The ${name} header must be signed.`);
  }
  // A signed header that was not sent cannot match the value that was signed.
  for (const name of signedHeaders) {
    if (req.headers[name] === undefined) throw signatureMismatch();
  }
}

const signatureMismatch = () =>
  new S3Failure(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

/** The signature of the canonical request built from `req` (exported for the tests). */
export function signatureOf(
  req: SignedRequest,
  params: readonly (readonly [string, string])[],
  signedHeaders: readonly string[],
  payloadHash: string,
  amzDate: string,
  scope: Scope,
  secret: string,
): string {
  const canonical = [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQuery(params),
    `${signedHeaders.map((name) => `${name}:${canonicalValue(req.headers[name] ?? [])}`).join('\n')}\n`,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, scope.date);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  return hmac(key, stringToSign).toString('hex');
}

/** Each path segment decoded and encoded again as RFC 3986 (S3 does not encode twice). */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => rfc3986(safeDecode(segment)))
    .join('/');
}

function canonicalQuery(params: readonly (readonly [string, string])[]): string {
  return params
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalValue(values: readonly string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

/** The query's name/value pairs, decoded (a '+' stays a '+', as S3 reads it). */
export function parseQuery(query: string): [string, string][] {
  if (query === '') return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0
        ? [safeDecode(part), '']
        : [safeDecode(part.slice(0, at)), safeDecode(part.slice(at + 1))];
    });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function validPayloadHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value) || value === 'UNSIGNED-PAYLOAD' || value.startsWith('STREAMING-');
}

function single(values: readonly string[] | undefined): string | undefined {
  return values === undefined ? undefined : values.join(',');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
