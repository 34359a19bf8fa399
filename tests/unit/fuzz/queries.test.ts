import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { noticeKinds } from '../../../shared/domain/notice-search.ts';
import { categories, states } from '../../../shared/domain/types.ts';
import { encodeCursor } from '../../../shared/http/cursor.ts';
import type { RouteDef } from '../../../shared/http/routes.ts';
import { actionNames } from '../../../shared/schemas/actions.ts';
import { dateValues, idValues, limitValues, nastyString } from './arbitraries.ts';
import {
  expectNamed,
  idOf,
  mockTable,
  opts,
  type Person,
  people,
  personNames,
  report,
  route,
  send,
  setUp,
  stats,
  tearDown,
} from './harness.ts';

/**
 * Issue 6, hostile input: query strings. Every parameter of every list is fuzzed; unknown
 * parameters are refused naming them; page sizes are bounded; cursors cannot be forged, edited or
 * carried to another query.
 */
vi.setConfig({ testTimeout: 60_000 });
beforeAll(setUp);
afterAll(() => {
  report('queries');
  tearDown();
});
beforeEach(mockTable);

interface Lister {
  route: RouteDef;
  /** A path that exists, for a caller who may read it. */
  pathParameters: Record<string, string>;
  who: Person;
  /** Every parameter the route takes, and values to try for each. */
  params: Record<string, fc.Arbitrary<string>>;
  /** The largest page. */
  maxLimit?: number;
}

const oneOf = (values: readonly string[]) => fc.oneof(fc.constantFrom(...values), nastyString);
const cursorParam = fc.constant('');
const approved = idOf('APPROVED');

const listers: Lister[] = [
  {
    route: route('GET', '/applications'),
    pathParameters: {},
    who: 'clerk',
    params: {
      q: oneOf(['陶瓷', 'llhs 2026', '醴环评〔2026〕1号', '〔 〕', 'a b c d e f']),
      state: oneOf(states),
      category: oneOf(categories),
      mine: oneOf(['true', 'false']),
      queue: oneOf(['mine']),
      limit: limitValues,
      cursor: cursorParam,
    },
    maxLimit: 100,
  },
  {
    route: route('GET', '/applications/{id}/events'),
    pathParameters: { id: approved },
    who: 'owner',
    params: { limit: limitValues, cursor: cursorParam },
    maxLimit: 100,
  },
  {
    route: route('GET', '/audit/events'),
    pathParameters: {},
    who: 'auditor',
    params: {
      actor: oneOf(personNames.map((p) => people[p].sub)),
      action: oneOf([...actionNames, 'create', 'edit']),
      applicationId: fc.oneof(fc.constant(approved), idValues),
      from: dateValues,
      to: dateValues,
      order: oneOf(['asc', 'desc']),
      format: oneOf(['json', 'ndjson', 'csv']),
      includePersonalData: oneOf(['true', 'false']),
      limit: limitValues,
      cursor: cursorParam,
    },
    maxLimit: 200,
  },
  {
    route: route('GET', '/audit/digests'),
    pathParameters: {},
    who: 'auditor',
    params: { from: dateValues, to: dateValues, limit: limitValues, cursor: cursorParam },
    maxLimit: 100,
  },
  {
    route: route('GET', '/audit/access-log'),
    pathParameters: {},
    who: 'auditor',
    params: { limit: limitValues, cursor: cursorParam },
    maxLimit: 100,
  },
  {
    route: route('GET', '/stats'),
    pathParameters: {},
    who: 'clerk',
    params: { from: dateValues, to: dateValues },
  },
  {
    route: route('GET', '/public/notices'),
    pathParameters: {},
    who: 'owner',
    params: {
      q: oneOf([
        '醴陵',
        'liling',
        'ＬＩＬＩＮＧ',
        '〔2026〕',
        'x'.repeat(100),
        'x'.repeat(101),
        ' ',
        'a\u0000b',
      ]),
      kind: oneOf(noticeKinds),
      from: dateValues,
      to: dateValues,
      limit: limitValues,
      cursor: cursorParam,
    },
    maxLimit: 100,
  },
];

/** What a list needs to answer 200 at all: a period for the figures, a filter for the events. */
const baseQuery = (l: Lister): Record<string, string> =>
  l.route.path === '/stats'
    ? { from: '2026-03-01', to: '2026-03-31' }
    : l.route.path === '/audit/events'
      ? { applicationId: approved }
      : {};

const get = (l: Lister, query: Record<string, string>, who: Person = l.who) =>
  send(l.route, { pathParameters: l.pathParameters, query, user: people[who] });

/** Real cursors: the first page (limit=1) of every list that has a second one. */
const cursors = new Map<string, { cursor: string; query: Record<string, string> }>();

async function collectCursors(): Promise<void> {
  for (const l of listers) {
    if (!('cursor' in l.params)) continue;
    const query = { ...baseQuery(l), limit: '1' };
    const answer = await get(l, query);
    expect(answer.status, `${l.route.path}: ${answer.raw}`).toBe(200);
    if (typeof answer.body?.cursor === 'string')
      cursors.set(l.route.path, { cursor: answer.body.cursor, query });
  }
}

/** A cursor changed the ways an attacker would: edited, truncated, re-signed, spliced. */
function tampered(cursor: string, other: string): fc.Arbitrary<string> {
  const [data = '', mac = ''] = cursor.split('.');
  const flip = (s: string, i: number) => {
    const c = s[i % s.length] ?? 'A';
    return s.slice(0, i % s.length) + (c === 'A' ? 'B' : 'A') + s.slice((i % s.length) + 1);
  };
  const decoded = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as { k: unknown; q: string };
  return fc.oneof(
    fc.nat().map((i) => `${flip(data, i)}.${mac}`),
    fc.nat().map((i) => `${data}.${flip(mac, i)}`),
    fc.nat({ max: cursor.length - 1 }).map((n) => cursor.slice(0, n)),
    fc.constantFrom(
      `${cursor}.x`,
      `${data}.`,
      `.${mac}`,
      data,
      mac,
      `${other.split('.')[0]}.${mac}`,
      `${data}.${other.split('.')[1]}`,
      cursor.toUpperCase(),
      `${cursor} `,
      `${'A'.repeat(3000)}.${mac}`,
      // Signed with another secret: the right shape, the wrong key.
      encodeCursor(decoded.k as Record<string, unknown>, decoded.q, 'not-the-secret-0123456789abcdef'),
      // Our key for another query.
      encodeCursor({ pk: 'APP#x', sk: 'APP' }, '["anything"]', 'unit-test-cursor-secret-0123456789'),
      Buffer.from('{"k":{"pk":"x"},"q":"x"}').toString('base64url'),
    ),
  );
}

describe('query strings', () => {
  beforeAll(collectCursors);

  it('found a real cursor on every paged list (control)', () => {
    expect([...cursors.keys()].sort()).toEqual(
      ['/applications', '/applications/{id}/events', '/audit/events', '/public/notices'].sort(),
    );
  });

  it('answers any combination of parameters, as any caller, with a success or a 4xx problem', async () => {
    const allCursors = [...cursors.values()].map((c) => c.cursor);
    const cases = fc.constantFrom(...listers).chain((l) => {
      const names = Object.keys(l.params);
      const value = (name: string) =>
        name === 'cursor'
          ? fc.oneof(
              fc.constantFrom(...allCursors),
              fc.constantFrom(...allCursors).chain((c) => tampered(c, c)),
            )
          : (l.params[name] ?? nastyString);
      const known = fc.record(Object.fromEntries(names.map((n) => [n, value(n)])), { requiredKeys: [] });
      return fc.record({
        path: fc.constant(l.route.path),
        query: known,
        who: fc.constantFrom(...personNames),
      });
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, query, who }) => {
        const l = listers.find((x) => x.route.path === path);
        if (!l) throw new Error(path);
        const answer = await get(l, query as Record<string, string>, who);
        if (answer.status === 200 && Array.isArray(answer.body?.items) && l.maxLimit) {
          const limit = Number((query as Record<string, string>).limit ?? l.maxLimit);
          expect(answer.body.items.length).toBeLessThanOrEqual(limit);
        }
      }),
      opts(1200),
    );
  });

  it('answers each parameter alone, whatever its value, with 200 or a 400 naming a parameter', async () => {
    const cases = fc.constantFrom(...listers.keys()).chain((i) => {
      const l = listers[i] as Lister;
      const names = Object.keys(l.params).filter((n) => n !== 'cursor');
      return fc
        .constantFrom(...names)
        .chain((name) => (l.params[name] ?? nastyString).map((value) => ({ i, name, value })));
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ i, name, value }) => {
        const l = listers[i] as Lister;
        const answer = await get(l, { ...baseQuery(l), [name]: value });
        if (answer.status === 200) return;
        expect(answer.status, answer.raw).toBe(400);
        const named = answer.body.issues.map((issue: { path: string }) => issue.path);
        expect(
          named.some((p: string) => p in l.params),
          answer.raw,
        ).toBe(true);
      }),
      opts(800),
    );
  });

  it('refuses an unknown parameter, naming it', async () => {
    const unknown = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'LIMIT',
        'limit ',
        'page',
        'size',
        'offset',
        'sort',
      ),
      fc.string({ minLength: 1, maxLength: 12 }),
    );
    const cases = fc
      .tuple(fc.constantFrom(...listers.keys()), unknown, nastyString)
      .filter(
        ([i, name]) => !(name in (listers[i]?.params ?? {})) && !(name in baseQuery(listers[i] as Lister)),
      );
    await fc.assert(
      fc.asyncProperty(cases, async ([i, name, value]) => {
        const l = listers[i] as Lister;
        const query = baseQuery(l);
        Object.defineProperty(query, name, { value, enumerable: true, writable: true, configurable: true });
        expectNamed(await get(l, query), name);
      }),
      opts(500),
    );
  });

  it('takes a page size from 1 to its maximum, refuses any other naming `limit`, and keeps to it', async () => {
    const paged = listers.filter((l) => l.maxLimit !== undefined);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paged.keys()), limitValues, async (i, limit) => {
        const l = paged[i] as Lister;
        const answer = await get(l, { ...baseQuery(l), limit });
        const max = l.maxLimit ?? 0;
        if (/^[1-9]\d*$/.test(limit) && Number(limit) <= max) {
          expect(answer.status, answer.raw).toBe(200);
          const items = answer.body.items as unknown[];
          expect(items.length).toBeLessThanOrEqual(Number(limit));
        } else expectNamed(answer, 'limit');
      }),
      opts(800),
    );
  });

  it('takes its own cursor back, and refuses an edited, forged or foreign one naming `cursor`', async () => {
    const own = [...cursors.entries()];
    const cases = fc.constantFrom(...own).chain(([path, { cursor, query }]) => {
      const others = own.filter(([p]) => p !== path).map(([, c]) => c.cursor);
      return fc.record({
        path: fc.constant(path),
        query: fc.constant(query),
        cursor: fc.oneof(fc.constantFrom(...others), tampered(cursor, others[0] ?? cursor)),
      });
    });
    for (const [path, { cursor, query }] of own) {
      const l = listers.find((x) => x.route.path === path);
      if (!l) throw new Error(path);
      const answer = await get(l, { ...query, cursor });
      expect(answer.status, answer.raw).toBe(200);
    }
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, query, cursor }) => {
        const l = listers.find((x) => x.route.path === path);
        if (!l) throw new Error(path);
        expectNamed(await get(l, { ...query, cursor }), 'cursor');
      }),
      opts(500),
    );
  });

  it('refuses a day that is no date (2026-03-32) naming it, not 500 (found by this fuzzing)', async () => {
    const digests = listers.find((l) => l.route.path === '/audit/digests') as Lister;
    for (const [name, value] of [
      ['from', '2026-03-32'],
      ['to', '2026-13-01'],
      ['from', '2026-02-30'],
      ['to', '9999-99-99'],
    ] as const)
      expectNamed(await get(digests, { [name]: value }), name);
  });

  it('refuses a cursor carried to the same list with other filters', async () => {
    const own = cursors.get('/applications');
    const l = listers[0];
    if (!own || !l) throw new Error('no cursor for /applications');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...states), async (state) => {
        expectNamed(await get(l, { ...own.query, state, cursor: own.cursor }), 'cursor');
      }),
      opts(30),
    );
  });
});

describe('routes without parameters', () => {
  it('answer any query string with a success or a 4xx problem', async () => {
    const plain = [
      route('GET', '/applications/{id}'),
      route('GET', '/audit/applications/{id}/verify'),
      route('GET', '/workflow'),
      route('GET', '/openapi.json'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...plain),
        fc.dictionary(nastyString, nastyString, { maxKeys: 4 }),
        fc.constantFrom(...personNames),
        async (r, query, who) => {
          await send(r, { pathParameters: { id: approved }, query, user: people[who] });
        },
      ),
      opts(200),
    );
  });
});

// Last, so that it sees every request of the file (skipped with the others under -t).
it('sent at least 3,000 requests', () => {
  expect(stats.requests).toBeGreaterThanOrEqual(3_000);
});
