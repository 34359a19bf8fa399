// @ts-nocheck
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

/** Recompute a trail's links; the first broken seq, if any. */
export function verifyChain(
  events: readonly AuditEvent[],
): { ok: true } | { ok: false; firstBrokenSeq: number; reason: string } {
  let prev = GENESIS;
  for (const [i, event] of events.entries()) {
    const { hash, ...rest } = event;
    if (event.seq !== i + 1) return { ok: false, firstBrokenSeq: i + 1, reason: `seq ${i + 1} is missing` };
    if (event.prevHash !== prev)
      return { ok: false, firstBrokenSeq: event.seq, reason: 'prevHash does not match the previous event' };
    if (hashEvent(rest) !== hash)
      return { ok: false, firstBrokenSeq: event.seq, reason: 'hash does not match the event' };
    prev = hash;
  }
  return { ok: true };
}
