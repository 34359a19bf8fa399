import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEvent, UnsignedEvent } from './types.ts';

/** The prevHash of an application's first event. */
export const GENESIS = '0'.repeat(64);

/** SHA-256 (hex) over the RFC 8785 canonical JSON (UTF-8) of a value: events and daily digests. */
export function hashCanonical(value: unknown, what = 'value'): string {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new Error(`${what} cannot be serialised`);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** SHA-256 (hex) over the RFC 8785 canonical JSON of the event without its own hash. */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return hashCanonical(event, 'event');
}

/** Link an event to the one before it. */
export function chain(event: UnsignedEvent, prevHash: string): AuditEvent {
  const linked = { ...event, prevHash };
  return { ...linked, hash: hashEvent(linked) };
}

/** What every chained event carries: its place and the two hashes that link it. */
export interface Link {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The first broken link of a chain read in key order, or undefined: every seq from 1 stored where
 * it should be (`position`, from its key), each prevHash the hash before it, each hash recomputed
 * from the event by `hashOf`; `check` adds a test of its own per event (e.g. whose event it is).
 * The application trails and the bureau stream are both verified with it.
 */
export function firstBrokenLink<E extends Link>(
  trail: readonly { readonly position: number; readonly event: E }[],
  hashOf: (unsigned: Omit<E, 'hash'>) => string,
  check: (event: E, seq: number) => string | undefined = () => undefined,
): { seq: number; reason: string } | undefined {
  let prev = GENESIS;
  for (const [i, { position, event }] of trail.entries()) {
    const seq = i + 1;
    const broken = (reason: string) => ({ seq, reason });
    if (position !== seq) return broken(`seq ${seq} is missing: the next stored event is seq ${position}`);
    if (event.seq !== seq) return broken(`the event stored as seq ${seq} says it is seq ${event.seq}`);
    const own = check(event, seq);
    if (own) return broken(own);
    if (event.prevHash !== prev) return broken(`prevHash of seq ${seq} is not the hash of seq ${seq - 1}`);
    const { hash, ...unsigned } = event;
    if (hashOf(unsigned) !== hash) return broken(`hash of seq ${seq} does not match its contents`);
    prev = hash;
  }
  return undefined;
}

/** Recompute a trail's links (events in seq order); the first broken seq, if any. */
export function verifyChain(
  events: readonly AuditEvent[],
): { ok: true } | { ok: false; firstBrokenSeq: number; reason: string } {
  const broken = firstBrokenLink(
    events.map((event) => ({ position: event.seq, event })),
    hashEvent,
  );
  return broken ? { ok: false, firstBrokenSeq: broken.seq, reason: broken.reason } : { ok: true };
}
