/**
 * Text hygiene (docs/http-api.md#text): every string field of every request body the API documents
 * refuses control characters, direction controls and broken characters with a 400 naming it; one-
 * line fields refuse line breaks and tabs, multi-line fields take them. The fields are found by
 * walking the request schemas of /openapi.json, so a new field is covered without a new row here;
 * a new route with a body fails until it is given its parser and a valid body below.
 */
import { describe, expect, it } from 'vitest';
import { textIssue } from '../../../../shared/domain/comments.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { AppError, type FieldIssue, ValidationError } from '../../../../shared/domain/errors.ts';
import { commentInput, responseInput } from '../../../../shared/http/comments.ts';
import { hearingRequestInput } from '../../../../shared/http/hearings.ts';
import { entriesToRead, InboxReadSchema } from '../../../../shared/http/inbox.ts';
import { openapiDocument } from '../../../../shared/http/openapi-document.ts';
import { type ActionName, actionNames, actionPayloads } from '../../../../shared/schemas/actions.ts';
import { parseCalendarYear } from '../../../../shared/schemas/calendar.ts';
import { CreateApplicationSchema, UpdateApplicationSchema } from '../../../../shared/schemas/common.ts';
import { parseWorkflowConfig } from '../../../../shared/schemas/config.ts';
import { parse } from '../../../../shared/schemas/parse.ts';
import { InvitationSchema, StaffPatchSchema } from '../../../../shared/schemas/staff.ts';
import { textFault } from '../../../../shared/schemas/text.ts';
import { UploadRequestSchema } from '../../../../shared/schemas/uploads.ts';
import { createBody, payloads } from '../domain/fixtures.ts';

/** How each route checks its body, as its handler does. */
const parsers: Record<string, (body: unknown) => unknown> = {
  'create-application': (b) => parse(CreateApplicationSchema, b),
  'update-application': (b) => parse(UpdateApplicationSchema, b),
  'create-upload': (b) => parse(UploadRequestSchema, b),
  'public-comment': commentInput,
  'respond-comment': responseInput,
  'public-hearing-request': hearingRequestInput,
  'inbox-read': (b) => entriesToRead(parse(InboxReadSchema, b)),
  'admin-invite-user': (b) => parse(InvitationSchema, b),
  'admin-update-user': (b) => parse(StaffPatchSchema, b),
  'admin-calendar-year': (b) => parseCalendarYear('2026', b, 2026),
  'admin-update-config': parseWorkflowConfig,
  ...Object.fromEntries(
    actionNames.map((name) => [name, (b: unknown) => parse(actionPayloads[name as ActionName], b)]),
  ),
};

/** A body each route takes. */
const valid: Record<string, unknown> = {
  'create-application': createBody('REPORT'),
  'update-application': { project: { name: '醴陵陶瓷产业园项目' } },
  'create-upload': {
    code: 'EIA_DOCUMENT',
    fileName: '报告书.pdf',
    sha256: 'a'.repeat(64),
    sizeBytes: 1024,
    contentType: 'application/pdf',
  },
  'public-comment': { text: '请说明废水去向。', name: '李四', contact: '13800000000' },
  'respond-comment': { response: '废水经处理后接入园区污水处理厂。' },
  'public-hearing-request': { name: '李四', contact: '13800000000', reason: '项目距我家不足 300 米。' },
  'inbox-read': { ids: [Buffer.from('INBOX#2026-03-02T01:00:00.000Z#app#1').toString('base64url')] },
  'admin-invite-user': { email: 'wang@example.com', name: '王芳', groups: ['clerk'] },
  'admin-update-user': { enabled: true },
  'admin-calendar-year': { holidays: ['2026-01-01'], workdays: [] },
  'admin-update-config': structuredClone(defaultConfig),
  ...payloads,
};

/**
 * The multi-line fields (a reason, an opinion, a comment): every other text field is one line. A
 * new free-text field fails the classification test until it is listed here or proved one line.
 */
const multiLine = new Set([
  'request_preview question',
  'give_preview_advice advice',
  'request_supplement items.0.reason',
  'decline reason',
  'record_expert_opinion opinion',
  'request_revision items.0.detail',
  'submit_revision response',
  'propose_decision conditions.0',
  'propose_decision reasons.0',
  'approve conditions.0',
  'reject reasons.0',
  'return_to_review reason',
  'request_hearing reason',
  'record_hearing_outcome summary',
  'withdraw reason',
  'record_milestone note',
  'create-application project.description',
  'update-application project.description',
  'public-comment text',
  'respond-comment response',
  'public-hearing-request reason',
]);

type Json = Record<string, unknown>;
interface Leaf {
  path: (string | number)[];
  /** Free text: no pattern, format, enum or constant narrows it (and, below, plain words are taken). */
  free: boolean;
}

/** Every string leaf of a JSON schema, arrays by their first item. */
function leaves(schema: Json, path: (string | number)[] = []): Leaf[] {
  const out: Leaf[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const branch of (schema[key] as Json[] | undefined) ?? []) out.push(...leaves(branch, path));
  if (schema.type === 'string')
    out.push({
      path,
      free: !('pattern' in schema || 'format' in schema || 'enum' in schema || 'const' in schema),
    });
  if (schema.type === 'object')
    for (const [key, sub] of Object.entries((schema.properties as Record<string, Json>) ?? {}))
      out.push(...leaves(sub, [...path, key]));
  if (schema.type === 'array' && schema.items) out.push(...leaves(schema.items as Json, [...path, 0]));
  return out;
}

/** A copy of `body` with `value` at `path`, making the objects and arrays on the way. */
function setAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Json;
  let at: Json = copy;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      at[key] = value;
      return;
    }
    const next = path[i + 1];
    if (at[key] === null || typeof at[key] !== 'object') at[key] = typeof next === 'number' ? [] : {};
    at = at[key] as Json;
  });
  return copy;
}

/** The issues a parser raised, or [] when it took the body. */
function issuesOf(parser: (body: unknown) => unknown, body: unknown): FieldIssue[] {
  try {
    parser(body);
    return [];
  } catch (error) {
    // A 422 (a configuration's rules across fields) is no refusal of the text: keep it apart.
    if (error instanceof ValidationError) return error.issues ?? [];
    if (error instanceof AppError) return [{ path: `(${error.status})`, message: error.message }];
    throw error;
  }
}

/** Every documented request body: its operation and schema. */
function bodies(): Array<{ op: string; schema: Json }> {
  const doc = openapiDocument() as { paths: Record<string, Record<string, Json>> };
  return Object.values(doc.paths).flatMap((ops) =>
    Object.values(ops).flatMap((op) => {
      const schema = (op.requestBody as Json | undefined)?.content as Record<string, { schema: Json }>;
      return schema?.['application/json']
        ? [{ op: String(op.operationId), schema: schema['application/json'].schema }]
        : [];
    }),
  );
}

const hostile = [
  ['NUL', 'a\u0000b', 'control-chars'],
  ['ESC', '\u001b[2J清屏', 'control-chars'],
  ['U+202E', '报告\u202efdp.exe', 'bidi-chars'],
  ['U+0085 (NEL)', '一\u0085二', 'control-chars'],
  ['a lone surrogate', 'x\ud800y', 'broken-char'],
] as const;

const all = bodies();
const cases = all.flatMap(({ op, schema }) =>
  leaves(schema).map((leaf) => {
    const parser = parsers[op] as (b: unknown) => unknown;
    // A code, a date, an e-mail address or a credit code has its own form and its own words.
    const free =
      leaf.free &&
      parser !== undefined &&
      issuesOf(parser, setAt(valid[op], leaf.path, '普通文字 Plain 1')).length === 0;
    return { op, path: leaf.path, free, name: leaf.path.join('.') };
  }),
);

describe('text hygiene over every request body', () => {
  it('finds every body, with its parser and a valid body it takes (control)', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(cases.length).toBeGreaterThan(60);
    expect(cases.filter((c) => c.free).length).toBeGreaterThan(40);
    for (const { op } of all) {
      expect(parsers[op], `${op}: give it a parser`).toBeDefined();
      expect(valid[op], `${op}: give it a valid body`).toBeDefined();
      expect(issuesOf(parsers[op] as (b: unknown) => unknown, valid[op]), op).toEqual([]);
    }
  });

  for (const [label, value, rule] of hostile) {
    it(`refuses ${label} in every string field, naming the field`, () => {
      const missed: string[] = [];
      for (const { op, path, name, free } of cases) {
        const issues = issuesOf(parsers[op] as (b: unknown) => unknown, setAt(valid[op], path, value));
        const named = issues.filter((i) => i.path === name);
        if (named.length === 0) missed.push(`${op} ${name}: ${JSON.stringify(issues)}`);
        // A free text field says why, as a rule a client can word; a patterned one, that it is not the form.
        else if (
          free &&
          !named.some(
            (i) => i.code === 'custom' && (i.params?.rule === rule || i.params?.rule === 'file-name-path'),
          )
        )
          missed.push(`${op} ${name}: ${JSON.stringify(named)}`);
      }
      expect(missed).toEqual([]);
    });
  }

  it('takes line breaks and tabs in multi-line fields only; one-line fields refuse them', () => {
    const found = new Set<string>();
    const wrong: string[] = [];
    for (const { op, path, name } of cases.filter((c) => c.free)) {
      for (const value of ['第一行\n第二行', '甲\t乙', 'a\r\nb', 'a\u2028b']) {
        const issues = issuesOf(parsers[op] as (b: unknown) => unknown, setAt(valid[op], path, value)).filter(
          (i) => i.path === name,
        );
        if (issues.length === 0) found.add(`${op} ${name}`);
        else if (multiLine.has(`${op} ${name}`)) wrong.push(`${op} ${name} refused ${JSON.stringify(value)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...found].sort()).toEqual([...multiLine].sort());
  });

  it('takes zero-width joiners and emoji, and Chinese text with its own punctuation', () => {
    for (const value of ['👩\u200d🔬 李\u200c四', '醴陵市（经开区）“陶瓷”项目；第 1 期', 'Zoë Ørsted']) {
      expect(textFault(value, 'line'), value).toBeUndefined();
      expect(issuesOf(parsers.decline as (b: unknown) => unknown, { reason: value })).toEqual([]);
    }
  });
});

describe('textFault and textIssue', () => {
  it.each([
    ['\u0000', 'control-chars', 'U+0000'],
    ['ok\u007f', 'control-chars', 'U+007F'],
    ['\u009b31m', 'control-chars', 'U+009B'],
    ['a\u2066b\u2069', 'bidi-chars', 'U+2066'],
    ['\u200fx', 'bidi-chars', 'U+200F'],
    ['\u061c', 'bidi-chars', 'U+061C'],
    ['\u202a', 'bidi-chars', 'U+202A'],
    ['\udc00', 'broken-char', 'U+DC00'],
  ])('%j breaks %s at %s, in one line or many', (value, rule, char) => {
    for (const kind of ['line', 'lines'] as const)
      expect(textFault(value, kind)?.params).toEqual({ rule, char });
  });

  it('names the first line break of a one-line text, never the text itself', () => {
    expect(textFault('a\nb', 'line')?.params).toEqual({ rule: 'single-line', char: 'U+000A' });
    expect(textFault('a\nb', 'lines')).toBeUndefined();
    expect(textIssue('name', '张\n三', 100, true, 'line')).toMatchObject({
      path: 'name',
      code: 'custom',
      params: { rule: 'single-line' },
    });
    expect(textIssue('text', '第一段\n\n第二段', 100, true)).toBeUndefined();
  });
});
