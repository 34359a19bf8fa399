/**
 * GET /audit/applications/{id}/verify against DynamoDB Local: trails written by the real handlers,
 * then tampered with directly in the table, as someone with database access might.
 */
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import { appKey, eventKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { requiredMaterials, uploadMaterials } from './helpers/scenario.ts';

interface Verdict {
  applicationId: string;
  ok: boolean;
  events: number;
  firstBrokenSeq?: number;
  reason?: string;
  headHash: string;
}

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
  await stack.setNow('2026-03-10T10:00:00+08:00');
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

const materials = requiredMaterials();

/** An application with six events: create, two edits, submit, accept, start_review. */
async function sixEvents(): Promise<string> {
  const created = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: {
      category: 'REPORT_FORM',
      project: {
        name: '浦口镇陶瓷窑炉改造',
        location: '醴陵市浦口镇',
        industry: '陶瓷',
        investmentCny: 3_000_000,
      },
      applicant: {
        orgName: '醴陵市某陶瓷有限公司',
        orgCode: users.applicant.orgCode,
        contactName: '刘建国',
        contactPhone: '13873300000',
      },
      materials,
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.json.id;
  for (const description of ['第一次修改', '第二次修改']) {
    // The second edit names the materials' files.
    const files =
      description === '第二次修改' ? { materials: await uploadMaterials(stack, id, 'applicant') } : {};
    const res = await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { project: { description }, ...files },
    });
    expect(res.status, res.text).toBe(200);
  }
  for (const [action, as] of [
    ['submit', 'applicant'],
    ['accept', 'clerk'],
    ['start_review', 'reviewer'],
  ] as const) {
    const res = await stack.request('POST', `/applications/${id}/actions/${action}`, { as, body: {} });
    expect(res.status, res.text).toBe(200);
  }
  return id;
}

async function verify(id: string) {
  return stack.request<Verdict>('GET', `/audit/applications/${id}/verify`, { as: 'auditor' });
}

async function item(id: string, seq: number): Promise<Record<string, unknown>> {
  const out = await doc.send(new GetCommand({ TableName: stack.tables.main, Key: eventKey(id, seq) }));
  if (!out.Item) throw new Error(`no event ${seq}`);
  return out.Item;
}
const put = (Item: Record<string, unknown>) =>
  doc.send(new PutCommand({ TableName: stack.tables.main, Item }));
const remove = (Key: Record<string, unknown>) =>
  doc.send(new DeleteCommand({ TableName: stack.tables.main, Key }));

describe('verify', () => {
  it('confirms an untouched trail, with its head hash', async () => {
    const id = await sixEvents();
    const res = await verify(id);
    expect(res.status, res.text).toBe(200);
    const head = await item(id, 6);
    expect(res.json).toMatchObject({ applicationId: id, ok: true, events: 6, headHash: head.hash });
    expect(res.json.firstBrokenSeq).toBeUndefined();
  });

  it('finds one event’s payload edited', async () => {
    const id = await sixEvents();
    const third = await item(id, 3);
    await put({ ...third, payload: { project: { description: '被改过的内容' } } });
    expect((await verify(id)).json).toMatchObject({
      ok: false,
      events: 6,
      firstBrokenSeq: 3,
      reason: expect.stringMatching(/hash of seq 3/),
    });
  });

  it('finds one event deleted', async () => {
    const id = await sixEvents();
    await remove(eventKey(id, 4));
    expect((await verify(id)).json).toMatchObject({
      ok: false,
      events: 5,
      firstBrokenSeq: 4,
      reason: expect.stringMatching(/seq 4 is missing/),
    });
  });

  it('finds two events’ contents swapped', async () => {
    const id = await sixEvents();
    const [two, five] = [await item(id, 2), await item(id, 5)];
    await put({ ...five, ...eventKey(id, 2) });
    await put({ ...two, ...eventKey(id, 5) });
    expect((await verify(id)).json).toMatchObject({ ok: false, events: 6, firstBrokenSeq: 2 });
  });

  it('finds the newest event deleted, from the application’s version and head hash', async () => {
    const id = await sixEvents();
    await remove(eventKey(id, 6));
    expect((await verify(id)).json).toMatchObject({
      ok: false,
      events: 5,
      firstBrokenSeq: 6,
      reason: expect.stringMatching(/version 6/),
    });
  });

  it('finds the whole trail deleted while the application item remains', async () => {
    const id = await sixEvents();
    for (let seq = 1; seq <= 6; seq++) await remove(eventKey(id, seq));
    expect((await verify(id)).json).toMatchObject({ ok: false, events: 0, firstBrokenSeq: 1 });
  });

  it('finds the application item edited behind its trail', async () => {
    const id = await sixEvents();
    const app = await doc.send(new GetCommand({ TableName: stack.tables.main, Key: appKey(id) }));
    await put({ ...app.Item, caseOfficerId: 'someone-else' });
    expect((await verify(id)).json).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/caseOfficerId/),
    });
  });

  it('answers 404 when the application went with its whole trail before any digest named it (see audit-digests.test.ts)', async () => {
    const id = await sixEvents();
    for (let seq = 1; seq <= 6; seq++) await remove(eventKey(id, seq));
    await remove(appKey(id));
    expect((await verify(id)).status).toBe(404);
  });

  it('is for auditors only', async () => {
    const id = await sixEvents();
    expect((await stack.request('GET', `/audit/applications/${id}/verify`)).status).toBe(401);
    for (const as of ['applicant', 'clerk', 'reviewer', 'approver'] as const) {
      expect((await stack.request('GET', `/audit/applications/${id}/verify`, { as })).status).toBe(403);
    }
  });
});
