import type middy from '@middy/core';
import { AppError } from '../domain/errors.ts';
import { cursorSignedWith } from '../http/cursor.ts';
import { faultDetails } from '../store/errors.ts';
import { env } from './config.ts';
import { logger } from './logger.ts';

/**
 * The cursor key: signs list cursors (shared/http/cursor.ts) and keys the public write budget's
 * address hash (shared/http/public-limit.ts). In AWS it lives in Secrets Manager only
 * (CURSOR_KEY_SECRET_ARN names the secret; the value is in no function's environment) and is
 * read at run time; outside AWS (the local server, the tests) CURSOR_SECRET holds it.
 *
 * Only the functions that use the key carry the Secrets Manager client: the key's users
 * (shared/http/paging.ts, audit-query.ts, public-limit.ts) take cursorKeyRing from
 * shared/runtime/secrets-manager.ts, which gives this module its way to read the secret. Every
 * other function runs cursorKeys() as a no-op and bundles no client it never calls.
 *
 * The secret is rotated (functions/rotate-cursor-key): a new value becomes AWSCURRENT and the old
 * one AWSPREVIOUS. New cursors are signed with the current key; a cursor signed with the previous
 * one still verifies, so a cursor handed out just before a rotation stays valid for one rotation
 * period.
 */
export interface KeyRing {
  readonly current: string;
  readonly previous?: string;
}

/** How long a container keeps the ring it read before it reads it again. */
export const KEY_RING_MAX_AGE_MS = 5 * 60 * 1000;
/**
 * A cursor none of the ring's keys signed makes the ring be read again (another container may sign
 * with a key rotated in after this one read its ring), but not within this long of the last read:
 * a stream of forged cursors cannot turn every request into a call to Secrets Manager.
 */
export const KEY_RING_MISS_SPACING_MS = 5 * 1000;
/** After a failed read, with an older ring still in hand, the next try waits this long. */
const RETRY_AFTER_FAILURE_MS = 30 * 1000;

/** 503: the cursor key could not be read from Secrets Manager (logged when it happened). */
export class CursorKeyUnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  constructor() {
    super('unavailable', 'the key that signs list pages could not be read; retry shortly', {
      headers: { 'retry-after': '5' },
    });
  }
}

interface Held {
  ring: KeyRing;
  /** When it was read (ms); with KEY_RING_MAX_AGE_MS, when it is read again. */
  readAt: number;
  /** Not before this (ms) is a failed read tried again. */
  retryAt: number;
}

let held: Held | undefined;
/** The last read failed and no ring is held: the key's users answer 503. */
let failed = false;

/** Reads AWSCURRENT and, when there is one, AWSPREVIOUS of the secret; throws when it cannot. */
export type KeyRingReader = (secretArn: string) => Promise<KeyRing>;
let reader: KeyRingReader | undefined;

/** How the ring is read in AWS (shared/runtime/secrets-manager.ts registers it when imported). */
export function readKeyRingWith(read: KeyRingReader): void {
  reader = read;
}

/** The secret's ARN in AWS; undefined locally and in tests, where CURSOR_SECRET is the key. */
function secretArn(): string | undefined {
  return process.env.CURSOR_KEY_SECRET_ARN || undefined;
}

/**
 * Reads the ring from Secrets Manager when none is held, when the held one is older than
 * KEY_RING_MAX_AGE_MS, or when `force` (a cursor it did not sign). Never throws: a failed read
 * is logged; with an older ring in hand that ring is kept (its keys are valid for weeks), without
 * one the key's users answer 503 (CursorKeyUnavailableError). Nothing to read outside AWS.
 */
export async function loadCursorKeys(options: { force?: boolean; now?: number } = {}): Promise<void> {
  const arn = secretArn();
  if (!arn || !reader) return;
  const now = options.now ?? Date.now();
  if (held && !options.force && now - held.readAt < KEY_RING_MAX_AGE_MS) return;
  if (held && now < held.retryAt) return;
  try {
    held = { ring: await reader(arn), readAt: now, retryAt: now };
    failed = false;
  } catch (error) {
    const fault = faultDetails(error);
    const details = { error: error as Error, ...(fault ? { fault } : {}) };
    if (held) {
      held.retryAt = now + RETRY_AFTER_FAILURE_MS;
      logger.warn('cursor key not read again; the one read before is kept', details);
    } else {
      failed = true;
      logger.error('cursor key unavailable', details);
    }
  }
}

/**
 * The keys, for signing (`current`) and verifying (`current`, then `previous`). Throws
 * CursorKeyUnavailableError (503) when the secret could not be read, and an Error naming the
 * variables when the environment has neither.
 */
export function cursorKeyRing(): KeyRing {
  if (!secretArn()) {
    const key = env().CURSOR_SECRET;
    if (!key) throw new Error('Missing or invalid environment: CURSOR_KEY_SECRET_ARN or CURSOR_SECRET');
    return { current: key };
  }
  if (held) return held.ring;
  if (failed) throw new CursorKeyUnavailableError();
  throw new Error('the cursor key has not been read: the handler must run behind cursorKeys()');
}

/** Both keys of the ring, the current first. */
export function verifyingKeys(ring: KeyRing): string[] {
  return ring.previous === undefined ? [ring.current] : [ring.current, ring.previous];
}

/**
 * Before the handler: the ring, read or still fresh; and when the request carries a cursor that
 * none of its keys signed, read once more (at most once per request, at most every
 * KEY_RING_MISS_SPACING_MS): the cursor may come from a container that already signs with a key
 * rotated in after this one read its ring. A cursor that still fails is the handler's 400.
 */
export function cursorKeys<
  E extends { queryStringParameters?: Record<string, string | undefined> | null },
  R,
>(): middy.MiddlewareObj<E, R> {
  return {
    before: async (request) => {
      if (!secretArn()) return;
      const now = Date.now();
      await loadCursorKeys({ now });
      const cursor = request.event?.queryStringParameters?.cursor;
      if (!held || typeof cursor !== 'string' || cursorSignedWith(cursor, verifyingKeys(held.ring))) return;
      if (now - held.readAt >= KEY_RING_MISS_SPACING_MS) await loadCursorKeys({ force: true, now });
    },
  };
}

/** For tests: forget the ring and the failure, as a new container would. */
export function forgetCursorKeys(): void {
  held = undefined;
  failed = false;
}
