import { open } from '../../shared/http/api.ts';
import document from '../../shared/http/generated/openapi.json' with { type: 'json' };
import { json } from '../../shared/http/respond.ts';

/**
 * GET /openapi.json: generated from the zod schemas that validate requests, at build time
 * (`npm run docs`; a unit test fails when the file is stale), so this bundle carries no zod.
 */
export const handler = open(async () => json(200, document, { 'cache-control': 'public, max-age=300' }));
