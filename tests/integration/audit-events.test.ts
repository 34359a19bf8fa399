/**
 * GET /audit/events against DynamoDB Local, through the real handlers: every index path gives the
 * same answer, pages and exports stream without loss, and the read cost of a fixed answer stays
 * the same when the table grows tenfold.
 */
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { type AuditFilter, feasiblePlans, type Order } from '../../shared/store/audit-plan.ts';
import { auditStore } from '../../shared/store/audit-store.ts';
import { auditLogPk } from '../../shared/store/keys.ts';
import type { Position } from '../../shared/store/ports.ts';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import { otherApplicant as other, requiredMaterials, withFiles } from './helpers/scenario.ts';

let stack: LocalStack;
let doc: DynamoDBDocumentClient;

/** Beijing wall-clock time as an instant. */
const beijing = (date: string, time: string) => `${date}T${time}:00+08:00`;
const [D1, D2, D3, LATER] = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-13'];

const materials = requiredMaterials();

async function create(as: Who = 'applicant', orgCode = users.applicant.orgCode): Promise<string> {
  const res = await stack.request<{ id: string }>('POST', '/applications', {
    as,
    body: {
      category: 'REPORT_FORM',
      project: {
        name: '东富镇花炮厂搬迁',
        location: '醴陵市东富镇',
        industry: '烟花爆竹',
        investmentCny: 8_000_000,
      },
      applicant: {
        orgName: '醴陵市某花炮有限公司',
        orgCode,
        contactName: '刘建国',
        contactPhone: '13873300000',
      },
      materials,
    },
  });
  expect(res.status, res.text).toBe(201);
  // Its materials as files: one edit event more.
  await withFiles(stack, res.json.id, as);
  return res.json.id;
}

async function act(id: string, action: string, as: Who) {
  const res = await stack.request('POST', `/applications/${id}/actions/${action}`, { as, body: {} });
  expect(res.status, `${action}: ${res.text}`).toBe(200);
}

interface Page {
  items: AuditEvent[];
  cursor?: string;
  personalData: string;
}

async function audit(query: Record<string, string>) {
  return stack.request<Page>('GET', `/audit/events?${new URLSearchParams(query)}`, { as: 'auditor' });
}

/** Every page of a JSON query, following the cursor. */
async function all(query: Record<string, string>): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await audit({ ...query, ...(cursor ? { cursor } : {}) });
    expect(res.status, res.text).toBe(200);
    events.push(...res.json.items);
    cursor = res.json.cursor;
    if (!cursor) return events;
  }
  throw new Error('more than 100 pages');
}

const ids = (events: readonly AuditEvent[]) => events.map((e) => `${e.applicationId.slice(0, 8)}#${e.seq}`);
const byTime = (a: AuditEvent, b: AuditEvent) =>
  a.at.localeCompare(b.at) || a.applicationId.localeCompare(b.applicationId) || a.seq - b.seq;

const apps: string[] = [];
let trail: AuditEvent[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
  // 21 events over three days, by the applicant, the clerk and the reviewer.
  await stack.setNow(beijing(D1, '10:00'));
  apps.push(await create(), await create());
  await stack.setNow(beijing(D1, '11:00'));
  for (const id of apps) await act(id, 'submit', 'applicant');
  await stack.setNow(beijing(D2, '10:00'));
  for (const id of apps) await act(id, 'accept', 'clerk');
  await stack.setNow(beijing(D2, '14:00'));
  for (const id of apps) await act(id, 'start_review', 'reviewer');
  await stack.setNow(beijing(D3, '09:00'));
  apps.push(await create(), await create());
  for (const description of ['补充说明一', '补充说明二']) {
    const res = await stack.request('PATCH', `/applications/${apps[2]}`, {
      as: 'applicant',
      body: { project: { description } },
    });
    expect(res.status).toBe(200);
  }
  await stack.setNow(beijing(D3, '15:00'));
  for (const id of apps.slice(2)) await act(id, 'submit', 'applicant');
  for (const id of apps.slice(2)) await act(id, 'accept', 'clerk');
  await act(apps[3] ?? '', 'start_review', 'reviewer');
  for (const id of apps) {
    const res = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events?limit=100`, {
      as: 'auditor',
    });
    trail.push(...res.json.items);
  }
  trail = trail.sort(byTime);
  expect(trail).toHaveLength(21);
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

describe('every index path gives the same answer', () => {
  const lo = new Date(beijing(D1, '00:00')).toISOString();
  const hi = new Date(beijing('2026-03-12', '00:00')).toISOString();
  const filters: (() => AuditFilter)[] = [
    () => ({ applicationId: apps[0] ?? '', actor: users.clerk.sub, lo }),
    () => ({ applicationId: apps[2] ?? '', action: 'edit', lo, hi }),
    () => ({ actor: users.applicant.sub, action: 'submit', lo, hi }),
    () => ({ action: 'accept', lo: new Date(beijing(D2, '12:00')).toISOString(), hi }),
    () => ({ actor: users.reviewer.sub, lo }),
    () => ({ applicationId: apps[1] ?? '', actor: users.applicant.sub, action: 'create', lo, hi }),
  ];

  it.each(filters.map((f, i) => [i, f] as const))(
    'filter %i: application, actor, action and day walks agree, page by page',
    async (_i, make) => {
      const filter = make();
      const store = auditStore(doc, stack.tables.main);
      const now = new Date(beijing(D3, '18:00'));
      const matches = (e: AuditEvent) =>
        (filter.applicationId === undefined || e.applicationId === filter.applicationId) &&
        (filter.actor === undefined || e.actor.id === filter.actor) &&
        (filter.action === undefined || e.action === filter.action) &&
        (filter.lo === undefined || e.at >= filter.lo) &&
        (filter.hi === undefined || e.at < filter.hi);
      for (const order of ['asc', 'desc'] as Order[]) {
        const expected = trail.filter(matches);
        if (order === 'desc') expected.reverse();
        expect(expected.length).toBeGreaterThan(0);
        const plans = feasiblePlans(filter, order, now);
        expect(plans.length).toBeGreaterThan(1);
        for (const plan of plans) {
          for (const limit of [1, 2, 200]) {
            const got: AuditEvent[] = [];
            let start: Position | undefined;
            for (let n = 0; n < 50; n++) {
              const page = await store.page(plan, { limit, ...(start ? { start } : {}) });
              got.push(...page.events);
              start = page.next;
              if (!start) break;
            }
            expect(ids(got), `${plan.kind} ${order} limit ${limit}`).toEqual(ids(expected));
          }
        }
      }
    },
  );

  it('over HTTP too: an actor query equals the day walk filtered by that actor', async () => {
    const from = D1;
    const byActor = await all({ actor: users.clerk.sub, from, limit: '1' });
    const byDay = (await all({ from, limit: '3' })).filter((e) => e.actor.id === users.clerk.sub);
    expect(ids(byActor)).toEqual(ids(byDay));
    expect(byActor).toHaveLength(4);
    const byAction = await all({ action: 'accept', from, order: 'asc' });
    expect(ids(byAction)).toEqual(ids(trail.filter((e) => e.action === 'accept')));
    const oneApp = await all({ applicationId: apps[2] ?? '', order: 'asc', limit: '2' });
    expect(oneApp.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('exports', () => {
  it('streams NDJSON page by page with x-next-cursor, masked, the filter and time in the first line', async () => {
    const lines: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await stack.request(
        'GET',
        `/audit/events?${new URLSearchParams({ from: D1, format: 'ndjson', order: 'asc', limit: '5', ...(cursor ? { cursor } : {}) })}`,
        { as: 'auditor' },
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const [header, ...events] = res.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(header).toMatchObject({
        export: 'eia-audit-events',
        filter: { from: D1 },
        order: 'asc',
        personalData: 'masked',
        exportedAt: expect.any(String),
      });
      lines.push(...events);
      cursor = res.headers['x-next-cursor'];
      pages += 1;
    } while (cursor);
    // 21 events, 5 a page.
    expect(pages).toBe(5);
    expect(lines.map((e) => `${String(e.applicationId).slice(0, 8)}#${e.seq}`)).toEqual(ids(trail));
    expect(JSON.stringify(lines)).not.toContain('13873300000');
    expect(JSON.stringify(lines)).toContain('138****0000');
  });

  it('writes CSV that a spreadsheet cannot execute, one row per event', async () => {
    const res = await stack.request('GET', `/audit/events?applicationId=${apps[2]}&format=csv&order=asc`, {
      as: 'auditor',
    });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = res.text.split('\r\n').filter(Boolean);
    expect(rows[0]).toMatch(/^"# eia-audit-events exportedAt=/);
    expect(rows[1]?.startsWith('Time (Beijing time),Application ID,Seq,Action,')).toBe(true);
    expect(rows).toHaveLength(2 + 6);
    expect(rows[2]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,${apps[2]},1,Draft created,`),
    );
  });

  it('opens in Excel and WPS: a byte order mark, Chinese headers and words, Beijing time', async () => {
    // The raw bytes, as a spreadsheet reads the file (a text decoder would drop the byte order mark).
    const raw = await fetch(`${stack.baseUrl}/audit/events?applicationId=${apps[2]}&format=csv&order=asc`, {
      headers: {
        authorization: `Bearer ${await stack.token('auditor')}`,
        'accept-language': 'zh-CN,en;q=0.5',
      },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-language')).toBe('zh-CN');
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    const rows = text.split('\r\n').filter(Boolean);
    expect(
      rows[1]?.startsWith('时间（北京时间）,申请编号,序号,操作,操作人,角色,原状态,新状态,操作代码,'),
    ).toBe(true);
    const json = await stack.request<{ items: { at: string }[] }>(
      'GET',
      `/audit/events?applicationId=${apps[2]}&order=asc`,
      { as: 'auditor' },
    );
    const at = json.json.items[0]?.at ?? '';
    const beijing = new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(rows[2]?.startsWith(`${beijing},${apps[2]},1,创建草稿,`)).toBe(true);
    expect(rows[2]).toContain(',申请人,,草稿,create,');
  });

  it('includes personal data only on request, and records that request outside any trail', async () => {
    const res = await stack.request(
      'GET',
      `/audit/events?applicationId=${apps[0]}&format=ndjson&includePersonalData=true`,
      { as: 'auditor' },
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('13873300000');
    const log = await doc.send(
      new QueryCommand({
        TableName: stack.tables.main,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditLogPk },
      }),
    );
    // (Besides the entries of the auditor's reads of the trails above: PERSONAL_DATA_READ.)
    expect(log.Items?.filter((i) => i.kind !== 'PERSONAL_DATA_READ')).toEqual([
      expect.objectContaining({
        kind: 'PERSONAL_DATA_EXPORT',
        actor: { id: users.auditor.sub, name: users.auditor.name, role: 'auditor' },
        filter: { applicationId: apps[0] },
        format: 'ndjson',
      }),
    ]);
    // The auditor reads the same record over HTTP; nobody else may.
    const overHttp = await stack.request<{ items: Record<string, unknown>[] }>('GET', '/audit/access-log', {
      as: 'auditor',
    });
    expect(overHttp.status).toBe(200);
    expect(overHttp.json.items.filter((i) => i.kind !== 'PERSONAL_DATA_READ')).toEqual([
      expect.objectContaining({ kind: 'PERSONAL_DATA_EXPORT', filter: { applicationId: apps[0] } }),
    ]);
    expect(overHttp.text).not.toContain('"pk"');
    expect((await stack.request('GET', '/audit/access-log', { as: 'clerk' })).status).toBe(403);
    // The application's own trail is untouched: the export is not an event of it.
    const verdict = await stack.request<{ ok: boolean; events: number }>(
      'GET',
      `/audit/applications/${apps[0]}/verify`,
      { as: 'auditor' },
    );
    expect(verdict.json).toMatchObject({ ok: true, events: 5 });
  });
});

describe('cursors', () => {
  it('refuses one from another query, or edited, with 400 naming cursor', async () => {
    const first = await audit({ from: D1, limit: '2' });
    const cursor = first.json.cursor ?? '';
    expect(cursor).not.toBe('');
    for (const query of [
      { from: D2, limit: '2', cursor },
      { from: D1, order: 'asc', cursor },
      { actor: users.clerk.sub, from: D1, cursor },
      { from: D1, cursor: `${cursor.slice(0, 10)}x${cursor.slice(11)}` },
    ]) {
      const res = await stack.request<{ issues: { path: string }[] }>(
        'GET',
        `/audit/events?${new URLSearchParams(query)}`,
        { as: 'auditor' },
      );
      expect(res.status).toBe(400);
      expect(res.json.issues.map((i) => i.path)).toEqual(['cursor']);
    }
  });

  it('is for auditors only', async () => {
    expect((await stack.request('GET', `/audit/events?from=${D1}`)).status).toBe(401);
    for (const as of ['applicant', 'clerk', 'reviewer', 'approver'] as const) {
      expect((await stack.request('GET', `/audit/events?from=${D1}`, { as })).status).toBe(403);
    }
  });
});

describe('read cost', () => {
  it('stays the same for a fixed answer when the table grows tenfold', async () => {
    const fixed: Record<string, string>[] = [
      { applicationId: apps[0] ?? '' },
      { actor: users.clerk.sub },
      { action: 'accept' },
      { from: D2, to: D2 },
      { actor: users.applicant.sub, from: D3, to: D3 },
    ];
    const measure = async () =>
      Promise.all(
        fixed.map(async (query) => {
          const res = await audit({ ...query, limit: '200' });
          expect(res.status, res.text).toBe(200);
          return {
            answer: ids(res.json.items),
            itemsRead: Number(res.headers['x-items-read']),
            readUnits: Number(res.headers['x-read-units']),
          };
        }),
      );
    const before = await measure();
    for (const m of before) expect(m.itemsRead).toBe(m.answer.length);

    // 180 more events: another applicant, another day, other applications, other actions.
    await stack.setNow(beijing(LATER, '10:00'));
    for (let batch = 0; batch < 9; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const id = await create(other, other.orgCode);
          await act(id, 'submit', other);
        }),
      );
    }
    const after = await measure();
    expect(after).toEqual(before);
  });
});
