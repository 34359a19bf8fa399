import { firstBrokenLink, GENESIS, hashCanonical } from './audit-chain.ts';
import type { Actor } from './types.ts';

/**
 * The bureau's own audit stream: every change an admin makes to the bureau's data (the calendar,
 * later the configuration and the staff) is one event in a hash chain of its own, apart from the
 * applications' trails. Same rules as an application's trail: seq 1, 2, 3 … gap-free, `prevHash`
 * the hash before it (GENESIS for seq 1), `hash` SHA-256 over the RFC 8785 canonical event without
 * its hash, written in the same transaction as the change it records.
 */
export interface BureauEvent {
  stream: 'bureau';
  seq: number;
  /** What was done, e.g. `set_calendar_year`, `invite_user`, `update_user`. */
  action: string;
  actor: Actor;
  at: string;
  /** What it was done to, e.g. `calendar/2027`, `user/<id>`. */
  subject: string;
  /** The validated request. */
  payload: unknown;
  /** Before and after, enough to tell what changed without another read. */
  changes: Record<string, unknown>;
  requestId: string;
  prevHash: string;
  hash: string;
}

export type UnsignedBureauEvent = Omit<BureauEvent, 'stream' | 'seq' | 'prevHash' | 'hash'>;

/** Where the stream ends: the newest event's seq and hash (0 and GENESIS when empty). */
export interface BureauHead {
  seq: number;
  hash: string;
}

export const emptyHead: BureauHead = { seq: 0, hash: GENESIS };

/** The event that follows `head`. */
export function chainBureauEvent(event: UnsignedBureauEvent, head: BureauHead): BureauEvent {
  const linked = { ...event, stream: 'bureau' as const, seq: head.seq + 1, prevHash: head.hash };
  return { ...linked, hash: hashCanonical(linked, 'bureau event') };
}

/** One stored event: its place in the stream (from its key) and its body. */
export interface StoredBureauEvent {
  position: number;
  event: BureauEvent;
}

export interface BureauVerifyResult {
  ok: boolean;
  events: number;
  firstBrokenSeq?: number;
  reason?: string;
  /** The hash of the newest stored event (GENESIS when none). */
  headHash: string;
}

/**
 * Recomputes the stream and reports the first broken link: every seq from 1 stored where it should
 * be, each prevHash the hash before it, each hash recomputed from its event, and the head item (what
 * the next write links to) naming the newest event, so deleting the newest event is seen too.
 */
export function verifyBureau(trail: readonly StoredBureauEvent[], head: BureauHead): BureauVerifyResult {
  const headHash = trail.at(-1)?.event.hash ?? GENESIS;
  const broken = (firstBrokenSeq: number, reason: string): BureauVerifyResult => ({
    ok: false,
    events: trail.length,
    firstBrokenSeq,
    reason,
    headHash,
  });
  const link = firstBrokenLink(trail, (unsigned) => hashCanonical(unsigned, 'bureau event'));
  if (link) return broken(link.seq, link.reason);
  const n = trail.length;
  if (head.seq > n) return broken(n + 1, `the head names seq ${head.seq}, but the stream ends at seq ${n}`);
  if (head.seq < n) return broken(head.seq + 1, `the stream goes on past the head's seq ${head.seq}`);
  if (head.hash !== headHash) return broken(Math.max(n, 1), `the head's hash is not the hash of seq ${n}`);
  return { ok: true, events: n, headHash };
}
