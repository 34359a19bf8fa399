/**
 * Writes the two public documents, built from the zod schemas and the workflow definition, into
 * shared/http/generated/: the openapi and workflow functions serve these files, so their bundles
 * carry JSON rather than zod's JSON-Schema generator (≈ 48 KB and its load time each).
 * `npm run docs`; tests/unit/scripts/docs.test.ts fails when a file is stale.
 */
// @ts-nocheck

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openapiDocument } from '../shared/http/openapi-document.ts';
import { workflowDocument } from '../shared/http/workflow-document.ts';

export const generated = {
  'openapi.json': openapiDocument,
  'workflow.json': workflowDocument,
} as const;

export function render(build: () => unknown): string {
  return `${JSON.stringify(build(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, build] of Object.entries(generated)) {
    writeFileSync(new URL(`../shared/http/generated/${file}`, import.meta.url), render(build));
    console.log(`shared/http/generated/${file} written`);
  }
}
