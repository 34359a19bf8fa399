/**
 * Finding applications (GET /applications?q=) against DynamoDB Local: one case taken to approval
 * is found by each kind of term (case number, decision number, project, company, USCC, contact
 * person, the officials who acted), a walk-in by its clerk; a deleted draft is never found; an
 * applicant never finds another's case; a search pages with its cursor and combines with state=.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import { beijing, draftBody, ok, otherApplicant, submitted } from './helpers/scenario.ts';

interface Found {
  items: { id: string; project: { name: string }; caseNumber?: string; decisionNumber?: string }[];
  cursor?: string;
}

let stack: LocalStack;
/** The case taken to approval, as the approver's answer had it. */
let approved: { id: string; caseNumber: string; decisionNumber: string };
let walkIn = '';
let deleted = '';
let others = '';

beforeAll(async () => {
  stack = await startLocalStack();
  const id = await submitted(stack, '2026-03-02');
  await stack.setNow(beijing('2026-03-03'));
  await ok(stack, id, 'accept', 'clerk');
  await ok(stack, id, 'start_review', 'reviewer');
  await stack.setNow(beijing('2026-03-11'));
  await ok(stack, id, 'propose_decision', 'reviewer', { proposal: 'approve', conditions: ['废水不外排'] });
  await stack.setNow(beijing('2026-03-19'));
  const res = await ok(stack, id, 'approve', 'approver');
  const app = res.json.application as { caseNumber?: string; decisionNumber?: string };
  approved = { id, caseNumber: String(app.caseNumber), decisionNumber: String(app.decisionNumber) };

  const create = async (as: Who, body: unknown) => {
    const made = await stack.request<{ id: string }>('POST', '/applications', { as, body });
    expect(made.status, made.text).toBe(201);
    return made.json.id;
  };
  walkIn = await create('clerk', {
    ...draftBody('REPORT_FORM', '窗口代录的隧道窑'),
    onBehalfOf: { orgName: '醴陵市某陶瓷有限公司', orgCode: users.applicant.orgCode },
  });
  deleted = await create('applicant', draftBody('REPORT_FORM', '作废的釉料车间'));
  const gone = await stack.request('DELETE', `/applications/${deleted}`, { as: 'applicant' });
  expect(gone.status, gone.text).toBe(204);
  others = await create(otherApplicant, {
    ...draftBody('REPORT_FORM', '别家的电瓷项目'),
    applicant: {
      orgName: '醴陵市别家电瓷有限公司',
      orgCode: otherApplicant.orgCode,
      contactName: '欧阳娜',
      contactPhone: '13900001111',
    },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function find(as: Who, query: Record<string, string>): Promise<Found> {
  const res = await stack.request<Found>('GET', `/applications?${new URLSearchParams(query)}`, { as });
  expect(res.status, res.text).toBe(200);
  return res.json;
}
const ids = (found: Found) => found.items.map((a) => a.id);

describe('each kind of term finds the case', () => {
  it.each([
    ['its case number', () => approved.caseNumber],
    ['part of its case number, in lower case', () => approved.caseNumber.slice(-6).toLowerCase()],
    ['its decision number', () => approved.decisionNumber],
    [
      'its decision number with other brackets and spaces',
      () => approved.decisionNumber.replace('〔', '[ ').replace('〕', ' ]'),
    ],
    ['part of its project name', () => '窑炉改造'],
    ['two words of it', () => '陶瓷 有限公司'],
    ['the company name', () => '醴陵市某陶瓷有限公司'],
    ['the USCC', () => String(users.applicant.orgCode)],
    ['the contact person', () => '黄秀英'],
    ['the clerk who accepted it', () => users.clerk.name],
    ['the reviewer', () => users.reviewer.name],
    ['the approver who decided', () => users.approver.name],
  ])('%s, for the auditor and an official', async (_, term) => {
    for (const who of ['auditor', 'clerk'] as const)
      expect(ids(await find(who, { q: term(), limit: '100' })), `${who}: ${term()}`).toContain(approved.id);
  });

  it('a walk-in by the clerk who took it in, and by the organisation it is for', async () => {
    expect(ids(await find('auditor', { q: users.clerk.name, limit: '100' }))).toContain(walkIn);
    expect(ids(await find('reviewer', { q: '隧道窑' }))).toEqual([walkIn]);
  });

  it('finds nothing for a term in no case, and combines with state=', async () => {
    expect(ids(await find('auditor', { q: '不存在的项目名称' }))).toEqual([]);
    expect(ids(await find('clerk', { q: '窑炉改造', state: 'APPROVED' }))).toEqual([approved.id]);
    expect(ids(await find('clerk', { q: '窑炉改造', state: 'DRAFT' }))).toEqual([]);
  });
});

describe('what is never found', () => {
  it('a deleted draft, by anyone', async () => {
    for (const who of ['auditor', 'clerk', 'applicant'] as const)
      expect(ids(await find(who, { q: '作废的釉料车间' })), who).not.toContain(deleted);
    expect(ids(await find('applicant', { q: '釉料', mine: 'true' }))).toEqual([]);
  });

  it('another applicant’s case, by an applicant, whatever the term', async () => {
    for (const q of [approved.caseNumber, approved.decisionNumber, '窑炉改造', '黄秀英', '隧道窑'])
      expect(ids(await find(otherApplicant, { q })), q).toEqual([]);
    for (const q of ['电瓷', '欧阳娜']) expect(ids(await find('applicant', { q })), q).toEqual([]);
    // Each finds their own.
    expect(ids(await find(otherApplicant, { q: '电瓷' }))).toEqual([others]);
    expect(ids(await find('applicant', { q: approved.decisionNumber }))).toEqual([approved.id]);
    // And the organisation's walk-in.
    expect(ids(await find('applicant', { q: '隧道窑' }))).toEqual([walkIn]);
  });
});

describe('paging', () => {
  it('goes through every match newest first, each once, with the cursor', async () => {
    const made: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await stack.request<{ id: string }>('POST', '/applications', {
        as: 'applicant',
        body: draftBody('REPORT_FORM', `分页用辊道窑 ${i}`),
      });
      expect(res.status, res.text).toBe(201);
      made.push(res.json.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await find('auditor', { q: '辊道窑', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    // A cursor of one search does not page another.
    const first = await find('auditor', { q: '辊道窑', limit: '2' });
    const other = await stack.request<{ issues: { path: string }[] }>(
      'GET',
      `/applications?${new URLSearchParams({ q: '隧道窑', limit: '2', cursor: String(first.cursor) })}`,
      { as: 'auditor' },
    );
    expect(other.status).toBe(400);
    expect(other.json.issues.map((i) => i.path)).toEqual(['cursor']);
  });
});
