// @ts-nocheck
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Digest, sealDigest } from '../../../../shared/domain/audit-digest.ts';
import { appIndexKeys, appKey, digestKey, digestPk } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { type Trail, trail } from '../../../support/trail-fixture.ts';
import { APP_ID, clerk, commandCounts, freezeTime, owner, stubEnv } from '../fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: Parameters<typeof invoke>[0];
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };

beforeAll(async () => {
  stubEnv();
  freezeTime();
  ({ handler } = await import('../../../../functions/audit-verify/handler.ts'));
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});
beforeEach(() => ddb.reset());
afterEach(() => expect(ddb.commandCalls(ScanCommand)).toHaveLength(0));

function verify(id = APP_ID, user: User = auditor) {
  return invoke(
    handler,
    apiEvent({ method: 'GET', route: '/audit/applications/{id}/verify', pathParameters: { id }, user }),
  );
}

/** The table as the store sees it: the trail's items (in key order) and the application item, if any. */
function store(
  t: Trail,
  items = t.items,
  appItem: Record<string, unknown> | null = appItemOf(t),
  digests: Record<string, unknown>[] = [],
) {
  ddb.on(QueryCommand).callsFake((input) =>
    input.ExpressionAttributeValues?.[':pk'] === digestPk
      ? { Items: digests }
      : {
          Items: items.filter(
            (i) => !input.ExclusiveStartKey || String(i.sk) > String(input.ExclusiveStartKey.sk),
          ),
        },
  );
  ddb.on(GetCommand).resolves(appItem ? { Item: appItem } : {});
}
const digestItem = (d: Digest) => ({
  ...d,
  ...digestKey(d.day),
  applicationIds: d.applications.map((a) => a.applicationId),
});
const appItemOf = (t: Trail) => ({
  ...t.app,
  ...appKey(t.app.id),
  ...appIndexKeys(t.app),
  headHash: t.headHash,
});

describe('GET /audit/applications/{id}/verify', () => {
  it('confirms an intact trail: chain, versions, head hash and replayed state', async () => {
    const t = trail(3);
    store(t);
    const res = await verify();
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      applicationId: APP_ID,
      ok: true,
      events: 6,
      headHash: t.headHash,
      applicationVersion: 6,
      digested: 0,
      checkedAt: '2025-06-10T02:00:00.000Z',
    });
    // The trail first (strongly consistent), then the application, then the digests naming it.
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'contains(applicationIds, :id)',
      ExpressionAttributeValues: { ':pk': digestPk, ':id': APP_ID },
    });
    expect(commandCounts(ddb)).toEqual({ QueryCommand: 2, GetCommand: 1 });
  });

  it('names the first broken seq of an altered trail', async () => {
    const t = trail(3);
    const items = t.items.map((i) =>
      i.seq === 4 ? { ...i, payload: { project: { description: 'x' } } } : i,
    );
    store(t, items);
    expect((await verify()).body).toMatchObject({ ok: false, firstBrokenSeq: 4, events: 6 });
  });

  it('finds the newest event deleted, after looking once more for it', async () => {
    const t = trail(3);
    store(t, t.items.slice(0, -1));
    expect((await verify()).body).toMatchObject({ ok: false, firstBrokenSeq: 6, events: 5 });
    expect(commandCounts(ddb)).toEqual({ QueryCommand: 3, GetCommand: 1 });
  });

  it('reports a trail whose application item is gone', async () => {
    const t = trail(1);
    store(t, t.items, null);
    expect((await verify()).body).toMatchObject({
      ok: false,
      events: 4,
      reason: expect.stringMatching(/missing/),
    });
  });

  it('answers 404 when neither the application nor any event exists', async () => {
    store(trail(0), [], null);
    expect((await verify()).statusCode).toBe(404);
  });

  it('reports a trail deleted with its application when a daily digest names it', async () => {
    const t = trail(3);
    const digest = digestItem(sealDigest('2025-06-09', t.events));
    store(trail(0), [], null, [digest]);
    const res = await verify();
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      applicationId: APP_ID,
      ok: false,
      events: 0,
      reason: 'trail deleted',
      digested: 1,
      lastDigested: { day: '2025-06-09', seq: 6, hash: t.headHash },
    });
  });

  it('finds a trail rewritten wholesale (every hash recomputed) from the digests’ hashes', async () => {
    const t = trail(3);
    // The digest of the first day recorded seq 6 with its true hash; the trail now holds another one.
    const recorded = sealDigest('2025-06-09', [{ applicationId: APP_ID, seq: 6, hash: 'f'.repeat(64) }]);
    store(t, t.items, appItemOf(t), [digestItem(recorded)]);
    expect((await verify()).body).toMatchObject({
      ok: false,
      events: 6,
      firstBrokenSeq: 6,
      reason: expect.stringMatching(/digest of 2025-06-09/),
      digested: 1,
    });
  });

  it('accepts a trail that holds every hash its digests recorded', async () => {
    const t = trail(3);
    const early = sealDigest('2025-06-09', t.events.slice(0, 4));
    const late = sealDigest('2025-06-10', t.events.slice(4), early);
    store(t, t.items, appItemOf(t), [digestItem(early), digestItem(late)]);
    expect((await verify()).body).toMatchObject({ ok: true, events: 6, digested: 2 });
  });

  it('answers 404 for an id that is no UUID, reading nothing', async () => {
    expect((await verify('../../etc')).statusCode).toBe(404);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['applicant', owner],
    ['clerk', clerk],
  ])('refuses the %s with 403', async (_role, user) => {
    expect((await verify(APP_ID, user)).statusCode).toBe(403);
    expect(ddb.calls()).toHaveLength(0);
  });
});
