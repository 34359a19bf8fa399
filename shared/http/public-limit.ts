import { createHmac } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../domain/errors.ts';
import { getDocumentClient } from '../runtime/clients.ts';
import { env } from '../runtime/config.ts';
import { cursorKeyRing } from '../runtime/secrets-manager.ts';
import { mapDynamoError } from '../store/errors.ts';
import { limitKey } from '../store/keys.ts';
import type { Req } from './api.ts';

/**
 * The public write budget: how many comments and hearing requests one source address may send in
 * a fixed window, all public write routes together (docs/http-api.md#public-write-limit).
 *
 * Why in the functions too: in AWS the firewall (AWS WAF on the REST API's stage,
 * infra/api-firewall.ts) holds each address to the same numbers before any function runs, and
 * API Gateway's throttling counts every caller of a route together. The functions' count is the
 * second line, exact where WAF's is approximate, and the same locally. Each public write function
 * first counts the request in the table: one conditional UpdateItem (ADD 1, on the condition that the
 * count is under the limit) on an item named by a keyed SHA-256 of the address and the window.
 * The address itself is never stored; the item expires by TTL a day after its window. Over the
 * limit the update fails its condition, nothing is written, and the caller gets 429 with
 * Retry-After (the seconds until the window ends). The same code runs locally against DynamoDB
 * Local, behind the local server's own token bucket (shared/http/rate-limit.ts).
 */
export interface PublicWriteLimit {
  /** Requests one address may send in one window. */
  readonly requests: number;
  /** The window's length, in seconds; windows start at multiples of it (Unix time). */
  readonly windowSeconds: number;
}

/**
 * Locally, when the environment sets none: high enough that the integration and end-to-end tests
 * (one address, 100 comments at once, more on the next notices) never meet it, so the local token
 * bucket (PUBLIC_WRITE_RATE_LIMIT) is the one that bites there. Each stage sets its own in AWS
 * (infra/stage-settings.ts publicWriteLimit).
 */
export const LOCAL_PUBLIC_WRITE_LIMIT: PublicWriteLimit = { requests: 1000, windowSeconds: 600 };

/** How long after its window a counter is kept: TTL deletes lazily, and a day costs nothing. */
const KEEP_SECONDS = 24 * 60 * 60;

/**
 * PUBLIC_WRITE_LIMIT (requests per window) and PUBLIC_WRITE_WINDOW_SECONDS, each defaulting to
 * LOCAL_PUBLIC_WRITE_LIMIT's. Throws naming a bad variable.
 */
export function publicWriteLimitFromEnv(
  vars: Readonly<Record<string, string | undefined>>,
): PublicWriteLimit {
  const read = (name: string, fallback: number): number => {
    const text = vars[name]?.trim();
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`${name} must be a whole number of at least 1, not ${JSON.stringify(text)}`);
    return value;
  };
  return {
    requests: read('PUBLIC_WRITE_LIMIT', LOCAL_PUBLIC_WRITE_LIMIT.requests),
    windowSeconds: read('PUBLIC_WRITE_WINDOW_SECONDS', LOCAL_PUBLIC_WRITE_LIMIT.windowSeconds),
  };
}

/** An embedded IPv4 address (the last 32 bits of an IPv6 one) as its two 16-bit groups, in hex. */
function ipv4Groups(dotted: string): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

/**
 * The address as it is counted: an IPv4 address as it is (also when written IPv4-mapped,
 * ::ffff:a.b.c.d, so that such callers are not all one); an IPv6 address by its /64, the block
 * one subscriber is given (counting each of its addresses apart would be no limit at all).
 */
export function countedAddress(sourceIp: string): string {
  const ip = sourceIp.trim().toLowerCase();
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.replace(/%.*$/, '').split('::');
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ipv4Groups(g) : [g]));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all =
    tail === undefined
      ? front
      : [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  const value = all.map((g) => Number.parseInt(g, 16) || 0);
  if (value.length === 8 && value.slice(0, 5).every((v) => v === 0) && value[5] === 0xffff) {
    const [hi = 0, lo = 0] = value.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  const prefix = all.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  while (prefix.length < 4) prefix.push('0');
  return `${prefix.join(':')}::/64`;
}

/** The window `now` falls in: its start and end, in Unix seconds. */
export function windowOf(now: Date, limit: PublicWriteLimit): { start: number; end: number } {
  const seconds = Math.floor(now.getTime() / 1000);
  const start = seconds - (seconds % limit.windowSeconds);
  return { start, end: start + limit.windowSeconds };
}

/**
 * The counter's name: HMAC-SHA-256 keyed with the deployment's secret over the window and the
 * address. Without the secret nobody can tell from the table which address sent what (an IPv4
 * address hashed without a secret is found by trying all 2³² of them), and two windows of the
 * same address cannot be linked to each other. The secret is the current cursor key
 * (shared/runtime/secrets.ts): when it is rotated, the counts of the window in progress start again
 * from zero under new names, so around a rotation (while containers move to the new key, at most
 * five minutes) an address may get up to one window's budget more, once a rotation period.
 */
export function counterHash(secret: string, address: string, windowStart: number): string {
  return createHmac('sha256', secret).update(`public-write-limit\n${windowStart}\n${address}`).digest('hex');
}

export type PublicWriteDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Counts one request of `sourceIp` at `now`: one UpdateItem, ADD 1 on the condition that the count
 * is below the limit. A failed condition is the answer "over the limit" (and writes nothing); any
 * other failure comes out as the API's error (503 for a throttled or unreachable table).
 */
export async function countPublicWrite(
  doc: DynamoDBDocumentClient,
  options: { table: string; secret: string; limit: PublicWriteLimit },
  sourceIp: string,
  now: Date,
): Promise<PublicWriteDecision> {
  const { table, secret, limit } = options;
  const window = windowOf(now, limit);
  const hash = counterHash(secret, countedAddress(sourceIp), window.start);
  try {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: limitKey(hash),
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'removeAfter' },
        ExpressionAttributeValues: { ':one': 1, ':max': limit.requests, ':ttl': window.end + KEEP_SECONDS },
      }),
    );
    return { allowed: true };
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') {
      const left = window.end - now.getTime() / 1000;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(left)) };
    }
    throw mapDynamoError(error);
  }
}

/** 429: this address has used its public write budget for the window. */
export class TooManyPublicWritesError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';
  constructor(limit: PublicWriteLimit, retryAfterSeconds: number) {
    const minutes = limit.windowSeconds / 60;
    const span = Number.isInteger(minutes) ? `${minutes} minutes` : `${limit.windowSeconds} seconds`;
    super(
      'too-many-requests',
      `this address has sent ${limit.requests} comments or hearing requests within ${span}, the most ` +
        `accepted; nothing was stored: retry after ${retryAfterSeconds} s`,
      { headers: { 'retry-after': String(retryAfterSeconds) } },
    );
  }
}

let configured: PublicWriteLimit | undefined;

/**
 * The first call of every public write handler: counts the request against its source address's
 * budget, and throws TooManyPublicWritesError (429, Retry-After) once the budget is spent, before
 * anything is read or written.
 *
 *   export const handler = open(async (req) => {
 *     await limitPublicWrite(req);
 *     …
 */
export async function limitPublicWrite(req: Pick<Req, 'sourceIp' | 'now'>): Promise<void> {
  configured ??= publicWriteLimitFromEnv(process.env);
  const decision = await countPublicWrite(
    getDocumentClient(),
    { table: env().TABLE_NAME, secret: cursorKeyRing().current, limit: configured },
    req.sourceIp,
    req.now,
  );
  if (!decision.allowed) throw new TooManyPublicWritesError(configured, decision.retryAfterSeconds);
}
