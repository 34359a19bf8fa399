/**
 * Written documents over HTTP against DynamoDB Local and the local S3 store: numbers sequential and
 * gapless under 50 concurrent approvals, each act's PDF listed with its SHA-256 and downloaded with
 * exactly those bytes, the public verification by number (and after tampering), and the public
 * file for public kinds only.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableLocalDocuments, enableLocalDocuments, localDocumentsIdle } from '../../local/documents.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb.ts';
import type { TokenSubject } from '../../local/tokens.ts';
import { GENESIS } from '../../shared/domain/audit-chain.ts';
import { createApplication, decide, type Step } from '../../shared/domain/decide.ts';
import type { DocumentRef } from '../../shared/domain/documents.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import type { Application, Caller, Role } from '../../shared/domain/types.ts';
import { decideNumbered, retryOnNumberConflict } from '../../shared/http/numbered.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { eventKey, noticeIdOf } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { beijing, draftBody, sweep } from './helpers/scenario.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  disableLocalDocuments();
  await localDocumentsIdle();
  await stack?.stop();
});

const caller = (s: TokenSubject): Caller => ({
  id: s.sub,
  name: s.name,
  roles: s.groups as Role[],
  ...(s.orgCode ? { orgCode: s.orgCode } : {}),
});

/**
 * Beijing working days of March 2026 the cases are walked through (no holidays among them): the
 * proposal the day after the acceptance notice's comment period (5 working days from 03-03).
 */
const DAYS = { submit: '2026-03-02', accept: '2026-03-03', review: '2026-03-04', propose: '2026-03-11' };
/** After the proposed decision's notice (5 working days from 03-11). */
const DECIDE_ON = '2026-03-19';

/**
 * A case walked to PUBLIC_NOTICE through the real domain and written straight to the table, one
 * transaction per step as the handlers write them (no HTTP, no uploads): many cases quickly.
 */
async function caseOnNotice(name: string): Promise<Application> {
  const store = getStore();
  const id = crypto.randomUUID();
  let step: Step = createApplication(draftBody('REPORT_FORM', name), caller(users.applicant), {
    now: new Date(beijing(DAYS.submit, '09:00')),
    requestId: `build-${id}`,
    id,
  });
  await store.commit(stepChange(step, GENESIS));
  let head = stepChange(step, GENESIS).event.hash;
  const legs: [string, TokenSubject, unknown, string][] = [
    ['submit', users.applicant, {}, DAYS.submit],
    ['accept', users.clerk, {}, DAYS.accept],
    ['start_review', users.reviewer, {}, DAYS.review],
    [
      'propose_decision',
      users.reviewer,
      { proposal: 'approve', conditions: ['窑炉烟气颗粒物排放浓度不高于 30 mg/m³'] },
      DAYS.propose,
    ],
  ];
  for (const [action, who, payload, on] of legs) {
    const app = step.app;
    const change = await retryOnNumberConflict(async () => {
      const next = await decideNumbered(store, (counters) =>
        decide(app, action, caller(who), payload, {
          now: new Date(beijing(on, '10:00')),
          requestId: `build-${id}-${action}`,
          // The rules take-action applies: no proposal while the public may still comment.
          comments: { unanswered: 0 },
          ...(counters ? { counters } : {}),
        }),
      );
      const c = stepChange(next, head);
      await store.commit(c);
      return c;
    });
    step = { app: change.app, event: change.event };
    head = change.event.hash;
  }
  return step.app;
}

interface Listed {
  items: (Pick<DocumentRef, 'documentId' | 'kind' | 'number' | 'issuedOn' | 'sha256' | 'sizeBytes'> & {
    pending?: boolean;
  })[];
}

const approveWithRetries = async (id: string) => {
  // A client honours 503 Retry-After; the server itself retries a lost number a few times first.
  for (let attempt = 0; ; attempt++) {
    const res = await stack.request<{ application: Application }>(
      'POST',
      `/applications/${id}/actions/approve`,
      {
        as: 'approver',
        body: {},
      },
    );
    if (res.status !== 503 || attempt >= 20) return { ...res, attempts: attempt + 1 };
    await new Promise((r) => setTimeout(r, Number(res.headers['retry-after'] ?? 1) * 1000 * Math.random()));
  }
};

describe('decision numbers under concurrency', () => {
  it('50 approvals at once on 50 cases get the numbers 1 to 50 of the year, each once, no gap', {
    timeout: 240_000,
  }, async () => {
    const cases: Application[] = [];
    for (let i = 0; i < 50; i += 10) {
      cases.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, k) => caseOnNotice(`窑炉改造 ${i + k + 1} 号`)),
        )),
      );
    }
    await stack.setNow(beijing(DECIDE_ON, '09:00'));

    const results = await Promise.all(cases.map((c) => approveWithRetries(c.id)));

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const numbers = results.map((r) => r.json.application.decisionNumber);
    const ns = numbers.map((n) => Number(/^醴环评〔2026〕(\d+)号$/.exec(n ?? '')?.[1]));
    expect([...ns].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Each number is the approval document's, listed on its case, pending until rendered.
    const listed = await stack.request<Listed>('GET', `/applications/${cases[0]?.id}/documents`, {
      as: 'approver',
    });
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((d) => d.kind)).toEqual(['ACCEPTANCE_NOTICE', 'APPROVAL']);
    expect(listed.json.items[1]).toMatchObject({ number: numbers[0], pending: true });
    // The acceptance notices of the 50 cases were numbered 1 to 50 as well (built 10 at a time).
    const accepted = await Promise.all(
      cases.map(async (c) => (await getStore().get(c.id))?.app.documents?.[0]?.number),
    );
    expect(new Set(accepted).size).toBe(50);
    console.info(`50 concurrent approvals: ${results.reduce((s, r) => s + r.attempts, 0)} requests in all`);
  });
});

describe('a case’s documents', () => {
  let app: Application;
  let approval: Listed['items'][number];
  beforeAll(async () => {
    await stack.setNow(null);
    app = await caseOnNotice('醴陵市陶瓷窑炉改造项目（文书）');
    await stack.setNow(beijing(DECIDE_ON, '10:00'));
    enableLocalDocuments(stack.baseUrl);
    const res = await stack.request('POST', `/applications/${app.id}/actions/approve`, {
      as: 'approver',
      body: {},
    });
    expect(res.status, res.text).toBe(200);
    await localDocumentsIdle();
  }, 60_000);

  it('lists the approval with its SHA-256 once stored; the acceptance notice (issued before documents were made here) is pending', async () => {
    const listed = await stack.request<Listed>('GET', `/applications/${app.id}/documents`, {
      as: 'applicant',
    });
    expect(listed.status, listed.text).toBe(200);
    const [acceptance, found] = listed.json.items;
    expect(acceptance).toMatchObject({ kind: 'ACCEPTANCE_NOTICE', pending: true });
    expect(found).toMatchObject({ kind: 'APPROVAL', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(found?.pending).toBeUndefined();
    approval = found as Listed['items'][number];
    // The trail records it: the issue_document event by the system.
    const events = await stack.request<{ items: { action: string; payload: { sha256?: string } }[] }>(
      'GET',
      `/applications/${app.id}/events`,
      { as: 'auditor' },
    );
    expect(events.json.items.at(-1)).toMatchObject({
      action: 'issue_document',
      payload: { sha256: approval.sha256 },
    });
  });

  it('303 to the PDF, whose bytes have the listed SHA-256; a pending document answers 503 with Retry-After', async () => {
    const res = await stack.request('GET', `/applications/${app.id}/documents/${approval.documentId}`, {
      as: 'applicant',
      redirect: 'manual',
    });
    expect(res.status, res.text).toBe(303);
    const pdf = Buffer.from(await (await fetch(res.headers.location ?? '')).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(approval.sha256);
    expect(pdf.byteLength).toBe(approval.sizeBytes);

    const pending = await stack.request('GET', `/applications/${app.id}/documents/ACCEPTANCE_NOTICE-3`, {
      as: 'clerk',
    });
    expect(pending.status, pending.text).toBe(503);
    expect(pending.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('404 for another applicant and for a document the case does not have', async () => {
    const other = { ...users.applicant, sub: 'someone-else', orgCode: '91430281MA4L9YY9XW' };
    const res = await stack.request('GET', `/applications/${app.id}/documents/${approval.documentId}`, {
      as: other,
    });
    expect(res.status).toBe(404);
    const none = await stack.request('GET', `/applications/${app.id}/documents/APPROVAL-99`, {
      as: 'approver',
    });
    expect(none.status).toBe(404);
  });

  it('an official’s download is entered in the access log', async () => {
    const res = await stack.request('GET', `/applications/${app.id}/documents/${approval.documentId}`, {
      as: 'reviewer',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const log = await stack.request<{
      items: { kind: string; documentId?: string; actor: { id: string } }[];
    }>('GET', '/audit/access-log', { as: 'auditor' });
    expect(log.json.items).toContainEqual(
      expect.objectContaining({
        kind: 'DOCUMENT_DOWNLOAD',
        documentId: approval.documentId,
        actor: expect.objectContaining({ id: users.reviewer.sub }),
      }),
    );
  });

  it('the public verification by number: the trail’s SHA-256 and chainVerified; the public file for an approval only', async () => {
    const path = `/public/documents/${encodeURIComponent(approval.number)}`;
    const verified = await stack.request('GET', path);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json).toEqual({
      number: approval.number,
      kind: 'APPROVAL',
      issuedOn: DECIDE_ON,
      sha256: approval.sha256,
      caseNumber: app.caseNumber,
      chainVerified: true,
    });
    const file = await stack.request('GET', `${path}/file`, { redirect: 'manual' });
    expect(file.status).toBe(303);
    const pdf = Buffer.from(await (await fetch(file.headers.location ?? '')).arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(approval.sha256);

    // An acceptance notice is verifiable once stored, but never public as a file.
    const { issuePending } = await import('../../functions/documents/issue.ts');
    const { runtimeIssuePorts } = await import('../../functions/documents/runtime.ts');
    await issuePending(runtimeIssuePorts(stack.baseUrl), app.id, 'test');
    const acceptance = (await getStore().get(app.id))?.app.documents?.[0];
    expect(acceptance).toMatchObject({ kind: 'ACCEPTANCE_NOTICE', sha256: expect.any(String) });
    const acceptancePath = `/public/documents/${encodeURIComponent(acceptance?.number ?? '')}`;
    expect((await stack.request('GET', acceptancePath)).json).toMatchObject({
      kind: 'ACCEPTANCE_NOTICE',
      chainVerified: true,
    });
    expect((await stack.request('GET', `${acceptancePath}/file`, { redirect: 'manual' })).status).toBe(404);
    expect(
      (await stack.request('GET', `/public/documents/${encodeURIComponent('醴环评〔2026〕999号')}`)).status,
    ).toBe(404);
  });

  it('one notice by its id: its comment window and the links to the public version and the decision document', async () => {
    const store = getStore();
    const acceptance = await store.noticeOf(
      app.id,
      'ACCEPTANCE',
      '2000-01-01T00:00:00Z',
      '2100-01-01T00:00:00Z',
    );
    expect(acceptance).toBeDefined();
    const id = noticeIdOf(acceptance as NonNullable<typeof acceptance>);
    const one = await stack.request<Record<string, unknown>>('GET', `/public/notices/${id}`);
    expect(one.status, one.text).toBe(200);
    expect(one.json).toMatchObject({
      noticeId: id,
      kind: 'ACCEPTANCE',
      applicationId: app.id,
      commentsOpenUntil: acceptance?.endsOn,
      links: {
        publicVersion: `/public/notices/${id}/public-version`,
        decisionNumber: approval.number,
        decisionDocument: `/public/documents/${encodeURIComponent(approval.number)}/file`,
      },
    });
    const decision = await stack.request(
      'GET',
      (one.json.links as { decisionDocument: string }).decisionDocument,
      {
        redirect: 'manual',
      },
    );
    expect(decision.status).toBe(303);
    // The decision's own notice: nothing to answer any more, so no comment window.
    const decided = await store.noticeOf(app.id, 'DECISION', '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    const other = await stack.request<Record<string, unknown>>(
      'GET',
      `/public/notices/${noticeIdOf(decided as NonNullable<typeof decided>)}`,
    );
    expect(other.json).toMatchObject({ kind: 'DECISION', links: { decisionNumber: approval.number } });
    expect(other.json).not.toHaveProperty('commentsOpenUntil');
    // Not an id of any notice: 404, as problem+json.
    const unknown = await stack.request<{ status: number }>('GET', '/public/notices/bm8tc3VjaC1ub3RpY2U');
    expect(unknown.status).toBe(404);
    expect(unknown.json.status).toBe(404);
  });

  it('chainVerified turns false once an event of the case is altered in the table', async () => {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamodbEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    try {
      await doc.send(
        new UpdateCommand({
          TableName: stack.tables.main,
          Key: eventKey(app.id, 2),
          UpdateExpression: 'SET payload = :p',
          ExpressionAttributeValues: { ':p': { forged: true } },
        }),
      );
    } finally {
      doc.destroy();
    }
    const res = await stack.request('GET', `/public/documents/${encodeURIComponent(approval.number)}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ number: approval.number, chainVerified: false });
  });
});

describe('deemed acceptance', () => {
  it('the sweeper accepts a case the window left past its check period and issues its numbered acceptance notice, stored before the sweep answers', async () => {
    enableLocalDocuments(stack.baseUrl);
    const store = getStore();
    const id = crypto.randomUUID();
    const created = createApplication(
      draftBody('REPORT_FORM', '逾期未审查的窑炉项目'),
      caller(users.applicant),
      {
        now: new Date(beijing('2026-06-01', '09:00')),
        requestId: `build-${id}`,
        id,
      },
    );
    const first = stepChange(created, GENESIS);
    await store.commit(first);
    const submitted = stepChange(
      decide(
        created.app,
        'submit',
        caller(users.applicant),
        {},
        { now: new Date(beijing('2026-06-01', '10:00')), requestId: 'r' },
      ),
      first.event.hash,
    );
    await store.commit(submitted);

    const report = await sweep(stack, '2026-06-15');

    expect(report.steps.accept).toBeGreaterThanOrEqual(1);
    const listed = await stack.request<Listed>('GET', `/applications/${id}/documents`, { as: 'clerk' });
    expect(listed.json.items).toEqual([
      expect.objectContaining({
        documentId: 'ACCEPTANCE_NOTICE-3',
        kind: 'ACCEPTANCE_NOTICE',
        number: expect.stringMatching(/^醴环受〔2026〕\d+号$/),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    const verified = await stack.request(
      'GET',
      `/public/documents/${encodeURIComponent(listed.json.items[0]?.number ?? '')}`,
    );
    expect(verified.json).toMatchObject({ kind: 'ACCEPTANCE_NOTICE', chainVerified: true });
  });
});
