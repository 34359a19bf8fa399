/**
 * Facts frozen by the acceptance notice (docs/workflow.md#rules): once the notice is out, PATCH may
 * not change the project's name, location, industry or investment, nor the applicant's name or
 * code (422 `facts-frozen` naming each field, nothing written); the description, contact and
 * materials may still change. Through the local server, real handlers and DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

interface AppJson {
  version: number;
  project: Record<string, unknown>;
  applicant: Record<string, unknown>;
  acceptance?: { noticePublishedOn: string };
}
interface ProblemJson {
  type: string;
  status: number;
  detail: string;
  issues: { path: string; message: string }[];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const get = async (id: string) =>
  (await stack.request<AppJson>('GET', `/applications/${id}`, { as: 'applicant' })).json;
const patch = (id: string, body: unknown) =>
  stack.request<AppJson & ProblemJson>('PATCH', `/applications/${id}`, { as: 'applicant', body });
const trail = async (id: string) =>
  (
    await stack.request<{ items: { action: string }[] }>('GET', `/applications/${id}/events?limit=100`, {
      as: 'auditor',
    })
  ).json.items.map((e) => e.action);

describe('PATCH after the acceptance notice', () => {
  it('lets the owner change the facts before acceptance', async () => {
    await stack.setNow(beijing('2026-03-02'));
    const id = await draft(stack);
    const res = await patch(id, { project: { name: '陶瓷窑炉改造二期', investmentCny: 2_000_000 } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.project).toMatchObject({ name: '陶瓷窑炉改造二期', investmentCny: 2_000_000 });
  });

  it('refuses 422 facts-frozen naming each field in REVISION_REQUIRED, writes nothing, and still takes other edits', async () => {
    await stack.setNow(beijing('2026-03-02'));
    const id = await draft(stack);
    await ok(stack, id, 'submit', 'applicant');
    await ok(stack, id, 'accept', 'clerk');
    await ok(stack, id, 'start_review', 'reviewer');
    await ok(stack, id, 'request_revision', 'reviewer', {
      items: [{ topic: '选址', detail: '补充选址论证' }],
    });
    const before = await get(id);
    expect(before.acceptance?.noticePublishedOn).toBe('2026-03-02');
    const events = await trail(id);

    const res = await patch(id, {
      project: { name: '另一个项目', location: '株洲市', industry: '陶瓷', investmentCny: 9_000_000 },
      applicant: { orgName: '另一家公司', contactName: '李四' },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.type).toMatch(/\/facts-frozen$/);
    // industry is restated unchanged ('陶瓷'): no issue for it.
    expect(res.json.issues.map((i) => i.path)).toEqual([
      'project.name',
      'project.location',
      'project.investmentCny',
      'applicant.orgName',
    ]);
    expect(res.json.detail).toContain('2026-03-02');
    const after = await get(id);
    expect(after.version).toBe(before.version);
    expect(after.project).toEqual(before.project);
    expect(await trail(id)).toEqual(events);

    const allowed = await patch(id, {
      project: { description: '补充了选址论证' },
      applicant: { contactName: '李四', contactPhone: '13900001111' },
    });
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.json.project).toEqual({ ...before.project, description: '补充了选址论证' });
    expect(allowed.json.applicant).toMatchObject({ contactName: '李四', contactPhone: '13900001111' });

    // The published acceptance notice and the application still name the same project (the seen bug).
    const notices = await stack.request<{ items: Record<string, unknown>[] }>(
      'GET',
      '/public/notices?limit=100',
    );
    const notice = notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
    expect(notice).toMatchObject({
      projectName: allowed.json.project.name,
      location: allowed.json.project.location,
      industry: allowed.json.project.industry,
      orgName: allowed.json.applicant.orgName,
    });
  });
});
