/**
 * Recusal in the work queues (GET /applications?queue=mine) against DynamoDB Local: an official
 * whose organisation (orgCode) owns a case may not act on it (conflict-of-interest), so the case is
 * not in their queue, while a colleague without that tie sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

let stack: LocalStack;
let id = '';

const orgCode = users.applicant.orgCode ?? '';
/** Officials who also belong to the applicant's organisation. */
const ownOrgClerk: TokenSubject = { sub: 'recusal-clerk', name: '同单位窗口', groups: ['clerk'], orgCode };
const ownOrgReviewer: TokenSubject = {
  sub: 'recusal-reviewer',
  name: '同单位审查',
  groups: ['reviewer'],
  orgCode,
};

async function queueIds(as: TokenSubject | 'clerk' | 'reviewer'): Promise<string[]> {
  const res = await stack.request<{ items: { id: string }[] }>('GET', '/applications?queue=mine&limit=50', {
    as,
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((i) => i.id);
}

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02'));
  id = await draft(stack, 'REPORT_FORM', '回避测试项目');
  await ok(stack, id, 'submit', 'applicant');
});
afterAll(async () => {
  await stack?.stop();
});

describe('queue=mine leaves out the cases an official must recuse from', () => {
  it('a clerk of the applicant organisation does not see its submission; another clerk does', async () => {
    expect(orgCode).not.toBe('');
    expect(await queueIds('clerk')).toContain(id);
    expect(await queueIds(ownOrgClerk)).not.toContain(id);
  });

  it('after acceptance, a reviewer of that organisation does not see it; another reviewer does', async () => {
    await ok(stack, id, 'accept', 'clerk');
    expect(await queueIds('reviewer')).toContain(id);
    expect(await queueIds(ownOrgReviewer)).not.toContain(id);
    // And they could not have acted on it: the queue agrees with the rule.
    const refused = await stack.request<{ type: string }>(
      'POST',
      `/applications/${id}/actions/start_review`,
      {
        as: ownOrgReviewer,
        body: {},
      },
    );
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.type).toMatch(/\/conflict-of-interest$/);
  });
});
