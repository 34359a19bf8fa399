/** The served /openapi.json and /workflow are the committed files, and those match the code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { handler as openapiHandler } from '../../../functions/openapi/handler.ts';
import { handler as workflowHandler } from '../../../functions/workflow/handler.ts';
import { generated, render } from '../../../scripts/docs.ts';
import { defaultConfig } from '../../../shared/domain/config.ts';
import { currentConfig, forgetConfig } from '../../../shared/runtime/workflow-config.ts';
import type { BureauStore } from '../../../shared/store/ports.ts';
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

  it('/openapi.json is served byte for byte, serialised once and not again per request', async () => {
    const committed = readFileSync(
      new URL('../../../shared/http/generated/openapi.json', import.meta.url),
      'utf8',
    );
    const stringify = vi.spyOn(JSON, 'stringify');
    const served: Served[] = [];
    try {
      for (let i = 0; i < 2; i++)
        served.push(
          (await openapiHandler(
            apiEvent({ method: 'GET', route: '/openapi.json' }),
            lambdaContext,
          )) as Served,
        );
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    for (const res of served) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      // The committed file's canonical (compact) serialisation: same document, fewer bytes.
      expect(res.body).toBe(JSON.stringify(JSON.parse(committed)));
    }
  });

  it('/workflow is the committed file and the current configuration, serialised once per version', async () => {
    const seedOnly: Pick<BureauStore, 'current'> = { current: async () => [] };
    await currentConfig({ fresh: true, store: seedOnly as BureauStore });
    const committed = readFileSync(
      new URL('../../../shared/http/generated/workflow.json', import.meta.url),
      'utf8',
    );
    const stringify = vi.spyOn(JSON, 'stringify');
    const served: Served[] = [];
    try {
      for (let i = 0; i < 2; i++)
        served.push(
          (await workflowHandler(apiEvent({ method: 'GET', route: '/workflow' }), lambdaContext)) as Served,
        );
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      stringify.mockRestore();
      forgetConfig();
    }
    for (const res of served) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      expect(res.body).toBe(JSON.stringify({ ...JSON.parse(committed), ...defaultConfig, configVersion: 1 }));
    }
  });
});
