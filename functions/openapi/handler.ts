import { open } from '../../shared/http/api.ts';
import { openapiDocument } from '../../shared/http/openapi-document.ts';
import { json } from '../../shared/http/respond.ts';

/** GET /openapi.json: generated from the zod schemas that validate requests. */
export const handler = open(async () =>
  json(200, openapiDocument(), { 'cache-control': 'public, max-age=300' }),
);
