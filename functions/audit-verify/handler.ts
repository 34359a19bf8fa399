import { verifyTrail } from '../../shared/domain/audit-verify.ts';
import { authed } from '../../shared/http/api.ts';
import { requireAuditor } from '../../shared/http/audit-query.ts';
import { notFound } from '../../shared/http/command.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore } from '../../shared/runtime/clients.ts';

/**
 * GET /audit/applications/{id}/verify: recompute the chain over every stored event and replay it
 * against the stored application; `{ ok, events, firstBrokenSeq?, reason?, headHash }`.
 * An application gone together with its whole trail is a 404 here: only a daily digest of head
 * hashes (not built yet) can show that it once existed.
 */
export const handler = authed(async (req) => {
  requireAuditor(req.caller);
  const id = req.params.id ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw notFound(id);
  const { stored, trail } = await getAuditStore().snapshot(id);
  if (!stored && trail.length === 0) throw notFound(id);
  return json(200, {
    applicationId: id,
    ...verifyTrail({ applicationId: id, trail, ...(stored ? { stored } : {}) }),
    checkedAt: req.now.toISOString(),
  });
});
