import { checkAgainstDigests } from '../../shared/domain/audit-digest.ts';
import { verifyTrail } from '../../shared/domain/audit-verify.ts';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { notFound } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore, getDigestStore } from '../../shared/runtime/clients.ts';
import { isUuid } from '../../shared/schemas/common.ts';

/**
 * GET /audit/applications/{id}/verify: recompute the chain over every stored event and replay it
 * against the stored application; `{ ok, events, firstBrokenSeq?, reason?, headHash, digested }`.
 * Then the daily digests that name the application: every (seq, hash) they recorded must still be
 * in the trail (so a trail rewritten wholesale, hashes and all, is caught), and an application gone
 * together with its whole trail but named by a digest is `ok: false, reason: 'trail deleted'`
 * rather than a 404. Finding those digests is a filtered Query over the DIGEST partition: one item
 * per day digested, whatever the size of the table.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const id = req.params.id ?? '';
  if (!isUuid(id)) throw notFound(id);
  // The trail and the digests that name it are independent reads: both at once.
  const [{ stored, trail }, mentions] = await Promise.all([
    getAuditStore().snapshot(id),
    getDigestStore().mentionsOf(id),
  ]);
  const checkedAt = req.now.toISOString();
  if (!stored && trail.length === 0) {
    const last = mentions.reduce<(typeof mentions)[number] | undefined>(
      (a, m) => (a && a.seq >= m.seq ? a : m),
      undefined,
    );
    if (!last) throw notFound(id);
    return json(200, {
      applicationId: id,
      ok: false,
      events: 0,
      firstBrokenSeq: 1,
      reason: 'trail deleted',
      detail: `neither the application nor any event is stored, but the digest of ${last.day} recorded it at seq ${last.seq}`,
      digested: mentions.length,
      lastDigested: last,
      checkedAt,
    });
  }
  const result = verifyTrail({ applicationId: id, trail, ...(stored ? { stored } : {}) });
  const hashes = new Map(trail.map(({ position, event }) => [position, event.hash]));
  // A break in the chain itself comes first; the digests are checked on an otherwise sound trail.
  const against = result.ok ? checkAgainstDigests(mentions, (seq) => hashes.get(seq)) : undefined;
  return json(200, {
    applicationId: id,
    ...result,
    ...(against ? { ok: false, ...against } : {}),
    digested: mentions.length,
    checkedAt,
  });
});
