import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { routes } from '../../../shared/http/routes.ts';
import { actionNames } from '../../../shared/schemas/actions.ts';
import { apiEvent } from '../../support/api-events.ts';
import { idempotencyKeyValues, idValues, ifMatchValues, nastyString } from './arbitraries.ts';
import {
  expectNamed,
  idOf,
  mockTable,
  opts,
  people,
  personNames,
  report,
  route,
  send,
  sendEvent,
  setUp,
  stats,
  tearDown,
  trails,
} from './harness.ts';

/**
 * Issue 6, hostile input: path ids and action names, the If-Match and Idempotency-Key headers,
 * any other header, and the identity the authorizer hands over. An id that is not a stored
 * application the caller may see is a 404, whatever it looks like.
 */
vi.setConfig({ testTimeout: 60_000 });
beforeAll(setUp);
afterAll(() => {
  report('paths-headers');
  tearDown();
});
beforeEach(mockTable);

// Application ids; /admin/users/{id} names an account (tests/integration/staff.test.ts).
const withId = routes.filter((r) => r.path.includes('{id}') && !r.path.startsWith('/admin/'));
const seeded = new Set([...trails.values()].map((t) => t.app.id));
/** Who may reach each {id} route for an application of `owner` (the auditor for the verify route). */
const reader = (path: string) => (path.startsWith('/audit/') ? people.auditor : people.owner);

describe('path ids', () => {
  it('answers an id that is no stored application with 404, on every route that takes one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withId),
        idValues.filter((id) => !seeded.has(id)),
        async (r, id) => {
          const answer = await send(r, {
            pathParameters: { id, action: 'withdraw' },
            ...(r.method === 'GET' ? {} : { body: {} }),
            user: reader(r.path),
          });
          expect(answer.status, answer.raw).toBe(404);
        },
      ),
      opts(800),
    );
  });

  it("answers another applicant's application with 404, never 403 (control: the owner gets it)", async () => {
    const id = idOf('DRAFT');
    for (const r of withId.filter((x) => !x.path.startsWith('/audit/'))) {
      const body = r.method === 'GET' ? {} : { body: {} };
      // The draft's seeded materials have files; a sub-resource it lacks would be 404 for the owner too.
      const params = { id, action: 'withdraw', code: 'EIA_DOCUMENT' };
      const mine = await send(r, { pathParameters: params, ...body, user: people.owner });
      // A draft has issued no document yet: that route is 404 for its owner too.
      if (!r.path.includes('{documentId}')) expect(mine.status, `${r.path}: ${mine.raw}`).not.toBe(404);
      const theirs = await send(r, { pathParameters: params, ...body, user: people.otherApplicant });
      expect(theirs.status, `${r.path}: ${theirs.raw}`).toBe(404);
    }
  });

  it('answers an action name that is none with 404, whatever it is', async () => {
    const take = route('POST', '/applications/{id}/actions/{action}');
    const names = fc
      .oneof(
        fc.constantFrom(
          'constructor',
          '__proto__',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'create',
          'edit',
        ),
        fc.constantFrom(...actionNames).map((a) => a.toUpperCase()),
        fc.constantFrom(...actionNames).map((a) => `${a} `),
        idValues,
      )
      .filter((a) => !(actionNames as readonly string[]).includes(a));
    await fc.assert(
      fc.asyncProperty(names, fc.constantFrom(...personNames), async (action, who) => {
        const answer = await send(take, {
          pathParameters: { id: idOf('SUBMITTED'), action },
          body: {},
          user: people[who],
        });
        // Another applicant learns nothing either way: not even that the action is unknown.
        expect(answer.status, answer.raw).toBe(404);
      }),
      opts(400),
    );
  });
});

describe('headers', () => {
  const patch = route('PATCH', '/applications/{id}');
  const take = route('POST', '/applications/{id}/actions/{action}');
  /** RFC 9110 entity-tag lists as the API takes them: `*`, or strong or weak "<version>" tags. */
  const wellFormedIfMatch = (v: string) =>
    v.trim() === '*' || v.split(',').every((t) => /^\s*(W\/)?"\d{1,15}"\s*$/.test(t));

  it('refuses a malformed If-Match naming it, and answers a well-formed one with success or 412', async () => {
    const cases = fc.oneof(
      fc.constant({ r: patch, id: idOf('DRAFT'), action: '', body: { project: { name: '新名称' } } }),
      fc.constant({ r: take, id: idOf('DRAFT'), action: 'withdraw', body: {} }),
    );
    await fc.assert(
      fc.asyncProperty(cases, ifMatchValues, async ({ r, id, action, body }, ifMatch) => {
        const answer = await send(r, {
          pathParameters: { id, action },
          headers: { 'if-match': ifMatch },
          body,
          user: people.owner,
        });
        if (!wellFormedIfMatch(ifMatch)) expectNamed(answer, 'header.If-Match');
        else expect([200, 412], answer.raw).toContain(answer.status);
      }),
      opts(600),
    );
  });

  it('refuses a malformed Idempotency-Key naming it, on every POST', async () => {
    const create = route('POST', '/applications');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(create, take), idempotencyKeyValues, async (r, key) => {
        const answer = await send(r, {
          pathParameters: { id: idOf('DRAFT'), action: 'withdraw' },
          headers: { 'idempotency-key': key },
          body: r === create ? { category: 'REPORT' } : {},
          user: people.owner,
        });
        if (!/^[\x21-\x7e]{1,128}$/.test(key)) expectNamed(answer, 'header.Idempotency-Key');
        else expect(answer.status).not.toBe(500);
      }),
      opts(400),
    );
  });

  it('answers any set of other headers, on every route, with a success or a 4xx problem', async () => {
    const names = fc.oneof(
      fc.constantFrom(
        'content-length',
        'content-encoding',
        'transfer-encoding',
        'x-forwarded-for',
        'authorization',
        'cookie',
        'accept',
        'accept-language',
        'if-none-match',
        'if-match',
        'idempotency-key',
        'x-http-method-override',
        '__proto__',
        'constructor',
      ),
      fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.toLowerCase()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.dictionary(names, nastyString, { maxKeys: 5 }),
        fc.constantFrom(...personNames),
        async (r, headers, who) => {
          await send(r, {
            pathParameters: { id: idOf('SUBMITTED'), action: 'accept' },
            headers,
            ...(r.method === 'GET' ? {} : { body: {} }),
            user: people[who],
          });
        },
      ),
      opts(500),
    );
  });
});

describe('identity', () => {
  it('answers any claims the authorizer could hand over with a success or a 4xx (401 with no subject)', async () => {
    const claimValue = fc.oneof(
      nastyString,
      fc.constantFrom('[applicant]', '[clerk reviewer]', '[]', '[auditor,approver]', 'applicant', '[root]'),
    );
    const claims = fc.record(
      { sub: claimValue, name: claimValue, 'cognito:groups': claimValue, 'custom:orgCode': claimValue },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), claims, async (r, c) => {
        const event = apiEvent({
          method: r.method,
          route: r.path,
          pathParameters: { id: idOf('SUBMITTED'), action: 'accept' },
          ...(r.method === 'GET' ? {} : { body: {} }),
          claims: c,
        });
        const answer = await sendEvent(r, event);
        if (r.auth && (typeof c.sub !== 'string' || c.sub === '')) expect(answer.status).toBe(401);
      }),
      opts(400),
    );
  });
});

// Last, so that it sees every request of the file (skipped with the others under -t).
it('sent at least 3,000 requests', () => {
  expect(stats.requests).toBeGreaterThanOrEqual(3_000);
});
