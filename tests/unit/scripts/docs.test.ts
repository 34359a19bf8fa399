/** The served /openapi.json and /workflow are the committed files, and those match the code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handler as openapiHandler } from '../../../functions/openapi/handler.ts';
import { handler as workflowHandler } from '../../../functions/workflow/handler.ts';
import { generated, render } from '../../../scripts/docs.ts';
import { apiEvent, lambdaContext } from '../../support/api-events.ts';

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

  it('the functions serve them', async () => {
    for (const [handler, route, build] of [
      [openapiHandler, '/openapi.json', generated['openapi.json']],
      [workflowHandler, '/workflow', generated['workflow.json']],
    ] as const) {
      const res = (await handler(apiEvent({ method: 'GET', route }), lambdaContext)) as {
        statusCode: number;
        body: string;
      };
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toEqual(JSON.parse(render(build)));
    }
  });
});
