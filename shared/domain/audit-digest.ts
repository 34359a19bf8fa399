import { GENESIS, hashCanonical } from './audit-chain.ts';
import type { BureauHead, StoredBureauEvent } from './bureau.ts';

/** One application's newest event of a day: what the day's digest records for it. */
export interface DigestEntry {
  applicationId: string;
  seq: number;
  hash: string;
}

/**
 * The daily digest of a UTC day: the head hash of every application with events that day, sorted
 * by applicationId, chained to the previous day's digest. Every day gets one, even a day without
 * events (an empty list), so the chain has no gaps: consecutive days, each linked to the one before.
 */
export interface Digest {
  /** UTC day, YYYY-MM-DD: the same days as the audit day index. */
  day: string;
  applications: DigestEntry[];
  count: number;
  /**
   * The bureau stream's head at the end of the day: the seq and hash of its newest event on or
   * before that day. Absent while the stream was empty, and in digests written before it was recorded.
   */
  bureau?: BureauHead;
  /** The previous day's digest hash; GENESIS for the first digest. */
  prevHash: string;
  /** SHA-256 over the RFC 8785 canonical JSON of the digest without `hash`. */
  hash: string;
}

export function hashDigest(digest: Omit<Digest, 'hash'>): string {
  return hashCanonical(digest, 'digest');
}

/** The newest event of each application among a day's events, sorted by applicationId. */
export function headsOf(events: Iterable<DigestEntry>): DigestEntry[] {
  const heads = new Map<string, DigestEntry>();
  for (const { applicationId, seq, hash } of events) {
    const seen = heads.get(applicationId);
    if (!seen || seq > seen.seq) heads.set(applicationId, { applicationId, seq, hash });
  }
  return [...heads.values()].sort((a, b) =>
    a.applicationId < b.applicationId ? -1 : a.applicationId > b.applicationId ? 1 : 0,
  );
}

/** A day's digest, linked to the one before it (undefined: this is the first). */
export function sealDigest(
  day: string,
  events: Iterable<DigestEntry>,
  previous?: Pick<Digest, 'hash'>,
  bureau?: BureauHead,
): Digest {
  const applications = headsOf(events);
  const unsigned = {
    day,
    applications,
    count: applications.length,
    ...(bureau ? { bureau: { seq: bureau.seq, hash: bureau.hash } } : {}),
    prevHash: previous?.hash ?? GENESIS,
  };
  return { ...unsigned, hash: hashDigest(unsigned) };
}

/** A bureau event as the digests read it: its seq, hash and time. */
export interface BureauMark {
  seq: number;
  hash: string;
  at: string;
}

/**
 * The bureau stream's head at the end of a UTC day: the highest seq whose event is of that day or
 * earlier, among `tail` (the stream read back from its newest event to, at least, the newest event
 * on or before that day). Undefined when no event is that old.
 */
export function bureauHeadAsOf(tail: readonly BureauMark[], day: string): BureauHead | undefined {
  let found: BureauMark | undefined;
  for (const mark of tail) if (mark.at.slice(0, 10) <= day && (!found || mark.seq > found.seq)) found = mark;
  return found ? { seq: found.seq, hash: found.hash } : undefined;
}

/**
 * Whether the bureau stream still holds what a digest recorded of it: at least `digest.bureau.seq`
 * events, that one with the recorded hash. So deleting the newest events and rewinding the head with
 * them, which leaves a sound chain, is seen. `trail` is the stored stream in seq order.
 */
export function checkBureauAgainstDigest(
  trail: readonly StoredBureauEvent[],
  digest: Pick<Digest, 'day' | 'bureau'>,
): { firstBrokenSeq: number; reason: string } | undefined {
  const recorded = digest.bureau;
  if (!recorded) return undefined;
  const n = trail.length;
  if (n < recorded.seq)
    return {
      firstBrokenSeq: n + 1,
      reason: `the digest of ${digest.day} recorded the stream up to seq ${recorded.seq}, but it ends at seq ${n}`,
    };
  if (trail[recorded.seq - 1]?.event.hash !== recorded.hash)
    return {
      firstBrokenSeq: recorded.seq,
      reason: `the hash of seq ${recorded.seq} is not the one recorded in the digest of ${digest.day}`,
    };
  return undefined;
}

/** The UTC day after `day`. */
export function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export type DigestChainCheck = { chainOk: true } | { chainOk: false; firstBrokenDay: string; reason: string };

/**
 * Checks a run of digests, newest first (as listed): each hash recomputed from its contents, each
 * prevHash the hash of the day before, the days consecutive. `older` is the digest just before the
 * oldest one given (null: the oldest given is the first digest of all, so it links to GENESIS;
 * undefined: not known, that link is not checked).
 */
export function verifyDigests(newestFirst: readonly Digest[], older?: Digest | null): DigestChainCheck {
  const broken = (day: string, reason: string): DigestChainCheck => ({
    chainOk: false,
    firstBrokenDay: day,
    reason,
  });
  const ascending = [...newestFirst].reverse();
  // Oldest first, so that the first break reported is the earliest.
  for (const [i, digest] of ascending.entries()) {
    const { hash, ...unsigned } = digest;
    const before = i === 0 ? older : ascending[i - 1];
    if (before === null && digest.prevHash !== GENESIS)
      return broken(digest.day, `the first digest's prevHash is not the genesis value`);
    if (before) {
      if (dayAfter(before.day) !== digest.day)
        return broken(digest.day, `the digest before ${digest.day} is of ${before.day}: days are missing`);
      if (digest.prevHash !== before.hash)
        return broken(digest.day, `prevHash of ${digest.day} is not the hash of ${before.day}`);
    }
    if (digest.count !== digest.applications.length)
      return broken(digest.day, `the count of ${digest.day} is not the number of its applications`);
    if (hashDigest(unsigned) !== hash)
      return broken(digest.day, `hash of ${digest.day} does not match its contents`);
  }
  return { chainOk: true };
}

/**
 * Whether a trail holds every (seq, hash) that the digests recorded for its application: the first
 * seq that is missing or differs, in seq order. `hashAt(seq)` is the stored event's hash.
 */
export function checkAgainstDigests(
  mentions: readonly (DigestEntry & { day: string })[],
  hashAt: (seq: number) => string | undefined,
): { firstBrokenSeq: number; reason: string } | undefined {
  const sorted = [...mentions].sort((a, b) => a.seq - b.seq);
  for (const m of sorted) {
    const stored = hashAt(m.seq);
    if (stored === undefined)
      return {
        firstBrokenSeq: m.seq,
        reason: `seq ${m.seq}, recorded in the digest of ${m.day}, is not in the trail`,
      };
    if (stored !== m.hash)
      return {
        firstBrokenSeq: m.seq,
        reason: `the hash of seq ${m.seq} is not the one recorded in the digest of ${m.day}`,
      };
  }
  return undefined;
}
