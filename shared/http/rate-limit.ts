import { AppError } from '../domain/errors.ts';

/**
 * Per-caller rate limits: one token bucket per caller (the JWT `sub` when signed in, else the
 * source IP). A request takes a token; the bucket holds at most `burst` and refills at
 * `ratePerSecond`; an empty bucket answers 429 with `Retry-After`.
 *
 * Where it runs: the local server, in front of the handlers, as API Gateway sits in front of them
 * in AWS. In AWS the per-caller limits are the firewall's (AWS WAF rate-based rules on the REST
 * API's stage, infra/api-firewall.ts: per token, or per address without one), and API Gateway's
 * stage and method throttling (infra/http-api.ts) counts every caller of a route together. A
 * bucket inside a Lambda execution environment would be a weak second line (each concurrent
 * environment has its own, so a parallel client gets N times the limit), which is why the handlers
 * do not carry one.
 */
export interface RateLimit {
  /** Tokens added per second; a fraction is fine (0.5: one request every 2 s). */
  readonly ratePerSecond: number;
  /** The most a caller may send at once after being idle. */
  readonly burst: number;
}

/**
 * Locally: generous enough that `npm start -- --demo`, the integration and load tests (hundreds of
 * requests by one caller within seconds, 100 at once) pass untouched, yet a runaway loop is
 * stopped; set RATE_LIMIT_RPS / RATE_LIMIT_BURST to see it bite.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { ratePerSecond: 100, burst: 1000 };

/**
 * The public write routes (a comment on a notice), per source address, on top of the limit above:
 * a burst of 120 (a class of students commenting from one school's address; the 100-at-once test)
 * and then one every 5 seconds.
 */
export const PUBLIC_WRITE_RATE_LIMIT: RateLimit = { ratePerSecond: 0.2, burst: 120 };

/** Callers remembered at most; beyond it the idlest are forgotten (and get a full bucket back). */
const MAX_CALLERS = 10_000;

export type Decision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  readonly limit: RateLimit;
  /** Takes one token from the caller's bucket, if it has one. */
  take(caller: string): Decision;
  /** Callers with a bucket in memory. */
  readonly size: number;
}

export interface RateLimiterOptions {
  /** Milliseconds; injectable so that tests move time instead of sleeping. */
  readonly now?: () => number;
  readonly maxCallers?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(limit: RateLimit, options: RateLimiterOptions = {}): RateLimiter {
  checkLimit(limit);
  const clock = options.now ?? Date.now;
  const maxCallers = options.maxCallers ?? MAX_CALLERS;
  // Insertion order is recency order: a caller is moved to the end on every request.
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, t: number) => {
    // A clock moved backwards (POST /local/clock) refills nothing and restarts from there.
    const elapsed = Math.max(0, t - bucket.at);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed / 1000) * limit.ratePerSecond);
    bucket.at = t;
  };

  // The least recently seen caller is the likeliest to be back at a full bucket anyway.
  const forgetIdlest = () => {
    for (const caller of buckets.keys()) {
      if (buckets.size < maxCallers) return;
      buckets.delete(caller);
    }
  };

  return {
    limit,
    get size() {
      return buckets.size;
    },
    take(caller) {
      const t = clock();
      let bucket = buckets.get(caller);
      if (bucket) {
        buckets.delete(caller);
        refill(bucket, t);
      } else {
        forgetIdlest();
        bucket = { tokens: limit.burst, at: t };
      }
      buckets.set(caller, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, remaining: Math.floor(bucket.tokens) };
      }
      const seconds = (1 - bucket.tokens) / limit.ratePerSecond;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
    },
  };
}

function checkLimit(limit: RateLimit): void {
  if (!(Number.isFinite(limit.ratePerSecond) && limit.ratePerSecond > 0))
    throw new RangeError(`ratePerSecond must be a positive number, not ${limit.ratePerSecond}`);
  if (!(Number.isInteger(limit.burst) && limit.burst >= 1))
    throw new RangeError(`burst must be a whole number of at least 1, not ${limit.burst}`);
}

/** Whose bucket a request takes from: the verified `sub`, or the source IP of an anonymous caller. */
export function callerKey(caller: { readonly sub?: string | undefined; readonly sourceIp: string }): string {
  return caller.sub ? `sub:${caller.sub}` : `ip:${caller.sourceIp}`;
}

/**
 * RATE_LIMIT_RPS and RATE_LIMIT_BURST, each defaulting to DEFAULT_RATE_LIMIT's; with only the rate
 * set, the burst is 4 seconds' worth of it. Throws naming a bad variable.
 */
export function rateLimitFromEnv(env: Readonly<Record<string, string | undefined>>): RateLimit {
  const read = (name: string, whole: boolean): number | undefined => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    const ok = Number.isFinite(value) && value > 0 && (!whole || Number.isInteger(value));
    if (!ok) {
      throw new RangeError(
        `${name} must be a ${whole ? 'whole number of at least 1' : 'positive number'}, not ${JSON.stringify(text)}`,
      );
    }
    return value;
  };
  const ratePerSecond = read('RATE_LIMIT_RPS', false);
  const burst = read('RATE_LIMIT_BURST', true);
  return {
    ratePerSecond: ratePerSecond ?? DEFAULT_RATE_LIMIT.ratePerSecond,
    burst:
      burst ??
      (ratePerSecond === undefined ? DEFAULT_RATE_LIMIT.burst : Math.max(1, Math.ceil(ratePerSecond * 4))),
  };
}

/** 429: the caller's bucket is empty; `Retry-After` says in how many whole seconds a token is back. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';
  constructor(limit: RateLimit, retryAfterSeconds: number) {
    super(
      'rate-limited',
      `too many requests from this caller: at most ${limit.ratePerSecond} a second, in bursts of ` +
        `${limit.burst}; retry after ${retryAfterSeconds} s`,
      { headers: { 'retry-after': String(retryAfterSeconds) } },
    );
  }
}
