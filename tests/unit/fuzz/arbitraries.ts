/**
 * Hostile input, as fast-check arbitraries: strings that break parsers, bodies that are almost
 * right, bodies that try to set what only the system sets, and query strings and headers that
 * probe every bound.
 */
import fc from 'fast-check';

/** Any UTF-16 code unit, lone surrogates included: what a JSON `\uXXXX` escape can produce. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Strings that have broken parsers, logs and databases before. */
export const nastyConstants = [
  '',
  ' ',
  '\t\n\r ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\u001b[2J',
  'a\u0085b',
  'a\u2066b\u2069',
  '\u200fx',
  'a\u009bb',
  '\ufeff',
  '💥'.repeat(10),
  '../../../etc/passwd',
  '..%2F..%2F',
  '%00',
  '%',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  "' OR '1'='1' --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e400',
  'true',
  'APP#x',
  'EVT#0000000001',
  '#',
  ',',
  '="=cmd|\' /C calc\'!A0"',
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...nastyConstants),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 300, maxLength: 3000 }),
);

/**
 * One character no text field takes (docs/http-api.md#text): a C0 control other than tab and line
 * breaks, DEL, a C1 control, a bidi control or half of a surrogate pair.
 */
export const hiddenChar: fc.Arbitrary<string> = fc
  .oneof(
    fc.integer({ min: 0x00, max: 0x08 }),
    fc.constantFrom(0x0b, 0x0c),
    fc.integer({ min: 0x0e, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.constantFrom(
      0x061c,
      0x200e,
      0x200f,
      0x202a,
      0x202b,
      0x202c,
      0x202d,
      0x202e,
      0x2066,
      0x2067,
      0x2068,
      0x2069,
    ),
    fc.integer({ min: 0xd800, max: 0xdfff }),
  )
  .map((c) => String.fromCharCode(c));

/** A line break or tab: taken in a multi-line text, refused in a one-line one. */
export const lineBreak: fc.Arbitrary<string> = fc.constantFrom('\n', '\r', '\t', '\r\n', '\u2028', '\u2029');

/** Longer than any text field takes (8000 characters is the longest). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', '醴', ' x', 'é', '\u0000', '💥'), fc.integer({ min: 8001, max: 20_000 }))
  // zod counts characters (code points), as a person does: 💥 is one. Not blank: an optional
  // text of blanks trims to nothing, and is taken.
  .map(([c, n]) => c.repeat(n));

/** JSON values of every type, nested a little. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nastyString,
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2, [], {}, [[]], [{}]),
);

/** A value of another JSON type than `value` (so any schema field of `value`'s type refuses it). */
export function otherType(value: unknown): fc.Arbitrary<unknown> {
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', nastyString],
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })],
    ['object', fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })],
  ];
  const kind =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : (typeof value as 'string' | 'number' | 'object');
  return fc.oneof(...all.filter(([k]) => k !== kind).map(([, arb]) => arb));
}

/**
 * Keys that would let a client set what only the system sets (mass assignment), or reach the
 * prototype. None is a field of any request body.
 */
export const massAssignmentKeys = [
  'id',
  'state',
  'version',
  'ownerId',
  'caseNumber',
  'decisionNumber',
  'receiptNumber',
  'caseOfficerId',
  'intake',
  'clock',
  'clockState',
  'supplement',
  'revision',
  'milestones',
  'allowedActions',
  'createdAt',
  'updatedAt',
  'headHash',
  'pk',
  'sk',
  'gsi1pk',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
] as const;

/** Every field name of every request body (docs/http-api.md#shapes): an unknown key must be none of them. */
const knownFields = new Set([
  'category',
  'project',
  'applicant',
  'materials',
  'name',
  'location',
  'industry',
  'investmentCny',
  'description',
  'orgName',
  'orgCode',
  'contactName',
  'contactPhone',
  'onBehalfOf',
  'preparedBy',
  'code',
  'fileName',
  'sha256',
  'sizeBytes',
  'question',
  'advice',
  'suggestedCategory',
  'items',
  'reason',
  'expectedWorkingDays',
  'panel',
  'opinion',
  'conclusion',
  'topic',
  'detail',
  'response',
  'proposal',
  'conditions',
  'reasons',
  'summary',
  'next',
  'milestone',
  'note',
]);

export const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...massAssignmentKeys),
  fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !knownFields.has(k)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).filter((k) => !knownFields.has(k)),
);

// ---------------------------------------------------------------------------------------------
// Near-valid bodies: one thing changed

type Path = ReadonlyArray<string | number>;

/** The path of every value inside `value` (not the root), depth first. */
export function pathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

/** The path of `value` and of every object inside it (where an unknown key can be added). */
export function objectPathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const here = Array.isArray(value) ? [] : [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...here, ...entries.flatMap(([k, v]) => objectPathsOf(v, [...at, k]))];
}

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], value);
}

/** A deep copy of `value` with `fn` applied to the container of `path`'s last key. */
export function changeAt(
  value: unknown,
  path: Path,
  fn: (container: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  fn(parent, path.at(-1) as string | number);
  return copy;
}

/** Sets a key as JSON.parse would: an own data property, even for `__proto__`. */
export function defineKey(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export const pathName = (path: Path) => path.map(String).join('.');

/** How fast-check prints a long value in a counterexample: its start and its size. */
export function short(text: string): string {
  return text.length <= 200
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, 120))}… (${text.length} chars)`;
}

/** A request body as text, printed short in a counterexample. */
export interface Raw {
  readonly text: string;
}
export const raw = (text: string): Raw =>
  Object.assign({ text }, { [fc.toStringMethod]: () => `raw(${short(text)})` });

function summarised(m: Mutation): Mutation {
  const text = JSON.stringify(m.body) ?? '';
  return Object.assign(
    { ...m },
    { [fc.toStringMethod]: () => `${m.kind} at ${pathName(m.path)}: ${short(text)}` },
  );
}

export type Mutation =
  /** A value of another type at `path`: must be refused, naming it. */
  | { kind: 'wrong-type'; path: Path; body: unknown }
  /** A text longer than any field takes at `path`: refused, naming it (or 413 when the body outgrows 64 KB). */
  | { kind: 'huge-string'; path: Path; body: unknown }
  /** An unknown key in the object at `path`: refused, naming the key. */
  | { kind: 'unknown-key'; path: Path; body: unknown }
  /** Something removed or replaced at random: anything but a 5xx. */
  | { kind: 'other'; path: Path; body: unknown };

/** `valid` with one thing changed, and what the change must lead to. */
export function mutationOf(valid: unknown): fc.Arbitrary<Mutation> {
  const paths = pathsOf(valid);
  const objects = objectPathsOf(valid);
  const strings = paths.filter((p) => typeof getAt(valid, p) === 'string');
  const wrongType = paths.length
    ? fc
        .constantFrom(...paths)
        .chain((path) => otherType(getAt(valid, path)).map((v) => ({ path, v })))
        .map(
          ({ path, v }): Mutation => ({
            kind: 'wrong-type',
            path,
            body: changeAt(valid, path, (c, k) => {
              c[k] = v;
            }),
          }),
        )
    : undefined;
  const huge = strings.length
    ? fc.tuple(fc.constantFrom(...strings), hugeString).map(
        ([path, v]): Mutation => ({
          kind: 'huge-string',
          path,
          body: changeAt(valid, path, (c, k) => {
            c[k] = v;
          }),
        }),
      )
    : undefined;
  const extra = fc.tuple(fc.constantFrom(...objects), unknownKey, anyJson).map(([path, key, v]): Mutation => {
    const body = structuredClone(valid);
    defineKey(getAt(body, path) as object, key, v);
    return { kind: 'unknown-key', path: [...path, key], body };
  });
  const other = paths.length
    ? fc.tuple(fc.constantFrom(...paths), fc.option(anyJson, { nil: undefined })).map(
        ([path, v]): Mutation => ({
          kind: 'other',
          path,
          body: changeAt(valid, path, (c, k) => {
            if (v === undefined) {
              if (Array.isArray(c)) c.splice(Number(k), 1);
              else delete c[k];
            } else c[k] = v;
          }),
        }),
      )
    : undefined;
  return fc.oneof(...[wrongType, huge, extra, other].filter((a) => a !== undefined)).map(summarised);
}

// ---------------------------------------------------------------------------------------------
// Raw bodies: not JSON, or JSON that strains the parser

export const rawBodies: fc.Arbitrary<Raw> = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: codeUnit, maxLength: 200 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v).slice(0, -1)),
    fc.constantFrom(
      '{',
      '}',
      '[',
      '{"a":}',
      '{"a":1,}',
      "{'a':1}",
      '{"a":1}{"b":2}',
      '\ufeff{}',
      'null',
      '""',
      '0',
      '-0',
      '1e400',
      '-1e400',
      '{"a":1e400}',
      '[1e999]',
      '{"investmentCny":1e400}',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"category":"REPORT","category":"REPORT_FORM"}',
      '{"__proto__":{"state":"APPROVED"}}',
      '{"constructor":{"prototype":{"state":"APPROVED"}}}',
      '"\\ud800"',
      '{"\\u0000":1}',
      `[${'1,'.repeat(20_000)}1]`,
      `"${'\\u0041'.repeat(10_000)}"`,
    ),
    fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.integer({ min: 1, max: 10_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n)),
  )
  .map(raw);

/** Content types that are not JSON: always 415. */
export const notJsonTypes = [
  'text/plain',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/octet-stream',
  'image/png',
] as const;

/** Content types of doubtful form: JSON or not, never a 5xx. */
export const oddTypes: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/problem+json',
    'application/vnd.api+json',
    'application/jsonp',
    'application/json-seq',
    'text/json',
    'json',
    '',
    ' ',
    'application/json, text/plain',
    '*/*',
  ),
  fc.string({ maxLength: 60 }),
);

// ---------------------------------------------------------------------------------------------
// Query strings, ids, headers

export const limitValues: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '-1',
    '0',
    '1',
    '20',
    '100',
    '101',
    '200',
    '201',
    '1000',
    '1001',
    '1e9',
    '1e2',
    '1.0',
    '1.5',
    '0x10',
    ' 1',
    '1 ',
    '+1',
    '01',
    '٣',
    '１',
    'abc',
    '',
    'NaN',
    'Infinity',
    '9'.repeat(400),
  ),
  fc.integer().map(String),
  nastyString,
);

export const dateValues: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2026-03-02',
    '2026-03-25',
    '2025-02-29',
    '2024-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-03-32',
    '0000-01-01',
    '1969-12-31',
    '1970-01-01',
    '9999-12-31',
    '2026-3-2',
    '20260302',
    '2026-03-02T10:00:00+08:00',
    '2026-03-02T10:00:00Z',
    '2026-03-02T24:00:00Z',
    '2026-03-02T10:00:00.123456Z',
    '2026-03-02T10:00:00+25:00',
    '+275760-09-13',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  nastyString,
);

/** Path ids: traversal, unicode, keys of other items, very long, almost UUIDs. */
export const idValues: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `${u}\n`),
  fc.uuid().map((u) => ` ${u}`),
  fc.uuid().map((u) => u.slice(0, -1)),
  fc.constantFrom(
    '..',
    '.',
    '../..',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '00000000-0000-4000-8000-000000000001/../00000000-0000-4000-8000-000000000002',
    'APP#00000000-0000-4000-8000-000000000001',
    '00000000-0000-4000-8000-000000000001#APP',
    '*',
    '\u0000',
    '{id}',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 10_000 }),
  nastyString,
);

export const ifMatchValues: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '*',
    ' * ',
    '"1"',
    '"2"',
    'W/"1"',
    '"1", "2"',
    '"1",',
    ',',
    '1',
    '""',
    '"abc"',
    '"-1"',
    '"1e3"',
    `"${'9'.repeat(16)}"`,
    `"${'9'.repeat(400)}"`,
    '"1"'.repeat(2000),
    Array.from({ length: 3000 }, (_, i) => `"${i}"`).join(','),
  ),
  fc.nat().map((n) => `"${n}"`),
  nastyString,
);

export const idempotencyKeyValues: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.constantFrom('', ' ', 'a b', 'ключ', '\u0000', 'k'.repeat(128), 'k'.repeat(129), 'k'.repeat(100_000)),
  nastyString,
);
