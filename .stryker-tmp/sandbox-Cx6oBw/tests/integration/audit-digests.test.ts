/**
 * The daily digests against DynamoDB Local: written by the sweeper (POST /local/sweep), listed by
 * GET /audit/digests, and used by verify to see a whole trail deleted; then tampered with directly.
 */
// @ts-nocheck

import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import { GENESIS } from '../../shared/domain/audit-chain.ts';
import type { Digest } from '../../shared/domain/audit-digest.ts';
import { appPk, digestKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { requiredMaterials } from './helpers/scenario.ts';

interface Listing {
  items: Digest[];
  cursor?: string;
  chainOk: boolean;
  firstBrokenDay?: string;
  reason?: string;
}

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

const materials = requiredMaterials();

async function draft(name: string): Promise<string> {
  const created = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: {
      category: 'REPORT_FORM',
      project: { name, location: '醴陵市', industry: '陶瓷', investmentCny: 2_000_000 },
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
  return created.json.id;
}

async function edit(id: string, description: string) {
  const res = await stack.request('PATCH', `/applications/${id}`, {
    as: 'applicant',
    body: { project: { description } },
  });
  expect(res.status, res.text).toBe(200);
}

async function sweep(at: string) {
  await stack.setNow(at);
  const res = await stack.request<{ digests?: { written: string[] } }>('POST', '/local/sweep');
  expect(res.status, res.text).toBe(200);
  return res.json.digests;
}

const digests = (query = '') => stack.request<Listing>('GET', `/audit/digests${query}`, { as: 'auditor' });
const verify = (id: string) =>
  stack.request<Record<string, unknown>>('GET', `/audit/applications/${id}/verify`, { as: 'auditor' });

let kept: string;
let doomed: string;

describe('daily digests', () => {
  it('digests two days of activity on the third, chained, once', async () => {
    // Day 1 (UTC 2026-05-11): two drafts, one edited; day 2: one edit of the first.
    await stack.setNow('2026-05-11T02:00:00Z');
    kept = await draft('浦口镇陶瓷窑炉改造');
    doomed = await draft('东富镇釉料车间');
    await edit(doomed, '第一次修改');
    await stack.setNow('2026-05-12T03:00:00Z');
    await edit(kept, '第一次修改');
    await edit(kept, '第二次修改');

    expect(await sweep('2026-05-13T01:00:00Z')).toMatchObject({ written: ['2026-05-11', '2026-05-12'] });
    // A second sweep the same day writes nothing more.
    expect(await sweep('2026-05-13T02:00:00Z')).toMatchObject({ written: [] });

    const res = await digests();
    expect(res.status, res.text).toBe(200);
    const [second, first] = res.json.items;
    expect(res.json.items).toHaveLength(2);
    expect(res.json.chainOk).toBe(true);
    const byId = (a: { applicationId: string }, b: { applicationId: string }) =>
      a.applicationId < b.applicationId ? -1 : 1;
    expect(first).toMatchObject({
      day: '2026-05-11',
      count: 2,
      prevHash: GENESIS,
      applications: [
        { applicationId: kept, seq: 1 },
        { applicationId: doomed, seq: 2 },
      ].sort(byId),
    });
    expect(second).toMatchObject({
      day: '2026-05-12',
      count: 1,
      prevHash: first?.hash,
      applications: [{ applicationId: kept, seq: 3 }],
    });
    // The head hash recorded is the stored event's.
    const head = await verify(kept);
    expect(head.json).toMatchObject({
      ok: true,
      events: 3,
      digested: 2,
      headHash: second?.applications[0]?.hash,
    });

    // Paged, newest first, and by day range.
    const page = await digests('?limit=1');
    expect(page.json.items.map((d) => d.day)).toEqual(['2026-05-12']);
    const rest = await digests(`?limit=1&cursor=${encodeURIComponent(page.json.cursor ?? '')}`);
    expect(rest.json).toMatchObject({ items: [{ day: '2026-05-11' }], chainOk: true });
    expect(rest.json.cursor).toBeUndefined();
    expect((await digests('?from=2026-05-12&to=2026-05-12')).json).toMatchObject({
      items: [{ day: '2026-05-12' }],
      chainOk: true,
    });
    expect(
      (await digests(`?from=2026-05-12&cursor=${encodeURIComponent(page.json.cursor ?? '')}`)).status,
    ).toBe(400);
    expect((await stack.request('GET', '/audit/digests', { as: 'clerk' })).status).toBe(403);
    expect((await stack.request('GET', '/audit/digests')).status).toBe(401);
  });

  it('verify reports an application deleted with its whole trail, because a digest names it', async () => {
    const out = await doc.send(
      new QueryCommand({
        TableName: stack.tables.main,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': appPk(doomed) },
      }),
    );
    expect(out.Items?.length).toBe(3); // the application and its two events
    for (const item of out.Items ?? [])
      await doc.send(new DeleteCommand({ TableName: stack.tables.main, Key: { pk: item.pk, sk: item.sk } }));
    expect((await stack.request('GET', `/applications/${doomed}`, { as: 'auditor' })).status).toBe(404);

    const res = await verify(doomed);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      applicationId: doomed,
      ok: false,
      events: 0,
      reason: 'trail deleted',
      lastDigested: { day: '2026-05-11', seq: 2 },
    });
    // The other application is untouched; an id no digest names is still unknown.
    expect((await verify(kept)).json).toMatchObject({ ok: true });
    expect((await verify('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('a tampered digest breaks the chain of digests', async () => {
    // Whoever deleted the trail now also edits the digest that names it.
    const first = (await digests()).json.items.find((d) => d.day === '2026-05-11');
    if (!first) throw new Error('no digest');
    const applications = first.applications.filter((a) => a.applicationId !== doomed);
    await doc.send(
      new PutCommand({
        TableName: stack.tables.main,
        Item: {
          ...first,
          applications,
          count: applications.length,
          applicationIds: applications.map((a) => a.applicationId),
          ...digestKey(first.day),
        },
      }),
    );
    const res = await digests();
    expect(res.json).toMatchObject({
      chainOk: false,
      firstBrokenDay: '2026-05-11',
      reason: expect.stringMatching(/hash of 2026-05-11/),
    });
    // And deleting a whole day instead leaves a gap the next day's link shows.
    await doc.send(new DeleteCommand({ TableName: stack.tables.main, Key: digestKey('2026-05-11') }));
    expect((await digests()).json).toMatchObject({ chainOk: false, firstBrokenDay: '2026-05-12' });
  });
});
