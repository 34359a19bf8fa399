/**
 * Locally the server issues an act's document before it answers the act, as the sweep does for
 * deemed acceptances: the next act on the same application (the demo loader's, a script's, a quick
 * official's) never collides with the system's `issue_document` event and gets 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableLocalDocuments, enableLocalDocuments, localDocumentsIdle } from '../../local/documents.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { act, beijing, draft, ok } from './helpers/scenario.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
  enableLocalDocuments(stack.baseUrl);
});
afterAll(async () => {
  disableLocalDocuments();
  await localDocumentsIdle();
  await stack?.stop();
});

interface Listed {
  items: { kind: string; sha256?: string; pending?: boolean }[];
}

describe('local documents', () => {
  it('are stored by the time the act that issued them answers, so the next act does not collide', async () => {
    await stack.setNow(beijing('2026-03-02', '09:00'));
    const id = await draft(stack);
    await ok(stack, id, 'submit', 'applicant');
    await ok(stack, id, 'accept', 'clerk');
    // No waiting: listed as stored at once.
    const listed = await stack.request<Listed>('GET', `/applications/${id}/documents`, { as: 'clerk' });
    expect(listed.json.items).toEqual([
      expect.objectContaining({ kind: 'ACCEPTANCE_NOTICE', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    // Acts straight after, as the demo loader makes them.
    expect((await act(stack, id, 'start_review', 'reviewer')).status).toBe(200);
    // The proposal waits for the acceptance notice's comment period (03-03..03-09).
    await stack.setNow(beijing('2026-03-10', '09:00'));
    const proposed = await act(stack, id, 'propose_decision', 'reviewer', {
      proposal: 'approve',
      conditions: ['窑炉烟气颗粒物排放浓度不高于 30 mg/m³'],
    });
    expect(proposed.status, proposed.text).toBe(200);
  });
});
