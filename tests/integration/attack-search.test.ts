/**
 * GET /applications?q= attacked, against DynamoDB Local: an applicant learns nothing of another's
 * case (the answer to another's term is the answer to a term in no case: no item, no cursor); a
 * cursor works only for the caller and the search it came from; a withdrawn case is still found by
 * whoever lists it; an official who must recuse finds what their list shows, and their work queue
 * leaves it out with or without q; the words a case is found by are never in an answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import { beijing, draft, draftBody, ok, otherApplicant } from './helpers/scenario.ts';

interface Found {
  items: { id: string; state: string }[];
  cursor?: string;
}

let stack: LocalStack;
/** The applicant's cases: one withdrawn, two plain drafts; the other applicant's one draft. */
let withdrawn = '';
const drafts: string[] = [];
let others = '';

const orgCode = users.applicant.orgCode ?? '';
/** A reviewer who belongs to the applicant's organisation: they must recuse from its cases. */
const ownOrgReviewer: TokenSubject = {
  sub: 'attack-recused',
  name: '同单位审查',
  groups: ['reviewer'],
  orgCode,
};

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
  withdrawn = await draft(stack, 'REPORT_FORM', '搜索攻击撤回的辊道窑');
  await ok(stack, withdrawn, 'submit', 'applicant');
  await ok(stack, withdrawn, 'accept', 'clerk');
  await ok(stack, withdrawn, 'withdraw', 'applicant', { reason: '项目取消' });
  for (const n of [1, 2]) {
    const res = await stack.request<{ id: string }>('POST', '/applications', {
      as: 'applicant',
      body: draftBody('REPORT_FORM', `搜索攻击草稿 ${n}`),
    });
    expect(res.status, res.text).toBe(201);
    drafts.push(res.json.id);
  }
  const res = await stack.request<{ id: string }>('POST', '/applications', {
    as: otherApplicant,
    body: {
      ...draftBody('REPORT_FORM', '别家的独有项目'),
      applicant: {
        orgName: '醴陵市别家电瓷有限公司',
        orgCode: otherApplicant.orgCode,
        contactName: '司马独有',
        contactPhone: '13900002222',
      },
    },
  });
  expect(res.status, res.text).toBe(201);
  others = res.json.id;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const get = (as: Who, query: Record<string, string>) =>
  stack.request<Found & { issues?: { path: string }[] }>(
    'GET',
    `/applications?${new URLSearchParams(query)}`,
    {
      as,
    },
  );
async function find(as: Who, query: Record<string, string>): Promise<Found> {
  const res = await get(as, query);
  expect(res.status, res.text).toBe(200);
  return res.json;
}
const ids = (found: Found) => found.items.map((a) => a.id);
async function refusedCursor(as: Who, query: Record<string, string>) {
  const res = await get(as, query);
  expect(res.status, res.text).toBe(400);
  expect(res.json.issues?.map((i) => i.path)).toEqual(['cursor']);
}

describe('an applicant learns nothing of another’s case', () => {
  it('another’s project, contact, id: the same answer as a term in no case', async () => {
    const nothing = await get('applicant', { q: '完全没有的词语', limit: '1' });
    for (const q of ['别家的独有项目', '司马独有', others, otherApplicant.orgCode]) {
      const res = await get('applicant', { q, limit: '1' });
      expect(res.status, q).toBe(200);
      expect(res.text, q).toBe(nothing.text);
    }
    // Each sees their own: the term is a real one.
    expect(ids(await find(otherApplicant, { q: '司马独有' }))).toEqual([others]);
  });

  it('a bad q is refused in words that do not repeat it', async () => {
    const res = await get('applicant', { q: '司马独有\u0000' });
    expect(res.status).toBe(400);
    expect(res.json.issues?.map((i) => i.path)).toEqual(['q']);
    expect(res.text).not.toContain('司马独有');
  });
});

describe('a hostile query string is 200 or 400 naming q, never a 500', () => {
  it.each([
    ['a lone byte', 'q=%FF'],
    ['a cut UTF-8 sequence', 'q=%E0%A4%A'],
    ['a bare percent', 'q=%'],
    ['an encoded NUL', 'q=%00'],
    ['an encoded surrogate half', 'q=%ED%A0%80'],
    ['q twice', 'q=a&q=b'],
    ['q as an array', 'q[]=a'],
    ['an empty q', 'q='],
    ['5,000 characters', `q=${'a'.repeat(5000)}`],
    ['a plus for a space, six words', 'q=a+b+c+d+e+f'],
  ])('%s', async (_, query) => {
    for (const as of ['applicant', 'auditor'] as const) {
      const res = await stack.request<{ issues?: { path: string }[] }>('GET', `/applications?${query}`, {
        as,
      });
      expect([200, 400], `${as}: ${res.text}`).toContain(res.status);
      // Named as sent: `q`, or the unknown parameter `q[]`.
      if (res.status === 400) expect(res.json.issues?.[0]?.path).toBe(query.startsWith('q[]') ? 'q[]' : 'q');
    }
  });
});

describe('a cursor is the caller’s and its search’s only', () => {
  it('an applicant’s search cursor: not for another applicant, an official, or another q', async () => {
    const first = await find('applicant', { q: '搜索攻击草稿', limit: '1' });
    expect(first.items).toHaveLength(1);
    const cursor = String(first.cursor);
    expect(first.cursor).toBeDefined();
    await refusedCursor(otherApplicant, { q: '搜索攻击草稿', limit: '1', cursor });
    await refusedCursor('auditor', { q: '搜索攻击草稿', limit: '1', cursor });
    await refusedCursor('applicant', { q: '搜索攻击', limit: '1', cursor });
    await refusedCursor('applicant', { q: '搜索攻击草稿', state: 'DRAFT', limit: '1', cursor });
    await refusedCursor('applicant', { limit: '1', cursor });
    // Edited by one character: refused, not read.
    const edited = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    await refusedCursor('applicant', { q: '搜索攻击草稿', limit: '1', cursor: edited });
    // Its own: the next page, the other draft.
    const second = await find('applicant', { q: '搜索攻击草稿', limit: '1', cursor });
    expect(new Set([...ids(first), ...ids(second)])).toEqual(new Set(drafts));
  });

  it('an official’s search cursor: not for an applicant, nor with other filters or without q', async () => {
    const first = await find('auditor', { q: '搜索攻击草稿', limit: '1' });
    const cursor = String(first.cursor);
    expect(first.cursor).toBeDefined();
    await refusedCursor('applicant', { q: '搜索攻击草稿', limit: '1', cursor });
    await refusedCursor('auditor', { q: '搜索攻击草稿', category: 'REPORT', limit: '1', cursor });
    await refusedCursor('auditor', { q: '搜索攻击草稿', state: 'DRAFT', limit: '1', cursor });
    await refusedCursor('auditor', { q: '搜索攻击草稿', mine: 'true', limit: '1', cursor });
    await refusedCursor('auditor', { q: '搜索攻击草稿', queue: 'mine', limit: '1', cursor });
    await refusedCursor('auditor', { limit: '1', cursor });
  });
});

describe('what a search finds is what the list shows', () => {
  it('a withdrawn case: for its owner and officials, also with state=WITHDRAWN', async () => {
    for (const who of ['applicant', 'auditor', 'clerk'] as const) {
      expect(ids(await find(who, { q: '撤回的辊道窑' })), who).toEqual([withdrawn]);
      expect(ids(await find(who, { q: '撤回的辊道窑', state: 'WITHDRAWN' })), who).toEqual([withdrawn]);
      expect(ids(await find(who, { q: '撤回的辊道窑', state: 'ACCEPTED' })), who).toEqual([]);
    }
  });

  it('an official who must recuse: found as their list shows it, never in their work queue', async () => {
    const accepted = await draft(stack, 'REPORT_FORM', '搜索攻击回避项目');
    await ok(stack, accepted, 'submit', 'applicant');
    await ok(stack, accepted, 'accept', 'clerk');
    const listed = ids(await find(ownOrgReviewer, { limit: '100' }));
    expect(listed).toContain(accepted);
    expect(ids(await find(ownOrgReviewer, { q: '回避项目' }))).toEqual([accepted]);
    expect(ids(await find(ownOrgReviewer, { queue: 'mine', limit: '100' }))).not.toContain(accepted);
    expect(ids(await find(ownOrgReviewer, { q: '回避项目', queue: 'mine' }))).toEqual([]);
    expect(ids(await find('reviewer', { q: '回避项目', queue: 'mine' }))).toEqual([accepted]);
  });
});

describe('the words a case is found by never leave the store', () => {
  it('not in a search, a list, a queue or one application', async () => {
    const answers = [
      await get('auditor', { q: '搜索攻击' }),
      await get('applicant', { q: '搜索攻击' }),
      await get('clerk', { limit: '100' }),
      await get('reviewer', { queue: 'mine' }),
      await stack.request('GET', `/applications/${withdrawn}`, { as: 'applicant' }),
    ];
    for (const res of answers) {
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toMatch(/findText|gsi9|搜索攻击撤回的辊道窑\|/);
    }
  });
});
