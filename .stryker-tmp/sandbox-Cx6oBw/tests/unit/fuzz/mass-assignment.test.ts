// @ts-nocheck
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decide } from '../../../shared/domain/decide.ts';
import { AppError, ValidationError } from '../../../shared/domain/errors.ts';
import type { State } from '../../../shared/domain/types.ts';
import { type ActionName, actionNames } from '../../../shared/schemas/actions.ts';
import { callers, createBody, payloadFor } from '../shared/domain/fixtures.ts';
import { defineKey, getAt, massAssignmentKeys, objectPathsOf, pathName } from './arbitraries.ts';
import {
  ddb,
  expectNamed,
  idOf,
  mockTable,
  NOW,
  type Person,
  people,
  personNames,
  report,
  route,
  send,
  setUp,
  stats,
  tearDown,
  trails,
  writes,
} from './harness.ts';

/**
 * Issue 6, mass assignment: a body that tries to set what only the system sets (state, version,
 * owner, case number, …) or to reach the prototype is refused with 400 naming the field, and
 * nothing is written. Every such key is tried in every object of every request body.
 */
vi.setConfig({ testTimeout: 60_000 });
beforeAll(setUp);
afterAll(() => {
  report('mass-assignment');
  tearDown();
});
beforeEach(mockTable);

interface Target {
  what: string;
  send: (body: unknown) => ReturnType<typeof send>;
  valid: unknown;
}

const create = route('POST', '/applications');
const patch = route('PATCH', '/applications/{id}');
const take = route('POST', '/applications/{id}/actions/{action}');

/** For each action, a stored application and a caller that get as far as its payload check. */
function reachable(name: ActionName): { state: State; person: Person } {
  for (const [state, trail] of trails) {
    for (const person of personNames) {
      const caller = Object.values(callers).find((c) => c.id === people[person].sub);
      if (!caller) continue;
      try {
        decide(trail.app, name, caller, payloadFor(name, trail.app), { now: NOW, requestId: 'probe' });
      } catch (error) {
        if (!(error instanceof AppError) || error instanceof ValidationError) throw error;
        if (error.status !== 422) continue;
      }
      return { state, person };
    }
  }
  throw new Error(`no stored application lets anyone reach ${name}`);
}

const targets: Target[] = [
  {
    what: 'POST /applications',
    valid: createBody('REPORT'),
    send: (body) => send(create, { body, user: people.owner }),
  },
  {
    what: 'PATCH /applications/{id}',
    valid: (({ project, applicant, materials }) => ({ project, applicant, materials }))(createBody('REPORT')),
    send: (body) => send(patch, { pathParameters: { id: idOf('DRAFT') }, body, user: people.owner }),
  },
  ...actionNames.map((name): Target => {
    const { state, person } = reachable(name);
    const app = trails.get(state)?.app;
    if (!app) throw new Error(state);
    return {
      what: `POST …/actions/${name} (${state}, ${person})`,
      valid: payloadFor(name, app),
      send: (body) =>
        send(take, { pathParameters: { id: app.id, action: name }, body, user: people[person] }),
    };
  }),
];

/** Only what the system sets, or what the request named: the application item written. */
function writtenApplication(): Record<string, unknown> | undefined {
  const call = ddb.commandCalls(TransactWriteCommand)[0];
  const put = call?.args[0].input.TransactItems?.[0]?.Put;
  return put?.Item as Record<string, unknown> | undefined;
}

describe.each(targets)('$what', (target) => {
  it('takes the valid body (control)', async () => {
    const answer = await target.send(target.valid);
    expect([200, 201, 422], answer.raw).toContain(answer.status);
    expect(writes()).toBe(answer.status === 422 ? 0 : 1);
  });

  it('refuses each such key in any object of the body, naming it, and writes nothing', async () => {
    for (const key of massAssignmentKeys)
      for (const path of objectPathsOf(target.valid)) {
        for (const value of ['APPROVED', { state: 'APPROVED', version: 999 }]) {
          const body = structuredClone(target.valid);
          defineKey(getAt(body, path) as object, key, value);
          const answer = await target.send(body);
          expectNamed(answer, pathName([...path, key]));
          expect(writes(), answer.raw).toBe(0);
        }
      }
  });
});

describe('what a create stores', () => {
  it('is set by the system, not by the request: state, version, owner and dates', async () => {
    const answer = await send(create, { body: createBody('REPORT'), user: people.owner });
    expect(answer.status).toBe(201);
    const item = writtenApplication();
    expect(item).toMatchObject({ state: 'DRAFT', version: 1, ownerId: people.owner.sub });
    expect(item?.caseNumber).toBeUndefined();
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
  });
});

// Last, so that it sees every request of the file (skipped with the others under -t).
it('sent at least 2,000 requests', () => {
  expect(stats.requests).toBeGreaterThanOrEqual(2_000);
});
