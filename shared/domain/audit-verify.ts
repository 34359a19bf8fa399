import canonicalize from 'canonicalize';
import { firstBrokenLink, GENESIS, hashEvent } from './audit-chain.ts';
import { applyChanges } from './replay.ts';
import type { Application, AuditEvent } from './types.ts';

/** One stored event: its place in the trail (from its key) and its body. */
export interface StoredEvent {
  readonly position: number;
  readonly event: AuditEvent;
}

export interface VerifyInput {
  readonly applicationId: string;
  /** The application item without its keys, and the head hash it records; absent if it is gone. */
  readonly stored?: { readonly app: Application; readonly headHash: string };
  /** Every stored event of the application, in key order. */
  readonly trail: readonly StoredEvent[];
}

export interface VerifyResult {
  ok: boolean;
  /** How many events are stored. */
  events: number;
  /** The first seq that is missing, moved, altered or inconsistent; absent when the break is not in the trail. */
  firstBrokenSeq?: number;
  reason?: string;
  /** The hash of the last stored event (GENESIS for an empty trail): what a digest records. */
  headHash: string;
  /** The version the application item claims, when there is one. */
  applicationVersion?: number;
}

/**
 * Checks, in this order, and reports the first failure: every seq from 1 is stored where it should
 * be and names its application; each prevHash is the hash before it and each hash is recomputed
 * from the event; the application item's version and headHash are the trail's last (so deleting
 * or rewriting the newest event is seen); replaying the events rebuilds the stored application.
 */
export function verifyTrail(input: VerifyInput): VerifyResult {
  const { applicationId, stored, trail } = input;
  const last = trail.at(-1)?.event;
  const base: VerifyResult = {
    ok: true,
    events: trail.length,
    headHash: last?.hash ?? GENESIS,
    ...(stored ? { applicationVersion: stored.app.version } : {}),
  };
  const broken = (firstBrokenSeq: number | undefined, reason: string): VerifyResult => ({
    ...base,
    ok: false,
    ...(firstBrokenSeq === undefined ? {} : { firstBrokenSeq }),
    reason,
  });

  const link = firstBrokenLink(trail, hashEvent, (event, seq) =>
    event.applicationId === applicationId
      ? undefined
      : `the event stored as seq ${seq} belongs to application ${event.applicationId}`,
  );
  if (link) return broken(link.seq, link.reason);

  if (!stored) return broken(undefined, `the application item is missing, but ${trail.length} events remain`);
  const version = stored.app.version;
  const n = trail.length;
  if (n === 0) return broken(1, `the trail is empty, but the application is at version ${version}`);
  if (version > n)
    return broken(n + 1, `the application is at version ${version}, but the trail ends at seq ${n}`);
  if (version < n) return broken(version + 1, `the trail goes on past the application's version ${version}`);
  if (stored.headHash !== last?.hash)
    return broken(n, `the application's headHash is not the hash of seq ${n}, its newest event`);

  let app: Application | undefined;
  for (const { event } of trail) {
    if ((app?.state ?? null) !== event.from)
      return broken(
        event.seq,
        `seq ${event.seq} starts from ${event.from}, but the state was ${app?.state ?? 'none'}`,
      );
    app = applyChanges(app, event);
  }
  const differing = differingFields(app, stored.app);
  if (differing.length > 0)
    return broken(
      undefined,
      `the stored application differs from its replayed trail in: ${differing.join(', ')}`,
    );
  return base;
}

/** Top-level fields whose canonical JSON differs (undefined and absent are the same). */
function differingFields(a: object | undefined, b: object): string[] {
  const left = (a ?? {}) as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const names = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return names.filter((name) => canonicalize(left[name]) !== canonicalize(right[name]));
}
