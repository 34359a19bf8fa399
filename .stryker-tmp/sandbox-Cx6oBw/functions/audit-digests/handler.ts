// @ts-nocheck
import * as z from 'zod/mini';
import { verifyDigests } from '../../shared/domain/audit-digest.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { getDigestStore } from '../../shared/runtime/clients.ts';

/** A real day: 2026-03-32 is no Date at all (and toISOString would throw), 2026-02-30 rolls over. */
const isDay = (s: string) => {
  const at = Date.parse(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(at) && new Date(at).toISOString().startsWith(s);
};
const DayParam = z.optional(z.string().check(z.refine(isDay, 'must be a UTC day, YYYY-MM-DD')));

const Query = z.strictObject({ from: DayParam, to: DayParam, limit: LimitParam, cursor: CursorParam });

/**
 * GET /audit/digests: the sweeper's daily digests of head hashes, newest first, paged; days are UTC
 * days (`from`, `to` inclusive). `chainOk` says whether the page's digests are intact and chained:
 * each hash recomputed, each prevHash the hash of the day before (the oldest one's checked against
 * the digest before the page, or the genesis value for the first), no day missing; when not,
 * `firstBrokenDay` and `reason` name the earliest break. One Query on the DIGEST partition (two when
 * the page ends at `from`).
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const q = parseQuery(Query, req.query);
  if (q.from !== undefined && q.to !== undefined && q.from > q.to)
    throw new ValidationError('Invalid query string: from', [
      { path: 'from', message: 'must not be after to' },
    ]);
  const fingerprint = JSON.stringify(['audit-digests', q.from, q.to]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  if (startKey && (startKey.pk !== 'DIGEST' || typeof startKey.sk !== 'string' || !isDay(startKey.sk)))
    throw new ValidationError('Invalid cursor', [
      { path: 'cursor', message: 'not a cursor from this query' },
    ]);
  const page = await getDigestStore().page({
    limit: pageLimit(q.limit),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(startKey ? { startKey } : {}),
  });
  return json(200, {
    ...pageBody(page.digests, page.lastKey, fingerprint),
    ...verifyDigests(page.digests, page.older),
  });
});
