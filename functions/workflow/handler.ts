import { open } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { workflowDocument } from '../../shared/http/workflow-document.ts';

/** GET /workflow: the workflow definition and the bureau's settings, for anyone. */
export const handler = open(async () =>
  json(200, workflowDocument(), { 'cache-control': 'public, max-age=300' }),
);
