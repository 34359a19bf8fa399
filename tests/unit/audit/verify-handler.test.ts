import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appIndexKeys, appKey } from '../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../support/api-events.ts';
import { APP_ID, clerk, commandCounts, freezeTime, owner, stubEnv } from '../handlers/fixtures.ts';
import { type Trail, trail } from './trail-fixture.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: Parameters<typeof invoke>[0];
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };

beforeAll(async () => {
  stubEnv();
  freezeTime();
  ({ handler } = await import('../../../functions/audit-verify/handler.ts'));
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
function store(t: Trail, items = t.items, appItem: Record<string, unknown> | null = appItemOf(t)) {
  ddb.on(QueryCommand).callsFake((input) => ({
    Items: items.filter((i) => !input.ExclusiveStartKey || String(i.sk) > String(input.ExclusiveStartKey.sk)),
  }));
  ddb.on(GetCommand).resolves(appItem ? { Item: appItem } : {});
}
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
      checkedAt: '2025-06-10T02:00:00.000Z',
    });
    // The trail first (strongly consistent), then the application.
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
    expect(commandCounts(ddb)).toEqual({ QueryCommand: 1, GetCommand: 1 });
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
    expect(commandCounts(ddb)).toEqual({ QueryCommand: 2, GetCommand: 1 });
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
