/** The served /openapi.json and /workflow are the committed files, and those match the code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { handler as openapiHandler } from '../../../functions/openapi/handler.ts';
import { handler as workflowHandler } from '../../../functions/workflow/handler.ts';
import { generated, render } from '../../../scripts/docs.ts';
import { apiEvent, lambdaContext } from '../../support/api-events.ts';

type Served = { statusCode: number; headers: Record<string, string>; body: string };

describe('generated documents', () => {
  for (const [file, build] of Object.entries(generated)) {
    it(`shared/http/generated/${file} is current (else: npm run docs)`, () => {
      const committed = readFileSync(
        new URL(`../../../shared/http/generated/${file}`, import.meta.url),
        'utf8',
      );
      expect(committed).toBe(render(build));
    });
  }

  it('the functions serve them byte for byte, serialised once and not again per request', async () => {
    for (const [handler, route, file] of [
      [openapiHandler, '/openapi.json', 'openapi.json'],
      [workflowHandler, '/workflow', 'workflow.json'],
    ] as const) {
      const committed = readFileSync(
        new URL(`../../../shared/http/generated/${file}`, import.meta.url),
        'utf8',
      );
      const stringify = vi.spyOn(JSON, 'stringify');
      const served: Served[] = [];
      try {
        for (let i = 0; i < 2; i++)
          served.push((await handler(apiEvent({ method: 'GET', route }), lambdaContext)) as Served);
        expect(stringify, route).not.toHaveBeenCalled();
      } finally {
        stringify.mockRestore();
      }
      for (const res of served) {
        expect(res.statusCode, route).toBe(200);
        expect(res.headers['cache-control'], route).toBe('public, max-age=300');
        // The committed file's canonical (compact) serialisation: same document, fewer bytes.
        expect(res.body, route).toBe(JSON.stringify(JSON.parse(committed)));
      }
    }
  });
});
