import { checkVersionMatch, requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { PreconditionFailedError } from '../../shared/http/errors.ts';
import { json } from '../../shared/http/respond.ts';
import { recordBureauChange } from '../../shared/runtime/bureau.ts';
import { configRecordId, currentConfig, forgetConfig } from '../../shared/runtime/workflow-config.ts';
import { parseWorkflowConfig } from '../../shared/schemas/config.ts';
import { ConcurrentChangeError } from '../../shared/store/errors.ts';

/**
 * PUT /admin/config: the whole configuration → the next `configVersion`. Validated first (400 for
 * a malformed field, 422 for a rule across fields, each naming the field; nothing stored), then
 * the version and its `set_config` event in the bureau stream in one transaction. A version is
 * written once and never changed: applications submitted under the one before keep it. If-Match
 * "<configVersion>" guards against overwriting another admin's change (412); so does the write
 * itself, which fails when the next version exists (412 with If-Match, else 409).
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const config = parseWorkflowConfig(req.body);
  const before = await currentConfig({ fresh: true });
  checkVersionMatch(req.header('if-match'), before.configVersion, 'the configuration’s');
  const configVersion = before.configVersion + 1;
  const at = req.now.toISOString();
  try {
    const event = await recordBureauChange({
      action: 'set_config',
      actor: { id: req.caller.id, role: 'admin', name: req.caller.name },
      at,
      subject: `config/${configVersion}`,
      payload: { configVersion },
      changes: { before: { configVersion: before.configVersion, ...before.config }, after: config },
      requestId: req.requestId,
      record: {
        kind: 'config',
        id: configRecordId(configVersion),
        version: 1,
        body: { ...config },
        updatedAt: at,
        updatedBy: req.caller.id,
      },
    });
    forgetConfig();
    return json(
      200,
      { configVersion, config, updatedAt: at, updatedBy: req.caller.id, event },
      { etag: `"${configVersion}"` },
    );
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError)) throw error;
    // Another admin's version was written after the check: 412 with If-Match (the tag is stale
    // now), else 409, as on the application routes.
    const ifMatch = req.header('if-match')?.trim();
    if (error.staleVersion && ifMatch && ifMatch !== '*') {
      throw new PreconditionFailedError(
        'stale-version',
        `If-Match ${ifMatch} no longer names the current version: version ${configVersion} was set by another request first`,
      );
    }
    throw new ConcurrentChangeError(
      `configuration version ${configVersion} was set by another request at the same time; reload it and retry`,
      error.staleVersion,
    );
  }
});
