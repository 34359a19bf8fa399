/**
 * The calendar at run time against DynamoDB Local, over HTTP: a year entered by the admin moves
 * the dates of the open applications counted through it, at the next sweep, each move an event by
 * `system`, and only once; bad input stores nothing; the bureau stream verifies, and a tampered
 * event is caught. Test holidays of our own for 2027 (New Year's Day and a Spring Festival week,
 * one adjusted working day): they stand for whatever the State Council publishes.
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { appKey, bureauEventKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draft, ok, sweep } from './helpers/scenario.ts';

const y2027 = {
  holidays: [
    '2027-02-12',
    '2027-01-01',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-01-01',
  ],
  workdays: ['2027-02-20'],
};

interface YearView {
  year: number;
  source: 'seed' | 'bureau';
  holidays: string[];
  workdays: string[];
  version?: number;
  pendingRecompute?: boolean;
}
interface Problem {
  status: number;
  issues?: { path: string; message: string }[];
}
interface Verdict {
  ok: boolean;
  events: number;
  firstBrokenSeq?: number;
  reason?: string;
}

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
/** A REPORT accepted 2026-12-01 (60 working days into 2027) and a REPORT_FORM accepted 2026-12-28. */
const ids = { report: '', form: '' };

beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
  await stack.setNow(beijing('2026-12-01'));
  ids.report = await draft(stack, 'REPORT', '渌口陶瓷产业园');
  await ok(stack, ids.report, 'submit', 'applicant');
  await ok(stack, ids.report, 'accept', 'clerk');
  await stack.setNow(beijing('2026-12-28'));
  ids.form = await draft(stack, 'REPORT_FORM', '东富镇窑炉改造');
  await ok(stack, ids.form, 'submit', 'applicant');
  await ok(stack, ids.form, 'accept', 'clerk');
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

const years = async () =>
  (await stack.request<{ years: YearView[] }>('GET', '/admin/calendar', { as: 'admin' })).json.years;
const put = (year: string | number, body: unknown, headers: Record<string, string> = {}) =>
  stack.request<Problem & { year: YearView }>('PUT', `/admin/calendar/${year}`, {
    as: 'admin',
    body,
    headers,
  });
const application = async (id: string) =>
  (await stack.request<Record<string, any>>('GET', `/applications/${id}`, { as: 'clerk' })).json;
const events = async (id: string) =>
  (
    await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events?limit=100`, {
      as: 'auditor',
    })
  ).json.items;
const bureauVerify = async () =>
  (await stack.request<Verdict>('GET', '/audit/bureau/verify', { as: 'auditor' })).json;
const item = async (id: string) =>
  (await doc.send(new GetCommand({ TableName: stack.tables.main, Key: appKey(id) }))).Item ?? {};

describe('PUT /admin/calendar/{year}: bad input', () => {
  it.for([
    ['a date outside its year', 2027, { holidays: ['2027-01-01', '2026-12-31'], workdays: [] }, 'holidays.1'],
    [
      'a date both holiday and working day',
      2027,
      { holidays: ['2027-02-20'], workdays: ['2027-02-20'] },
      'workdays.0',
    ],
    ['no real date', 2027, { holidays: ['2027-02-30'], workdays: [] }, 'holidays.0'],
    ['an unknown field', 2027, { holidays: [], workdays: [], note: 'x' }, 'note'],
    ['a year before 2000', 1999, { holidays: [], workdays: [] }, 'path.year'],
    ['a year beyond next year + 1', 2029, { holidays: [], workdays: [] }, 'path.year'],
  ] as const)('%s → 400 naming %s, nothing stored', async ([, year, body, path]) => {
    const res = await put(year, body);
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.issues?.map((i) => i.path)).toContain(path);
  });

  it('stored nothing: every year still the seed’s, the bureau stream empty', async () => {
    expect((await years()).every((y) => y.source === 'seed')).toBe(true);
    expect(await bureauVerify()).toMatchObject({ ok: true, events: 0 });
  });
});

describe('2027 entered at run time', () => {
  it('before: the dates through 2027 are counted Monday–Friday, and say so', async () => {
    const report = await application(ids.report);
    expect(report.clock).toMatchObject({ dueDate: '2027-02-23', calendarPublished: false });
    const form = await application(ids.form);
    expect(form.acceptance.commentEndsOn).toBe('2027-01-04');
    const notices = await stack.request<{ items: { applicationId: string; endsOn?: string }[] }>(
      'GET',
      '/public/notices?limit=10',
    );
    expect(notices.json.items.find((n) => n.applicationId === ids.form)?.endsOn).toBe('2027-01-04');
  });

  it('PUT stores the year, sorted and without repeats, with its bureau event, marked pending', async () => {
    expect((await put(2027, y2027, { 'if-match': '"1"' })).status).toBe(412);
    const res = await put(2027, y2027, { 'if-match': '"0"' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    const stored = (await years()).find((y) => y.year === 2027);
    expect(stored).toMatchObject({
      source: 'bureau',
      version: 1,
      pendingRecompute: true,
      holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
      workdays: ['2027-02-20'],
    });
    expect(await bureauVerify()).toMatchObject({ ok: true, events: 1 });
    const stream = await stack.request<{ items: Record<string, unknown>[] }>('GET', '/audit/bureau/events', {
      as: 'auditor',
    });
    expect(stream.json.items).toEqual([
      expect.objectContaining({
        stream: 'bureau',
        seq: 1,
        action: 'set_calendar_year',
        subject: 'calendar/2027',
        actor: { id: 'demo-admin', role: 'admin', name: '李明' },
        changes: { before: null, after: stored && { holidays: stored.holidays, workdays: stored.workdays } },
      }),
    ]);
  });

  it('one sweep recomputes the stored dates and sweep keys, an event each', async () => {
    const sweepKeyBefore = String((await item(ids.form)).gsi7sk);
    const report = await sweep<{ recompute?: { recomputed: number; years: number[] } }>(stack, '2026-12-29');
    // Two applications, and the one acceptance notice whose comment period moved.
    expect(report.recompute).toMatchObject({ years: [2027], recomputed: 2, notices: 1, settled: true });

    const form = await application(ids.form);
    expect(form.acceptance.commentEndsOn).toBe('2027-01-05');
    const notices = await stack.request<{
      items: { applicationId: string; kind: string; endsOn?: string }[];
    }>('GET', '/public/notices?limit=10');
    const acceptance = (id: string) =>
      notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
    expect(acceptance(ids.form)?.endsOn).toBe('2027-01-05');
    expect(acceptance(ids.report)?.endsOn).toBe('2026-12-15');
    expect(form.clock).toMatchObject({ dueDate: '2027-02-16', calendarPublished: true });
    const report2 = await application(ids.report);
    expect(report2.clock).toMatchObject({ dueDate: '2027-03-02', calendarPublished: true });

    const formItem = await item(ids.form);
    // The comment period's end is the first thing the sweeper looks at next: the day after it.
    expect(sweepKeyBefore.startsWith('2027-01-05#')).toBe(true);
    expect(String(formItem.gsi7sk).startsWith('2027-01-06#')).toBe(true);
    expect(String(formItem.gsi8sk).startsWith('2027-02-16#')).toBe(true);
    expect(String((await item(ids.report)).gsi8sk).startsWith('2027-03-02#')).toBe(true);

    const recomputed = (await events(ids.form)).filter((e) => e.action === 'recompute_dates');
    expect(recomputed).toHaveLength(1);
    expect(recomputed[0]).toMatchObject({
      actor: { id: 'system', role: 'system' },
      payload: {
        before: { commentEndsOn: '2027-01-04', sweepOn: '2027-01-05', queueDue: '2027-02-08' },
        after: { commentEndsOn: '2027-01-05', sweepOn: '2027-01-06', queueDue: '2027-02-16' },
      },
    });
    // Replaying the trail rebuilds the stored application, recomputed dates included.
    for (const id of [ids.form, ids.report]) {
      const res = await stack.request<Verdict>('GET', `/audit/applications/${id}/verify`, { as: 'auditor' });
      expect(res.json, id).toMatchObject({ ok: true });
    }
    expect((await years()).find((y) => y.year === 2027)?.pendingRecompute).toBeUndefined();
  });

  it('a second sweep recomputes nothing', async () => {
    const report = await sweep<{ recompute?: unknown }>(stack, '2026-12-29');
    expect(report.recompute).toBeUndefined();
    for (const id of [ids.form, ids.report]) {
      expect(
        (await events(id)).filter((e) => e.action === 'recompute_dates'),
        id,
      ).toHaveLength(1);
    }
  });
});

describe('the bureau stream', () => {
  it('a sweep within a cache lifetime of a change recounts, and keeps the mark for the next run', async () => {
    expect((await put(2028, { holidays: ['2028-01-01'], workdays: [] })).status).toBe(200);
    type Run = { recompute?: { recomputed: number; settled: boolean } };
    const now = await stack.request<Run>('POST', '/local/sweep');
    expect(now.json.recompute).toMatchObject({ recomputed: 0, settled: false });
    expect((await years()).find((y) => y.year === 2028)?.pendingRecompute).toBe(true);
    const later = await sweep<Run>(stack, '2026-12-30');
    expect(later.recompute).toMatchObject({ recomputed: 0, settled: true });
    expect((await years()).find((y) => y.year === 2028)?.pendingRecompute).toBeUndefined();
  });

  it('verifies, and reports the first tampered event', async () => {
    expect(await bureauVerify()).toMatchObject({ ok: true, events: 2 });
    const key = bureauEventKey(1);
    const stored = (await doc.send(new GetCommand({ TableName: stack.tables.main, Key: key }))).Item ?? {};
    await doc.send(
      new PutCommand({
        TableName: stack.tables.main,
        Item: { ...stored, payload: { year: 2027, holidays: ['2027-01-01'], workdays: [] } },
      }),
    );
    expect(await bureauVerify()).toMatchObject({
      ok: false,
      events: 2,
      firstBrokenSeq: 1,
      reason: 'hash of seq 1 does not match its contents',
    });
  });
});
