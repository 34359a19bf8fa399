/**
 * GET /applications?q= against a mocked DynamoDB: officials and the auditor search the find index
 * (gsi9-find, never a Scan) and what matched is read by key; an applicant's q filters only their
 * own partitions; the terms go into the filter folded; a cursor is bound to its terms.
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIND_READ_BUDGET } from '../../../../shared/store/application-store.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  commandCounts,
  type Handler,
  loadHandler,
  owner,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let listApplications: Handler;
const auditor: User = { sub: 'auditor-1', name: 'Audit', groups: ['auditor'] };

beforeAll(async () => {
  listApplications = await loadHandler('list-applications');
});
beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
});
afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

const search = (user: User, query: Record<string, string>) =>
  invoke(listApplications, apiEvent({ method: 'GET', route: '/applications', query, user }));
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

/** `n` stored applications, newest first, each with the project name given. */
function stored(names: string[]): Record<string, unknown>[] {
  return names.map((name, n) => {
    const id = `${APP_ID.slice(0, -2)}${String(n).padStart(2, '0')}`;
    const { item } = storedApplication('DRAFT', id);
    const project = { ...(item.project as object), name };
    return {
      ...item,
      project,
      findText: `${name}|${id}`,
      gsi9sk: `2025-06-${String(30 - n).padStart(2, '0')}#${id}`,
    };
  });
}

/**
 * A fake find index: its items as the INCLUDE projection holds them, newest first, each call
 * evaluating `Limit` items and keeping those whose findText holds every `:find<i>`; BatchGet
 * answers from the full items.
 */
function serveFind(items: Record<string, unknown>[], opts: { unprocessedOnce?: boolean } = {}) {
  const index = items.map((i) => ({
    pk: i.pk,
    sk: i.sk,
    gsi9pk: 'FIND',
    gsi9sk: i.gsi9sk,
    findText: i.findText,
    state: i.state,
    category: i.category,
  }));
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    const terms = Object.entries(values)
      .filter(([k]) => k.startsWith(':find'))
      .map(([, v]) => String(v));
    const after = input.ExclusiveStartKey?.gsi9sk;
    const rest = after === undefined ? index : index.filter((i) => String(i.gsi9sk) < String(after));
    const evaluated = rest.slice(0, input.Limit);
    const last = evaluated.at(-1);
    const matched = evaluated.filter((i) => terms.every((t) => String(i.findText).includes(t)));
    return {
      Items: matched,
      ScannedCount: evaluated.length,
      ...(rest.length > evaluated.length && last
        ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi9pk: 'FIND', gsi9sk: last.gsi9sk } }
        : {}),
    };
  });
  let first = true;
  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
    const found = keys.map((k) => items.find((i) => i.pk === k.pk && i.sk === k.sk)).filter(Boolean);
    if (opts.unprocessedOnce && first && found.length > 1) {
      first = false;
      return {
        Responses: { [TABLE]: found.slice(1).reverse() },
        UnprocessedKeys: { [TABLE]: { Keys: keys.slice(0, 1) } },
      };
    }
    return { Responses: { [TABLE]: [...found].reverse() } };
  });
}

describe('GET /applications?q= for officials and the auditor', () => {
  it('queries the find index newest first with every folded term in the filter, never the lists', async () => {
    const res = await search(clerk, { q: ' 陶瓷  ＡＢＣ ', state: 'SUBMITTED', category: 'REPORT' });
    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    const [first, ...others] = queries();
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      TableName: TABLE,
      IndexName: 'gsi9-find',
      KeyConditionExpression: '#pk = :pk',
      ScanIndexForward: false,
      ExpressionAttributeValues: {
        ':pk': 'FIND',
        ':find0': '陶瓷',
        ':find1': 'abc',
        ':f0': 'REPORT',
        ':f1': 'SUBMITTED',
      },
    });
    expect(first?.ExpressionAttributeNames).toMatchObject({
      '#findText': 'findText',
      '#f0': 'category',
      '#f1': 'state',
    });
    expect(first?.FilterExpression).toBe(
      '#f0 = :f0 AND #f1 = :f1 AND contains(#findText, :find0) AND contains(#findText, :find1)',
    );
  });

  it('returns what matched in index order, read by key, as the caller sees it', async () => {
    const items = stored(['陶瓷一厂', '水泥厂', '陶瓷二厂', '陶瓷三厂']);
    serveFind(items, { unprocessedOnce: true });
    const res = await search(auditor, { q: '陶瓷' });
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((a: { project: { name: string } }) => a.project.name)).toEqual([
      '陶瓷一厂',
      '陶瓷二厂',
      '陶瓷三厂',
    ]);
    expect(res.body.items[0]).not.toHaveProperty('findText');
    expect(res.body.items[0]).not.toHaveProperty('gsi9pk');
    expect(res.body).not.toHaveProperty('cursor');
    // The unprocessed key was asked for again.
    expect(commandCounts(ddb).BatchGetCommand).toBe(2);
  });

  it('pages: a full page ends at its last item, the cursor resumes right after it', async () => {
    serveFind(stored(['陶瓷一厂', '水泥厂', '陶瓷二厂', '陶瓷三厂']));
    const first = await search(clerk, { q: '陶瓷', limit: '2' });
    expect(first.body.items.map((a: { project: { name: string } }) => a.project.name)).toEqual([
      '陶瓷一厂',
      '陶瓷二厂',
    ]);
    expect(typeof first.body.cursor).toBe('string');
    const second = await search(clerk, { q: '陶瓷', limit: '2', cursor: first.body.cursor });
    expect(second.body.items.map((a: { project: { name: string } }) => a.project.name)).toEqual(['陶瓷三厂']);
    expect(second.body).not.toHaveProperty('cursor');
  });

  it('leaves out a draft deleted since the index was read', async () => {
    const items = stored(['陶瓷一厂', '陶瓷二厂']);
    const deleted = { ...items[0], deletedAt: '2025-06-10T01:00:00.000Z' };
    serveFind([deleted, ...items.slice(1)]);
    const res = await search(clerk, { q: '陶瓷' });
    expect(res.body.items.map((a: { project: { name: string } }) => a.project.name)).toEqual(['陶瓷二厂']);
  });

  it('reads at most its budget of index items for one page, and then gives a cursor to go on', async () => {
    const many = stored(Array.from({ length: 60 }, (_, i) => `水泥厂${i}`));
    // Each call returns nothing but says there is more: a search that finds nothing for long.
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => ({
      Items: [],
      ScannedCount: input.Limit,
      LastEvaluatedKey: { pk: many[0]?.pk, sk: 'APP', gsi9pk: 'FIND', gsi9sk: many[0]?.gsi9sk },
    }));
    const res = await search(clerk, { q: '陶瓷' });
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(typeof res.body.cursor).toBe('string');
    const read = queries().reduce((n, q) => n + (q.Limit ?? 0), 0);
    expect(read).toBe(FIND_READ_BUDGET);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('refuses a cursor of another search (other terms) with 400 naming cursor', async () => {
    serveFind(stored(['陶瓷一厂', '陶瓷二厂']));
    const first = await search(clerk, { q: '陶瓷', limit: '1' });
    const other = await search(clerk, { q: '水泥', limit: '1', cursor: first.body.cursor });
    expect(other.statusCode).toBe(400);
    expect(other.body.issues.map((i: { path: string }) => i.path)).toEqual(['cursor']);
  });

  it('with mine=true searches only the caller’s own partition', async () => {
    await search(clerk, { q: '陶瓷', mine: 'true' });
    expect(queries().map((q) => q.IndexName)).toEqual(['gsi1-owner']);
    expect(queries()[0]?.ExpressionAttributeValues).toMatchObject({
      ':pk': `OWNER#${clerk.sub}`,
      ':find0': '陶瓷',
    });
  });

  it('with queue=mine filters the work queue', async () => {
    await search(clerk, { q: '陶瓷', queue: 'mine' });
    for (const q of queries()) {
      expect(q.IndexName).toBe('gsi8-queue');
      expect(q.FilterExpression).toContain('contains(#findText, :find0)');
    }
  });
});

describe('GET /applications?q= for an applicant', () => {
  it('filters only their own and their organisation’s partitions, never the find index', async () => {
    const res = await search(owner, { q: '陶瓷' });
    expect(res.statusCode).toBe(200);
    const indexes = queries().map((q) => q.IndexName);
    expect(indexes).toEqual(['gsi1-owner', 'gsi1-owner']);
    expect(queries().map((q) => q.ExpressionAttributeValues?.[':pk'])).toEqual([
      `OWNER#${owner.sub}`,
      `ORG#${owner.orgCode}`,
    ]);
    for (const q of queries()) expect(q.FilterExpression).toBe('contains(#findText, :find0)');
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('without an organisation: their own partition, read until the page is full', async () => {
    const loner: User = { sub: 'applicant-loner', name: '个人', groups: ['applicant'] };
    await search(loner, { q: '陶瓷' });
    expect(queries()).toHaveLength(1);
    expect(queries()[0]).toMatchObject({
      IndexName: 'gsi1-owner',
      ExpressionAttributeValues: { ':pk': `OWNER#${loner.sub}`, ':find0': '陶瓷' },
    });
  });
});

describe('a bad q', () => {
  it.each([
    ['empty', '   '],
    ['only punctuation', '〔 〕 -'],
    ['too long', '陶'.repeat(101)],
    ['too many words', 'a b c d e f'],
    ['a control character', '陶\u0007瓷'],
  ])('is 400 naming q (%s), before any read', async (_, q) => {
    const res = await search(clerk, { q });
    expect(res.statusCode).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['q']);
    expect(ddb.calls()).toHaveLength(0);
  });
});
