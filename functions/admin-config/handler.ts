import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { configVersions } from '../../shared/runtime/workflow-config.ts';

/**
 * GET /admin/config: the current configuration (`configVersion`, `config`, who set it and when)
 * and every version before it, oldest first (version 1 is the shipped seed), for the history and
 * a diff. Read afresh: one Query. The ETag is the current version, for If-Match on PUT.
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const versions = await configVersions();
  const current = versions[versions.length - 1];
  return json(200, { ...current, versions }, { etag: `"${current?.configVersion}"` });
});
