/**
 * Work queues (GET /applications?queue=mine) against DynamoDB Local: each official and the
 * applicant see exactly what waits on them now, due date first, read from the queue index.
 * Time is moved with the local clock; dates are in plain working weeks of March 2026.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../shared/domain/config.ts';
import { type LocalStack, startLocalStack, type Who } from './helpers/local-stack.ts';
import { beijing, draft } from './helpers/scenario.ts';

interface Item {
  id: string;
  state: string;
  project: { name: string };
  clock?: { dueDate: string; status: string };
  allowedActions: string[];
}
interface Page {
  items: Item[];
  cursor?: string;
}

const otherReviewer = { sub: 'reviewer-2', name: '钱审查', groups: ['reviewer'] } as const;

let stack: LocalStack;
const ids: Record<string, string> = {};
let minute = 0;

/** Each step a minute later than the last, so creation times never tie. */
async function at(date: string) {
  minute += 1;
  await stack.setNow(beijing(date, `09:${String(minute).padStart(2, '0')}`));
}

async function create(name: string, date: string): Promise<void> {
  await at(date);
  ids[name] = await draft(stack, 'REPORT_FORM', name);
}

async function act(name: string, action: string, as: Who, date: string, body: unknown = {}) {
  await at(date);
  const res = await stack.request('POST', `/applications/${ids[name]}/actions/${action}`, { as, body });
  expect(res.status, `${name} ${action}: ${res.text}`).toBe(200);
}

/** Every page of the caller's queue, `limit` at a time; the project names in order. */
async function queue(as: Who, limit = 20, extra = ''): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const q = `queue=mine&limit=${limit}${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await stack.request<Page>('GET', `/applications?${q}`, { as });
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    cursor = res.json.cursor;
    if (!cursor) return items;
  }
  throw new Error('the queue does not end');
}
const names = (items: Item[]) => items.map((i) => i.project.name);

beforeAll(async () => {
  stack = await startLocalStack();
  const supplement = { items: [{ code: defaultConfig.required.REPORT_FORM[0], reason: '缺页' }] };
  const revision = { items: [{ topic: '大气环境影响预测', detail: '补充非正常工况预测' }] };
  const proposal = { proposal: 'approve', conditions: ['颗粒物排放浓度不超过 10 mg/m³'] };

  // Tue 02-24: E1 is older, submitted and accepted at once, so the public's comment period on its
  // acceptance notice (5 working days, the 02-28 Saturday among them) is over by 03-02.
  await create('E1', '2026-02-24');
  await act('E1', 'submit', 'applicant', '2026-02-24');
  await act('E1', 'accept', 'clerk', '2026-02-24');
  // Mon 03-02: everything else is created; most are submitted.
  for (const name of ['A1', 'A3', 'B1', 'C1', 'C2', 'C3', 'D1', 'D2', 'X1']) await create(name, '2026-03-02');
  for (const name of ['A1', 'B1', 'C1', 'C2', 'C3', 'D1', 'D2'])
    await act(name, 'submit', 'applicant', '2026-03-02');
  await act('A3', 'request_preview', 'applicant', '2026-03-02', { question: '报告书还是报告表？' });
  // Tue 03-03
  await create('A2', '2026-03-03');
  await act('A2', 'submit', 'applicant', '2026-03-03');
  for (const name of ['C1', 'D2']) await act(name, 'accept', 'clerk', '2026-03-03');
  await act('D1', 'request_supplement', 'clerk', '2026-03-03', supplement);
  // Wed 03-04
  await act('B1', 'accept', 'clerk', '2026-03-04');
  for (const name of ['C1', 'E1', 'D2']) await act(name, 'start_review', 'reviewer', '2026-03-04');
  // Thu 03-05
  for (const name of ['C2', 'C3']) await act(name, 'accept', 'clerk', '2026-03-05');
  await act('C2', 'start_review', otherReviewer, '2026-03-05');
  await act('D2', 'request_revision', 'reviewer', '2026-03-05', revision);
  // Fri 03-06
  await act('C3', 'start_review', 'reviewer', '2026-03-06');
  await act('E1', 'propose_decision', 'reviewer', '2026-03-06', proposal);
  // X1 stays a draft: it waits on nobody.
});
afterAll(async () => {
  await stack?.stop();
});

describe('GET /applications?queue=mine', () => {
  it('shows the window what it must check: submitted by completeness deadline, then previews', async () => {
    await at('2026-03-06');
    const items = await queue('clerk');
    expect(names(items)).toEqual(['A1', 'A2', 'A3']);
    expect(items.map((i) => i.state)).toEqual(['SUBMITTED', 'SUBMITTED', 'PREVIEW_REQUESTED']);
    expect(items[0]?.allowedActions).toContain('accept');
  });

  it('shows a reviewer their own cases and the unassigned accepted ones, by review due date', async () => {
    const items = await queue('reviewer');
    // C1 accepted 03-03, B1 03-04 (unassigned), C3 03-05: the merge of two partitions.
    expect(names(items)).toEqual(['C1', 'B1', 'C3']);
    const dues = items.map((i) => i.clock?.dueDate as string);
    expect([...dues].sort()).toEqual(dues);
    expect(new Set(dues).size).toBe(3);
    expect(items.every((i) => i.clock?.status === 'ON_TRACK')).toBe(true);
    expect(items[1]?.allowedActions).toEqual(expect.arrayContaining(['start_review']));
    expect(items[0]?.allowedActions).toEqual(expect.arrayContaining(['propose_decision']));
    // Paged one at a time, the cursor keeps both partitions' places: the same order.
    expect(names(await queue('reviewer', 1))).toEqual(['C1', 'B1', 'C3']);
  });

  it('shows another reviewer the unassigned ones and their own case, never the first reviewer’s', async () => {
    expect(names(await queue(otherReviewer))).toEqual(['B1', 'C2']);
    expect(names(await queue(otherReviewer, 1))).toEqual(['B1', 'C2']);
  });

  it('shows the applicant what waits on their answer: the supplement and the revision', async () => {
    const items = await queue('applicant');
    expect(names(items)).toEqual(['D1', 'D2']);
    expect(items.map((i) => i.state)).toEqual(['SUPPLEMENT_REQUIRED', 'REVISION_REQUIRED']);
    expect(items[0]?.allowedActions).toContain('resubmit');
    expect(items[1]?.allowedActions).toContain('submit_revision');
  });

  it('filters a queue by state= and category=', async () => {
    expect(names(await queue('reviewer', 20, '&state=ACCEPTED'))).toEqual(['B1']);
    expect(names(await queue('reviewer', 1, '&state=UNDER_REVIEW'))).toEqual(['C1', 'C3']);
    expect(names(await queue('clerk', 20, '&category=REPORT'))).toEqual([]);
  });

  it('shows the approver a proposed decision only once the notice period has ended', async () => {
    const notice = await stack.request<{ proposal: { noticeEndsOn: string } }>(
      'GET',
      `/applications/${ids.E1}`,
      {
        as: 'approver',
      },
    );
    // Proposed Fri 03-06: 5 working days of notice, 03-09..03-13.
    expect(notice.json.proposal.noticeEndsOn).toBe('2026-03-13');
    await at('2026-03-13');
    expect(names(await queue('approver'))).toEqual([]);
    await at('2026-03-16');
    const items = await queue('approver');
    expect(names(items)).toEqual(['E1']);
    expect(items[0]?.allowedActions).toContain('approve');
  });

  it('moves an application to the next queue when it changes hands, and off the queues when done', async () => {
    await act('A1', 'accept', 'clerk', '2026-03-16');
    expect(names(await queue('clerk'))).toEqual(['A2', 'A3']);
    expect(names(await queue(otherReviewer))).toContain('A1');
    await act('E1', 'approve', 'approver', '2026-03-16');
    expect(names(await queue('approver'))).toEqual([]);
    expect(names(await queue('reviewer'))).not.toContain('E1');
  });
});
