import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, vi } from 'vitest';
import { chain, GENESIS } from '../../../shared/domain/audit-chain.ts';
import { createApplication, decide } from '../../../shared/domain/decide.ts';
import type { Application, AuditEvent, Caller, Role } from '../../../shared/domain/types.ts';
import { forgetCalendar, getCalendar } from '../../../shared/runtime/calendar.ts';
import { currentConfig, forgetConfig } from '../../../shared/runtime/workflow-config.ts';
import { appIndexKeys, appKey } from '../../../shared/store/keys.ts';
import type { BureauStore } from '../../../shared/store/ports.ts';
import type { invoke, User } from '../../support/api-events.ts';

/**
 * What the handler tests share: the environment, the people, and stored applications built by
 * the domain itself (so a stored item is exactly what the store would have written).
 */
export const TABLE = 'test-eia-main';
export const IDEMPOTENCY_TABLE = 'test-eia-idempotency';

/** Set before the first handler call: config.ts reads the environment once. */
export function stubEnv(): void {
  vi.stubEnv('TABLE_NAME', TABLE);
  vi.stubEnv('IDEMPOTENCY_TABLE_NAME', IDEMPOTENCY_TABLE);
  vi.stubEnv('CURSOR_SECRET', 'unit-test-cursor-secret-0123456789');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
}

/** Tuesday 10 June 2025, 10:00 in Beijing: a working day. */
export const NOW = new Date('2025-06-10T02:00:00.000Z');

export function freezeTime(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
}

/**
 * What a handler test file sets up: the mocked DynamoDB document client (returned), and hooks that
 * stub the environment and freeze the clock before all tests and undo both after them. Call it
 * before the beforeAll that loads the handlers (hooks run in order).
 */
export function useHandlerEnvironment() {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeAll(async () => {
    stubEnv();
    freezeTime();
    await primeCalendar();
  });
  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    forgetCalendar();
    forgetConfig();
  });
  return ddb;
}

/**
 * The calendar and the configuration at run time as a new deployment has them (the seeds alone), cached before the handlers
 * run (the clock is frozen, so it stays cached): their DynamoDB calls are then the application's
 * own, as the tests count them. tests/unit/shared/runtime/calendar.test.ts tests the loader itself.
 */
export async function primeCalendar(): Promise<void> {
  const seedOnly: Pick<BureauStore, 'current'> = { current: async () => [] };
  await getCalendar({ fresh: true, store: seedOnly as BureauStore });
  await currentConfig({ fresh: true, store: seedOnly as BureauStore });
}

export type Handler = Parameters<typeof invoke>[0];

/** The handler of functions/<name>/handler.ts; only once the environment is stubbed (it is read at import). */
export async function loadHandler<H = Handler>(name: string): Promise<H> {
  if (process.env.TABLE_NAME !== TABLE) throw new Error(`loadHandler('${name}') before stubEnv()`);
  return ((await import(`../../../functions/${name}/handler.ts`)) as { handler: H }).handler;
}

export const ORG_CODE = '91350100M000100Y43';
export const OTHER_ORG_CODE = '91430281MA4L00000Y';

export const owner: User = {
  sub: 'applicant-owner',
  name: 'Li Ming',
  groups: ['applicant'],
  orgCode: ORG_CODE,
};
export const otherApplicant: User = {
  sub: 'applicant-other',
  name: 'Zhao Lei',
  groups: ['applicant'],
  orgCode: OTHER_ORG_CODE,
};
export const clerk: User = { sub: 'clerk-1', name: 'Wang Fang', groups: ['clerk'] };
export const reviewer: User = { sub: 'reviewer-1', name: 'Chen Jing', groups: ['reviewer'] };

export function callerOf(user: User): Caller {
  return {
    id: user.sub,
    name: user.name,
    roles: user.groups as Role[],
    ...(user.orgCode ? { orgCode: user.orgCode } : {}),
  };
}

const sha = (c: string) => c.repeat(64);

/** A complete REPORT_FORM request: every required material is there, so it can be submitted. */
export function createBody() {
  return {
    category: 'REPORT_FORM',
    project: {
      name: '醴陵市陶瓷产业园废水处理站',
      location: '湖南省醴陵市经济开发区',
      industry: '污水处理',
      investmentCny: 12_000_000,
      description: 'A wastewater treatment plant for the ceramics park.',
    },
    applicant: {
      orgName: '醴陵市某陶瓷有限公司',
      orgCode: ORG_CODE,
      contactName: '李明',
      contactPhone: '13800138000',
    },
    materials: [
      { code: 'APPLICATION_LETTER', fileName: 'letter.pdf', sha256: sha('a'), sizeBytes: 1000 },
      { code: 'EIA_DOCUMENT', fileName: 'eia.pdf', sha256: sha('b'), sizeBytes: 2_000_000 },
      { code: 'PUBLIC_VERSION', fileName: 'public.pdf', sha256: sha('c'), sizeBytes: 1_500_000 },
      { code: 'PROJECT_APPROVAL', fileName: 'approval.pdf', sha256: sha('d'), sizeBytes: 3000 },
      { code: 'LAND_USE_OPINION', fileName: 'land.pdf', sha256: sha('e'), sizeBytes: 4000 },
      { code: 'BUSINESS_LICENSE', fileName: 'licence.pdf', sha256: sha('f'), sizeBytes: 5000 },
    ],
  };
}

export const APP_ID = '0b6f3c1e-6a2d-4f7b-9c3e-2d5a8e4f1a90';

export interface Stored {
  app: Application;
  events: AuditEvent[];
  headHash: string;
  /** The application item exactly as the store keeps it. */
  item: Record<string, unknown>;
}

/**
 * An application of `owner` in DRAFT or SUBMITTED, built by the domain (create, then submit) the
 * day before NOW, with its chained events and the item the store would hold.
 */
export function storedApplication(state: 'DRAFT' | 'SUBMITTED', id = APP_ID): Stored {
  const caller = callerOf(owner);
  const created = createApplication(createBody(), caller, {
    now: new Date('2025-06-09T01:00:00.000Z'),
    requestId: 'seed-1',
    id,
  });
  const events = [chain(created.event, GENESIS)];
  let app = created.app;
  if (state === 'SUBMITTED') {
    const submitted = decide(
      app,
      'submit',
      caller,
      {},
      { now: new Date('2025-06-09T03:00:00.000Z'), requestId: 'seed-2' },
    );
    events.push(chain(submitted.event, events[0]?.hash ?? GENESIS));
    app = submitted.app;
  }
  const headHash = events.at(-1)?.hash ?? GENESIS;
  return { app, events, headHash, item: { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash } };
}

/** How many commands of each type the mock received, e.g. `{ GetCommand: 1, TransactWriteCommand: 1 }`. */
export function commandCounts(mock: AwsStub<any, any, any>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of mock.calls()) {
    const name = (call.args[0] as object).constructor.name;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
