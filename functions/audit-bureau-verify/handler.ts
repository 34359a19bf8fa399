import { verifyBureau } from '../../shared/domain/bureau.ts';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { json } from '../../shared/http/respond.ts';
import { getBureauStore } from '../../shared/runtime/clients.ts';

/**
 * GET /audit/bureau/verify: recompute the bureau's chain (every admin change: calendar,
 * configuration, staff) and report the first broken link; `{ ok, events, firstBrokenSeq?,
 * reason?, headHash, checkedAt }`. One Query over the stream's partition and the head item.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const { head, trail } = await getBureauStore().trail();
  return json(200, { stream: 'bureau', ...verifyBureau(trail, head), checkedAt: req.now.toISOString() });
});
