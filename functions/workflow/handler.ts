import { open } from '../../shared/http/api.ts';
import document from '../../shared/http/generated/workflow.json' with { type: 'json' };
import { JsonText, json } from '../../shared/http/respond.ts';
import { currentConfig } from '../../shared/runtime/workflow-config.ts';

let cached: { configVersion: number; body: JsonText } | undefined;

/**
 * GET /workflow: the workflow definition, generated at build time (`npm run docs`; a unit test
 * fails when the file is stale), so this bundle carries no zod; and the bureau's current
 * configuration (`configVersion`, materials, limits, periods), read at run time
 * (shared/runtime/workflow-config.ts, cached a minute). Serialised once per version.
 */
export const handler = open(async () => {
  const { configVersion, config } = await currentConfig();
  if (cached?.configVersion !== configVersion) {
    cached = { configVersion, body: JsonText.of({ ...document, ...config, configVersion }) };
  }
  return json(200, cached.body, { 'cache-control': 'public, max-age=60' });
});
