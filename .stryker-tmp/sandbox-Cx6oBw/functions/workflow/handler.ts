// @ts-nocheck
import { open } from '../../shared/http/api.ts';
import document from '../../shared/http/generated/workflow.json' with { type: 'json' };
import { JsonText, json } from '../../shared/http/respond.ts';

const body = JsonText.of(document);

/**
 * GET /workflow: the workflow definition and the bureau's settings, for anyone; generated at build
 * time (`npm run docs`; a unit test fails when the file is stale), so this bundle carries no zod.
 * The body is serialised once per cold start, not per request.
 */
export const handler = open(async () => json(200, body, { 'cache-control': 'public, max-age=300' }));
