/**
 * What the public and the decision are told about comments, through the local server, the real
 * handlers, DynamoDB Local and the local S3 store: each notice's `commentCount` (in the list and on
 * the notice), the proposed decision's `hearingRequestsOpenUntil`, and the approval PDF, whose
 * public comments line says 2 received and 2 considered after two comments were answered.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableLocalDocuments, enableLocalDocuments, localDocumentsIdle } from '../../local/documents.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok } from './helpers/scenario.ts';

interface NoticeJson {
  noticeId: string;
  applicationId: string;
  kind: string;
  commentCount?: number;
  hearingRequestsOpenUntil?: string;
}

/** poppler's pdftotext, as tests/unit/shared/documents/render.test.ts uses it. */
const poppler = spawnSync('pdftotext', ['-v']).error === undefined;

let stack: LocalStack;
const folder = mkdtempSync(join(tmpdir(), 'eia-counts-'));
beforeAll(async () => {
  stack = await startLocalStack();
  enableLocalDocuments(stack.baseUrl);
});
afterAll(async () => {
  disableLocalDocuments();
  await localDocumentsIdle();
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function noticesOf(id: string): Promise<NoticeJson[]> {
  const res = await stack.request<{ items: NoticeJson[] }>('GET', '/public/notices?limit=100');
  expect(res.status, res.text).toBe(200);
  return res.json.items.filter((n) => n.applicationId === id);
}
async function notice(id: string, kind: string): Promise<{ listed: NoticeJson; detail: NoticeJson }> {
  const listed = (await noticesOf(id)).find((n) => n.kind === kind);
  if (!listed) throw new Error(`no ${kind} notice of ${id}`);
  const res = await stack.request<NoticeJson>(
    'GET',
    `/public/notices/${encodeURIComponent(listed.noticeId)}`,
  );
  expect(res.status, res.text).toBe(200);
  return { listed, detail: res.json };
}

describe('comments counted for the public and in the decision', () => {
  let id = '';

  it('counts the comments on the notice they answer, in the list and on the notice', async () => {
    await stack.setNow(beijing('2026-03-02', '09:00'));
    id = await draft(stack, 'REPORT_FORM', '醴陵市釉料车间改造项目（计数）');
    await ok(stack, id, 'submit', 'applicant');
    await stack.setNow(beijing('2026-03-03'));
    await ok(stack, id, 'accept', 'clerk');
    await stack.setNow(beijing('2026-03-04'));
    await ok(stack, id, 'start_review', 'reviewer');

    const before = await notice(id, 'ACCEPTANCE');
    expect(before.listed.commentCount).toBe(0);
    expect(before.detail.commentCount).toBe(0);
    expect(before.detail.hearingRequestsOpenUntil).toBeUndefined();

    await stack.setNow(beijing('2026-03-05'));
    for (const body of [
      { text: '请说明釉料粉尘的收集方式', name: '刘建国', contact: 'liuwei@x' },
      { text: '夜间是否生产？' },
    ]) {
      const res = await stack.request(
        'POST',
        `/public/notices/${encodeURIComponent(before.listed.noticeId)}/comments`,
        {
          body,
        },
      );
      expect(res.status, res.text).toBe(202);
    }
    const after = await notice(id, 'ACCEPTANCE');
    expect(after.listed.commentCount).toBe(2);
    expect(after.detail.commentCount).toBe(2);
  });

  it('gives the proposed decision its own count (none yet) and the last day to ask for a hearing', async () => {
    const comments = await stack.request<{ items: { commentId: string }[] }>(
      'GET',
      `/applications/${id}/comments`,
      {
        as: 'reviewer',
      },
    );
    for (const c of comments.json.items) {
      const res = await stack.request('POST', `/applications/${id}/comments/${c.commentId}/response`, {
        as: 'reviewer',
        body: { response: '已要求建设单位落实' },
      });
      expect(res.status, res.text).toBe(200);
    }
    await stack.setNow(beijing('2026-03-11'));
    const proposed = await ok(stack, id, 'propose_decision', 'reviewer', {
      proposal: 'approve',
      conditions: ['釉料车间粉尘经布袋除尘后排放'],
    });
    const deadline = (proposed.json as { application: { proposal?: { hearingDeadline?: string } } })
      .application.proposal?.hearingDeadline;
    expect(deadline).toMatch(/^2026-03-\d\d$/);

    const { listed, detail } = await notice(id, 'PROPOSED_DECISION');
    expect(listed.commentCount).toBe(0);
    expect(detail.commentCount).toBe(0);
    expect(detail.hearingRequestsOpenUntil).toBe(deadline);
    // The acceptance notice keeps its two, and takes no hearing requests.
    const acceptance = await notice(id, 'ACCEPTANCE');
    expect(acceptance.detail.commentCount).toBe(2);
    expect(acceptance.detail.hearingRequestsOpenUntil).toBeUndefined();
  });

  it.runIf(poppler)('says in the approval PDF that 2 comments were received and 2 considered', async () => {
    await stack.setNow(beijing('2026-03-19'));
    await ok(stack, id, 'approve', 'approver');
    await localDocumentsIdle();
    // Once the decision is taken, its notice takes no more hearing requests.
    expect((await notice(id, 'PROPOSED_DECISION')).detail.hearingRequestsOpenUntil).toBeUndefined();

    const listed = await stack.request<{ items: { documentId: string; kind: string; pending?: boolean }[] }>(
      'GET',
      `/applications/${id}/documents`,
      { as: 'applicant' },
    );
    const approval = listed.json.items.find((d) => d.kind === 'APPROVAL');
    expect(approval, listed.text).toBeDefined();
    expect(approval?.pending).toBeUndefined();
    const res = await stack.request('GET', `/applications/${id}/documents/${approval?.documentId}`, {
      as: 'applicant',
      redirect: 'manual',
    });
    expect(res.status, res.text).toBe(303);
    const pdf = Buffer.from(await (await fetch(res.headers.location ?? '')).arrayBuffer());
    const file = join(folder, 'approval.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      '',
    );
    expect(text).toContain('共收到公众意见2条，已逐条研究处理2条');
  });

  it.runIf(!poppler)('needs pdftotext (Debian: apt-get install poppler-utils)', (ctx) => {
    ctx.skip();
  });
});
