/**
 * Scale: the read cost of a list query, an audit query and a sweep with a small and a large table.
 * The table grows in place (the handlers' table, whatever the bench wrote before), seeded with
 * BatchWriteItem in parallel: applications as `commit` writes them (ACCEPTED, on the sweep index
 * but not yet due) and audit events as `commit` writes them (on the actor, action and day indexes),
 * all on the sweep's day so that the daily digests (which cover completed days) are not part of it.
 * Five applications due for deemed acceptance are added at each size: a sweep must read those
 * five, whatever else is in the table.
 */
// @ts-nocheck

import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { GENESIS } from '../../shared/domain/audit-chain.ts';
import { createApplication, decide } from '../../shared/domain/decide.ts';
import type { Application, AuditEvent, Caller } from '../../shared/domain/types.ts';
import { resetNow, setNow } from '../../shared/runtime/now.ts';
import { appIndexKeys, appKey, eventItem } from '../../shared/store/keys.ts';
import type { Meter, Work } from './meter.ts';
import { type BenchStack, user } from './stack.ts';
import { createBody } from './work.ts';

/** The sweep runs at noon UTC on this day; every seeded item is from its morning. */
const SWEEP_AT = new Date('2026-03-25T12:00:00Z');
const SEED_DAY = '2026-03-25';

const caller = (role: 'applicant' | 'clerk'): Caller => {
  const u = user(role);
  return { id: u.sub, name: u.name, roles: [role], ...(u.orgCode ? { orgCode: u.orgCode } : {}) };
};

/** An application made by the domain: ACCEPTED on `on`, with its three events. */
function template(on: Date, state: 'SUBMITTED' | 'ACCEPTED') {
  const opts = { now: on, requestId: 'bench-seed' };
  const created = createApplication(createBody(), caller('applicant'), { ...opts, id: randomUUID() });
  const submitted = decide(created.app, 'submit', caller('applicant'), {}, opts);
  if (state === 'SUBMITTED') return { app: submitted.app, events: [created.event, submitted.event] };
  const accepted = decide(submitted.app, 'accept', caller('clerk'), {}, opts);
  return { app: accepted.app, events: [created.event, submitted.event, accepted.event] };
}

type Item = Record<string, unknown>;

/** `count` items from `make(i)`, 25 per BatchWriteItem, `parallel` requests in flight. */
async function batchWrite(stack: BenchStack, count: number, make: (i: number) => Item, parallel = 8) {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const start = next;
      if (start >= count) return;
      next = Math.min(count, start + 25);
      let pending: Item[] = Array.from({ length: next - start }, (_, k) => make(start + k));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 20) throw new Error('bench: BatchWriteItem keeps leaving items unprocessed');
        const out = await stack.doc.send(
          new BatchWriteCommand({
            RequestItems: { [stack.tables.main]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        pending = (out.UnprocessedItems?.[stack.tables.main] ?? []).map((r) => r.PutRequest?.Item ?? {});
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Seeds `apps` accepted applications and `events` events (three per application template). */
export async function seed(stack: BenchStack, apps: number, events: number): Promise<void> {
  const base = template(new Date(`${SEED_DAY}T01:00:00Z`), 'ACCEPTED');
  const at = (i: number) => new Date(Date.parse(`${SEED_DAY}T00:00:00Z`) + (i % 3_600_000)).toISOString();
  await batchWrite(stack, apps, (i) => {
    const app: Application = { ...base.app, id: randomUUID(), createdAt: at(i) };
    return { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: GENESIS };
  });
  await batchWrite(stack, events, (i) => {
    const proto = base.events[i % base.events.length] as AuditEvent;
    const event: AuditEvent = { ...proto, applicationId: randomUUID(), at: at(i) };
    return eventItem(event);
  });
}

/** Five applications submitted two weeks before the sweep: due for deemed acceptance. */
async function seedDue(stack: BenchStack): Promise<void> {
  await batchWrite(stack, 5, () => {
    const { app } = template(new Date('2026-03-09T02:00:00Z'), 'SUBMITTED');
    return { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: GENESIS };
  });
}

export interface ScaleRow {
  size: number;
  /** What was seeded in all at this size (besides the bench's own lifecycles). */
  apps: number;
  events: number;
  seedSeconds: number;
  reads: { name: string; work: Work; answered: number }[];
}

const auditor = () => user('auditor');

export async function measureScale(
  stack: BenchStack,
  meter: Meter,
  options: { sizes: number[]; appsFraction: number; log: (s: string) => void },
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  let apps = 0;
  let events = 0;
  // A first sweep catches up on the daily digests of the days before (the bench's lifecycles and
  // these five), which a sweep does once per day, not per table size.
  setNow(SWEEP_AT);
  try {
    meter.enabled = false;
    await seedDue(stack);
    await (await stack.handler('sweeper'))({}, {} as never);
    for (const size of options.sizes) {
      const wantApps = Math.round(size * options.appsFraction);
      const t0 = performance.now();
      meter.enabled = false;
      await seed(stack, wantApps - apps, size - events);
      await seedDue(stack);
      apps = wantApps;
      events = size;
      const seedSeconds = (performance.now() - t0) / 1000;
      options.log(
        `  seeded ${apps} applications and ${events} events in all (${seedSeconds.toFixed(0)} s for this size)`,
      );
      const reads: ScaleRow['reads'] = [];
      const measure = async (name: string, run: () => Promise<number>) => {
        meter.enabled = true;
        const { result, work } = await meter.measure(run);
        meter.enabled = false;
        reads.push({ name, work, answered: result });
      };
      const list = async (role: 'clerk' | 'applicant', query: Record<string, string>) => {
        const res = await stack.call('list-applications', {
          method: 'GET',
          route: '/applications',
          query,
          user: user(role),
        });
        return (res.body.items as unknown[]).length;
      };
      const audit = async (query: Record<string, string>) => {
        const res = await stack.call('audit-events', {
          method: 'GET',
          route: '/audit/events',
          query,
          user: auditor(),
        });
        return (res.body.items as unknown[]).length;
      };
      await measure('list: GET /applications?limit=20 (clerk)', () => list('clerk', { limit: '20' }));
      await measure('list: ?state=ACCEPTED&limit=20 (clerk)', () =>
        list('clerk', { state: 'ACCEPTED', limit: '20' }),
      );
      await measure('list: own, limit=20 (applicant)', () => list('applicant', { limit: '20' }));
      await measure('audit: ?action=accept&limit=50', () => audit({ action: 'accept', limit: '50' }));
      await measure(`audit: ?from=${SEED_DAY}&to=${SEED_DAY}&limit=50`, () =>
        audit({ from: SEED_DAY, to: SEED_DAY, limit: '50' }),
      );
      await measure('sweep (5 due)', async () => {
        const report = (await (await stack.handler('sweeper'))({}, {} as never)) as { read: number };
        return report.read;
      });
      rows.push({ size, apps, events, seedSeconds, reads });
    }
  } finally {
    meter.enabled = false;
    resetNow();
  }
  return rows;
}
