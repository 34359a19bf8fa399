import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decide } from '../../../shared/domain/decide.ts';
import { AppError, ValidationError } from '../../../shared/domain/errors.ts';
import type { State } from '../../../shared/domain/types.ts';
import { MAX_BODY_BYTES } from '../../../shared/http/api.ts';
import { routes } from '../../../shared/http/routes.ts';
import { type ActionName, actionNames } from '../../../shared/schemas/actions.ts';
import { callers, createBody, payloadFor } from '../shared/domain/fixtures.ts';
import {
  changeAt,
  getAt,
  hiddenChar,
  idempotencyKeyValues,
  lineBreak,
  type Mutation,
  mutationOf,
  notJsonTypes,
  oddTypes,
  pathName,
  pathsOf,
  rawBodies,
} from './arbitraries.ts';
import {
  type Answer,
  eventFor,
  expectNamed,
  idOf,
  mockTable,
  NOW,
  opts,
  type Person,
  people,
  personNames,
  type Request,
  report,
  route,
  send,
  sendEvent,
  setUp,
  stats,
  tearDown,
  trails,
  writes,
} from './harness.ts';

/**
 * Issue 6, hostile input: the bodies of POST /applications, PATCH /applications/{id} and every
 * action, and the raw bytes of any request. Near-valid bodies must be refused naming the field
 * changed; anything else must get a 4xx problem, never a 5xx; a refusal writes nothing.
 */
const create = route('POST', '/applications');
const patch = route('PATCH', '/applications/{id}');
const action = route('POST', '/applications/{id}/actions/{action}');

vi.setConfig({ testTimeout: 60_000 });
beforeAll(setUp);
afterAll(() => {
  report('bodies');
  tearDown();
});
beforeEach(mockTable);

const bytes = (body: unknown) => Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body));

/** What a near-valid body must get: the changed field named, or 413 when it no longer fits. */
function expectRefusal(m: Mutation, answer: Answer): void {
  if (bytes(m.body) > MAX_BODY_BYTES) {
    expect(answer.status).toBe(413);
    return;
  }
  if (m.kind === 'other') return;
  expectNamed(answer, pathName(m.path));
}

describe('POST /applications', () => {
  it('takes the valid body (the control: the fuzz below starts from an accepted request)', async () => {
    const answer = await send(create, { body: createBody('REPORT'), user: people.owner });
    expect(answer.status).toBe(201);
    expect(writes()).toBe(1);
  });

  it('refuses a body with one field of another type, too long, or unknown, naming that field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom('REPORT', 'REPORT_FORM', 'REGISTRATION' as const)
          .chain((c) => mutationOf(createBody(c))),
        async (m) => {
          expectRefusal(m, await send(create, { body: m.body, user: people.owner }));
        },
      ),
      opts(1000),
    );
  });
});

describe('PATCH /applications/{id}', () => {
  const draft = idOf('DRAFT');
  const partial = () => {
    const { project, applicant, materials } = createBody('REPORT');
    return { project, applicant, materials };
  };

  it('takes the valid body (control)', async () => {
    const answer = await send(patch, { pathParameters: { id: draft }, body: partial(), user: people.owner });
    expect(answer.status).toBe(200);
    expect(writes()).toBe(1);
  });

  it('refuses a body with one field of another type, too long, or unknown, naming that field', async () => {
    await fc.assert(
      fc.asyncProperty(mutationOf(partial()), async (m) => {
        expectRefusal(
          m,
          await send(patch, { pathParameters: { id: draft }, body: m.body, user: people.owner }),
        );
      }),
      opts(700),
    );
  });
});

/**
 * For each action, an application and a caller that get as far as the payload check: the
 * domain's own decide() says so (it succeeds, or stops at a rule checked after the payload).
 */
const reachable = new Map<ActionName, { state: State; person: Person }>();
for (const name of actionNames) {
  search: for (const [state, trail] of trails) {
    for (const person of personNames) {
      const caller = Object.values(callers).find((c) => c.id === people[person].sub);
      if (!caller) continue;
      try {
        decide(trail.app, name, caller, payloadFor(name, trail.app), { now: NOW, requestId: 'probe' });
      } catch (error) {
        if (!(error instanceof AppError) || error instanceof ValidationError) throw error;
        if (error.status !== 422) continue;
      }
      reachable.set(name, { state, person });
      break search;
    }
  }
}

describe('POST /applications/{id}/actions/{action}', () => {
  it('reaches the payload check of every action (control)', async () => {
    expect([...reachable.keys()].sort()).toEqual([...actionNames].sort());
    for (const [name, { state, person }] of reachable) {
      const app = trails.get(state)?.app;
      if (!app) throw new Error(state);
      const answer = await send(action, {
        pathParameters: { id: app.id, action: name },
        body: payloadFor(name, app),
        user: people[person],
      });
      expect([200, 422], `${name}: ${answer.raw}`).toContain(answer.status);
      // The seeded materials are files in the mocked storage: the file checks pass.
      if (name === 'submit' || name === 'accept') expect(answer.status, `${name}: ${answer.raw}`).toBe(200);
    }
  });

  it('refuses a payload with one field of another type, too long, or unknown, naming that field', async () => {
    const cases = fc.constantFrom(...reachable.entries()).chain(([name, { state, person }]) => {
      const app = trails.get(state)?.app;
      if (!app) throw new Error(state);
      return mutationOf(payloadFor(name, app)).map((m) => ({ name, id: app.id, person, m }));
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ name, id, person, m }) => {
        const answer = await send(action, {
          pathParameters: { id, action: name },
          body: m.body,
          user: people[person],
        });
        expectRefusal(m, answer);
      }),
      opts(1200),
    );
  });
});

describe('found by this fuzzing (regressions)', () => {
  const posts = [
    { r: create, params: {} },
    { r: action, params: { id: idOf('DRAFT'), action: 'withdraw' } },
  ];

  it('refuses, with an Idempotency-Key, a number out of range or nesting too deep: 400 naming it, not 500', async () => {
    const cases: Array<[string, string]> = [
      ['{"a":1e400}', 'a'],
      ['{"project":{"investmentCny":-1e999}}', 'project.investmentCny'],
      ['[0,1e400]', '1'],
      [`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, Array(32).fill('a').join('.')],
      [`${'['.repeat(20_000)}${']'.repeat(20_000)}`, Array(32).fill('0').join('.')],
    ];
    for (const { r, params } of posts) {
      for (const [body, path] of cases) {
        const answer = await send(r, {
          pathParameters: params,
          body,
          headers: { 'idempotency-key': 'k-1' },
          user: people.owner,
        });
        expectNamed(answer, path);
      }
    }
  });

  it('refuses a text with an unpaired surrogate (JSON can carry one; UTF-8, and so every export, cannot)', async () => {
    for (const text of ['\ud800', 'a\udc00b', '醴\udbff']) {
      const body = createBody('REPORT');
      body.project.name = text;
      expectNamed(await send(create, { body, user: people.owner }), 'project.name');
      const reason = await send(action, {
        pathParameters: { id: idOf('DRAFT'), action: 'withdraw' },
        body: { reason: text },
        user: people.owner,
      });
      expectNamed(reason, 'reason');
    }
    // A paired one is an ordinary character.
    const body = createBody('REPORT');
    body.project.name = '醴陵💥';
    expect((await send(create, { body, user: people.owner })).status).toBe(201);
  });
});

describe('hidden characters in text (issue 17)', () => {
  /** The keys whose values are codes, dates or choices, not text a person typed. */
  const notText = new Set([
    'category',
    'code',
    'sha256',
    'uploadId',
    'contentType',
    'orgCode',
    'contactPhone',
  ]);
  const notPayloadText = new Set(['at', 'conclusion', 'proposal', 'next', 'milestone', 'suggestedCategory']);
  /** Where text goes in a valid body: every string leaf that is not a code. */
  const textPaths = (body: unknown, skip: Set<string>) =>
    pathsOf(body).filter(
      (p) =>
        typeof getAt(body, p) === 'string' && !skip.has(String(p.at(-1))) && !notText.has(String(p.at(-1))),
    );
  const one = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
  /** `text` with `c` put in between two of its characters, at `at` (a fraction of its length): never at an end, which trimming takes away. */
  const inserted = (text: string, c: string, at: number) => {
    const chars = [...text];
    const i = 1 + Math.min(chars.length - 2, Math.floor(at * (chars.length - 1)));
    return [...chars.slice(0, i), c, ...chars.slice(i)].join('');
  };

  it('refuses a control, bidi or broken character anywhere in any text of a new application: 400 naming it, nothing written', async () => {
    const body = createBody('REPORT');
    const paths = textPaths(body, new Set());
    expect(paths.map(pathName)).toEqual(
      expect.arrayContaining(['project.name', 'applicant.contactName', 'materials.0.fileName']),
    );
    await fc.assert(
      fc.asyncProperty(
        one(paths),
        hiddenChar,
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (path, c, at) => {
          const bad = changeAt(body, path, (o, k) => {
            o[k] = inserted(String(o[k]), c, at);
          });
          const before = writes();
          expectNamed(await send(create, { body: bad, user: people.owner }), pathName(path));
          expect(writes()).toBe(before);
        },
      ),
      opts(300),
    );
  });

  it('refuses them in every text of every action payload, and a line break where one line is expected', async () => {
    const cases = [...reachable.entries()].flatMap(([name, { state, person }]) => {
      const app = trails.get(state)?.app;
      if (!app) throw new Error(state);
      const payload = payloadFor(name, app);
      return textPaths(payload, notPayloadText).map((path) => ({ name, app, person, payload, path }));
    });
    expect(cases.length).toBeGreaterThan(15);
    const oneLine = new Set(['place', 'topic', 'panel', 'fileName']);
    await fc.assert(
      fc.asyncProperty(
        one(cases),
        fc.oneof(hiddenChar, lineBreak),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        async (k, c, at) => {
          const bad = changeAt(k.payload, k.path, (o, key) => {
            o[key] = inserted(`首${String(o[key])}尾`, c, at);
          });
          const before = writes();
          const answer = await send(action, {
            pathParameters: { id: k.app.id, action: k.name },
            body: bad,
            user: people[k.person],
          });
          const line = k.path.some((p) => oneLine.has(String(p)));
          if (/^[\n\r\t\u2028\u2029]+$/.test(c) && !line) expect(answer.status, answer.raw).not.toBe(400);
          else {
            expectNamed(answer, pathName(k.path));
            expect(writes()).toBe(before);
          }
        },
      ),
      opts(400),
    );
  });
});

describe('any route, any bytes', () => {
  const users = fc.constantFrom(...personNames);
  const ids = fc.constantFrom(...[...trails.values()].map((t) => t.app.id));
  const request = (
    r: (typeof routes)[number],
    id: string,
    body: string,
    who: Person,
    extra: Partial<Request>,
  ) =>
    send(r, {
      pathParameters: { id, action: 'withdraw' },
      body,
      user: people[who],
      ...extra,
    });

  it('answers malformed JSON, deep nesting, huge numbers and the like with a 4xx (or a success)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        rawBodies,
        users,
        ids,
        fc.option(idempotencyKeyValues, { nil: undefined }),
        async (r, body, who, id, key) => {
          await request(
            r,
            id,
            body.text,
            who,
            key === undefined ? {} : { headers: { 'idempotency-key': key } },
          );
        },
      ),
      opts(800),
    );
  });

  it('refuses a body that is not JSON by its content type with 415', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...notJsonTypes),
        fc.jsonValue({ maxDepth: 2 }),
        ids,
        async (r, type, value, id) => {
          const answer = await request(r, id, JSON.stringify(value), 'owner', {
            headers: { 'content-type': type },
          });
          expect(answer.status, answer.raw).toBe(415);
        },
      ),
      opts(200),
    );
  });

  it('answers any content type with a 4xx or a success, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        oddTypes,
        rawBodies,
        users,
        ids,
        async (r, type, body, who, id) => {
          await request(r, id, body.text, who, { headers: { 'content-type': type } });
        },
      ),
      opts(300),
    );
  });

  it('reads a base64 body as API Gateway sends a binary one: invalid UTF-8 or base64 is a 4xx', async () => {
    const payloads = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
      fc.string({ maxLength: 100 }), // not base64 at all
      fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), payloads, users, ids, async (r, payload, who, id) => {
        const base = { pathParameters: { id, action: 'withdraw' }, user: people[who] };
        const event = eventFor(r, { ...base, body: '{}' });
        event.body = payload;
        event.isBase64Encoded = true;
        const encoded = await sendEvent(r, event);
        // Whatever the bytes decode to, sent as text, gets the same answer.
        const text = Buffer.from(payload, 'base64').toString('utf8');
        if (text === '') return;
        const direct = await send(r, { ...base, body: text });
        expect(encoded.status, `${encoded.raw} / ${direct.raw}`).toBe(direct.status);
      }),
      opts(300),
    );
  });

  it('refuses a body over 64 KB with 413 on every route, and takes one of exactly 64 KB', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.integer({ min: MAX_BODY_BYTES + 1, max: 4 * MAX_BODY_BYTES }),
        fc.constantFrom('x', '醴', ' ', '💥'),
        fc.boolean(),
        async (r, size, fill, base64) => {
          const body = `"${fill.repeat(Math.ceil((size - 2) / Buffer.byteLength(fill)))}"`;
          const answer = await send(r, {
            pathParameters: { id: idOf('DRAFT'), action: 'withdraw' },
            body,
            base64,
            user: people.owner,
          });
          expect(answer.status, answer.raw).toBe(413);
        },
      ),
      opts(100),
    );
    const sized = (n: number) => `"${'x'.repeat(n - 2)}"`;
    for (const r of routes) {
      const base = { pathParameters: { id: idOf('DRAFT'), action: 'withdraw' }, user: people.owner };
      expect((await send(r, { ...base, body: sized(MAX_BODY_BYTES + 1) })).status).toBe(413);
      expect((await send(r, { ...base, body: sized(MAX_BODY_BYTES) })).status).not.toBe(413);
    }
  });
});

// Last, so that it sees every request of the file (skipped with the others under -t).
it('sent at least 4,500 requests', () => {
  expect(stats.requests).toBeGreaterThanOrEqual(4_500);
});
