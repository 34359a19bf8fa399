import { checkBureauAgainstDigest } from '../../shared/domain/audit-digest.ts';
import { verifyBureau } from '../../shared/domain/bureau.ts';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { json } from '../../shared/http/respond.ts';
import { getBureauStore, getDigestStore } from '../../shared/runtime/clients.ts';

/**
 * GET /audit/bureau/verify: recompute the bureau's chain (every admin change: calendar,
 * configuration, staff) and report the first broken link; `{ ok, events, firstBrokenSeq?,
 * reason?, headHash, digest?, checkedAt }`. One Query over the stream's partition and the head
 * item; then the newest daily digest that recorded the stream's head (a Query of the DIGEST
 * partition, newest first): the stream must still hold that seq with that hash, so deleting the
 * newest events together with rewinding the head, which leaves a sound chain, is reported too.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  // Independent reads: both at once. The stream only grows, so a digest written meanwhile is covered.
  const [{ head, trail }, digest] = await Promise.all([
    getBureauStore().trail(),
    getDigestStore().latestWithBureau(),
  ]);
  const result = verifyBureau(trail, head);
  // A break in the chain itself comes first; the digest is checked on an otherwise sound stream.
  const against = result.ok && digest ? checkBureauAgainstDigest(trail, digest) : undefined;
  return json(200, {
    stream: 'bureau',
    ...result,
    ...(against ? { ok: false, ...against } : {}),
    ...(digest?.bureau
      ? { digest: { day: digest.day, seq: digest.bureau.seq, hash: digest.bureau.hash } }
      : {}),
    checkedAt: req.now.toISOString(),
  });
});
