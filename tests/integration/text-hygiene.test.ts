/**
 * Text hygiene over HTTP (docs/http-api.md#text): control characters (NUL, ESC, NEL), direction
 * controls (U+202E) and lone surrogates in a new application, an act, a public comment, an upload's
 * file name, a query or the caller's name claim are refused with 400 naming the field, and nothing
 * is written: no application, no event, no comment, no upload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textFault } from '../../shared/schemas/text.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { beijing, draft, draftBody, ok } from './helpers/scenario.ts';

interface Problem {
  status: number;
  detail: string;
  issues?: { path: string; code?: string; params?: { rule?: string } }[];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const hidden = [
  ['NUL', 'a\u0000b', 'control-chars'],
  ['ESC', '\u001b[2J清屏', 'control-chars'],
  ['U+202E', '陶瓷\u202efdp.exe', 'bidi-chars'],
  ['U+0085', '一\u0085二', 'control-chars'],
  ['a lone surrogate', '醴\ud800陵', 'broken-char'],
] as const;

/** The one issue of a 400: its path and its rule. */
function refused(res: { status: number; json: unknown; text: string }, path: string, rule?: string): void {
  expect(res.status, res.text).toBe(400);
  const problem = res.json as Problem;
  expect(
    problem.issues?.map((i) => i.path),
    res.text,
  ).toContain(path);
  if (rule) expect(problem.issues?.find((i) => i.path === path)?.params?.rule, res.text).toBe(rule);
}

async function mine(): Promise<string[]> {
  const res = await stack.request<{ items: { id: string }[] }>('GET', '/applications?limit=100', {
    as: 'applicant',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((a) => a.id).sort();
}

async function trailLength(id: string): Promise<number> {
  const res = await stack.request<{ items: unknown[] }>('GET', `/applications/${id}/events?limit=100`, {
    as: 'auditor',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items.length;
}

describe('text hygiene over HTTP', () => {
  let id: string;
  beforeAll(async () => {
    await stack.setNow(beijing('2026-03-02'));
    id = await draft(stack, 'REPORT', '文本卫生测试项目');
  });

  it('refuses a new application with a hidden character in any text, and creates nothing', async () => {
    const before = await mine();
    for (const [label, value, rule] of hidden) {
      for (const [group, key] of [
        ['project', 'name'],
        ['project', 'description'],
        ['applicant', 'contactName'],
      ] as const) {
        const body = draftBody('REPORT') as unknown as Record<string, Record<string, unknown>>;
        (body[group] as Record<string, unknown>)[key] = value;
        const res = await stack.request('POST', '/applications', { as: 'applicant', body });
        refused(res, `${group}.${key}`, rule);
        expect(res.text, label).not.toContain(value);
      }
    }
    // One line: a line break in a name is refused; in the description it is taken.
    const body = draftBody('REPORT') as unknown as Record<string, Record<string, unknown>>;
    (body.project as Record<string, unknown>).name = '陶瓷\n窑炉';
    refused(
      await stack.request('POST', '/applications', { as: 'applicant', body }),
      'project.name',
      'single-line',
    );
    expect(await mine()).toEqual(before);
  });

  it('refuses an act or a change whose text holds one (or a tab in one line), and appends no event', async () => {
    const before = await trailLength(id);
    for (const [, value, rule] of hidden) {
      const res = await stack.request('POST', `/applications/${id}/actions/withdraw`, {
        as: 'applicant',
        body: { reason: value },
      });
      refused(res, 'reason', rule);
    }
    const patch = await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { project: { location: '醴陵市\t经开区' } },
      headers: { 'if-match': '"2"' },
    });
    refused(patch, 'project.location', 'single-line');
    expect(await trailLength(id)).toBe(before);
  });

  it('refuses an upload whose file name or content type holds one, and announces nothing', async () => {
    const announced = async (fileName: string, contentType = 'application/pdf') =>
      stack.request('POST', `/applications/${id}/uploads`, {
        as: 'applicant',
        body: { code: 'EIA_DOCUMENT', fileName, sha256: 'a'.repeat(64), sizeBytes: 100, contentType },
      });
    for (const [, value] of hidden) refused(await announced(`${value}.pdf`), 'fileName');
    refused(await announced('报告书.pdf', 'application/pdf\u0000'), 'contentType', 'control-chars');
    refused(await announced('报告书.pdf', 'application/\u202epdf'), 'contentType', 'bidi-chars');
    const list = await stack.request<{ items: { fileName: string }[] }>(
      'GET',
      `/applications/${id}/materials`,
      {
        as: 'applicant',
      },
    );
    if (list.status === 200)
      for (const m of list.json.items) expect(textFault(m.fileName, 'line')).toBeUndefined();
  });

  it('refuses a public comment with one, or a line break in its name, and stores no comment', async () => {
    await ok(stack, id, 'submit', 'applicant');
    await stack.setNow(beijing('2026-03-03'));
    await ok(stack, id, 'accept', 'clerk');
    const notices = await stack.request<{
      items: { noticeId: string; applicationId: string; kind: string }[];
    }>('GET', '/public/notices?limit=100');
    const notice = notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
    if (!notice) throw new Error(notices.text);
    const comment = (body: unknown) =>
      stack.request('POST', `/public/notices/${encodeURIComponent(notice.noticeId)}/comments`, { body });
    const before = await trailLength(id);
    for (const [, value, rule] of hidden) {
      refused(await comment({ text: value }), 'text', rule);
      refused(await comment({ text: '好', name: value }), 'name', rule);
    }
    refused(await comment({ text: '好', name: '李\n四' }), 'name', 'single-line');
    refused(await comment({ text: '好', contact: '138\t0000' }), 'contact', 'single-line');
    expect(await trailLength(id)).toBe(before);
    const counted = await stack.request<{ received: number }>('GET', `/applications/${id}/comments`, {
      as: 'reviewer',
    });
    expect(counted.json.received, counted.text).toBe(0);
    // The control: a comment of several paragraphs is taken.
    const taken = await comment({ text: '第一段。\n\n第二段：\t废水去向？', name: '李四' });
    expect(taken.status, taken.text).toBe(202);
  });

  it('refuses a search with one, naming the parameter', async () => {
    for (const [, value, rule] of hidden.filter(([label]) => label !== 'a lone surrogate')) {
      refused(await stack.request('GET', `/public/notices?q=${encodeURIComponent(value)}`), 'q', rule);
      refused(
        await stack.request('GET', `/applications?q=${encodeURIComponent(value)}`, { as: 'clerk' }),
        'q',
        rule,
      );
      refused(
        await stack.request('GET', `/audit/events?actor=${encodeURIComponent(value)}`, { as: 'auditor' }),
        'actor',
        rule,
      );
    }
  });

  it('refuses a caller whose name claim holds one with 400 naming token.name, and writes nothing', async () => {
    const before = await mine();
    for (const [, value, rule] of hidden.filter(([label]) => label !== 'a lone surrogate')) {
      const who = { ...users.applicant, name: value };
      const res = await stack.request('POST', '/applications', { as: who, body: draftBody('REPORT') });
      refused(res, 'token.name', rule);
      expect((res.json as Problem).detail).toMatch(/administrator must correct/);
    }
    expect(await mine()).toEqual(before);
  });
});
