/** The sweeper's daily count of provisional deadlines, its metric line and the admins' weekly reminder. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkProvisional, dailyCheckDue } from '../../../../functions/sweeper/provisional.ts';
import { WorkCalendar } from '../../../../shared/domain/calendar.ts';
import data from '../../../../shared/domain/calendar-data.json' with { type: 'json' };
import { defaultConfig } from '../../../../shared/domain/config.ts';
import type { Notification } from '../../../../shared/domain/notifications.ts';
import { type Application, openStates } from '../../../../shared/domain/types.ts';
import { embeddedMetric } from '../../../../shared/runtime/metrics.ts';
import { statePk } from '../../../../shared/store/keys.ts';
import type { ApplicationStore, ListQuery } from '../../../../shared/store/ports.ts';
import { at, driveTo } from '../../shared/domain/fixtures.ts';

const unpublished = new WorkCalendar(data.years);
const published = new WorkCalendar({ ...data.years, '2027': { holidays: ['2027-01-01'], workdays: [] } });

/** A store holding `apps` by state; it records each list query and keeps the outbox. */
function fakeStore(apps: Application[]) {
  const queries: ListQuery[] = [];
  const outbox = new Map<string, Notification>();
  const store = {
    async list(query: ListQuery) {
      queries.push(query);
      return { items: apps.filter((a) => `STATE#${a.state}` === query.partition) };
    },
    async remindOnce(n: Notification) {
      const key = `${n.at}#${n.applicationId}#${n.seq}`;
      if (outbox.has(key)) return false;
      outbox.set(key, n);
      return true;
    },
  } as unknown as ApplicationStore;
  return { store, queries, outbox };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('checkProvisional', () => {
  const open = [
    driveTo('UNDER_REVIEW', 'REPORT', { on: '2026-12-01' }).app,
    driveTo('UNDER_REVIEW', 'REPORT_FORM', { on: '2026-03-02' }).app,
    driveTo('APPROVED', 'REPORT', { on: '2026-12-01' }).app,
  ];

  it('counts by one state-index query per open state, never a finished application', async () => {
    const { store, queries } = fakeStore(open);
    const report = await checkProvisional(store, at('2026-12-06', '08:05'), unpublished);
    expect(report.openProvisional).toBe(1);
    expect(queries.every((q) => q.index === 'byState')).toBe(true);
    expect(queries.map((q) => q.partition)).not.toContain('STATE#APPROVED');
    expect(queries.map((q) => q.partition)).toContain('STATE#UNDER_REVIEW');
    // The one list of open states, the recount's too: submitted and on, never a draft.
    expect(queries.map((q) => q.partition)).toEqual(openStates.map(statePk));
    expect(openStates).toContain('SUPPLEMENT_REQUIRED');
    expect(openStates).not.toContain('DRAFT');
  });

  it("counts each application's deadlines by the configuration version it was submitted under", async () => {
    // The completeness check of a case received on 28 December: 5 working days (the seed) run into
    // 2027, 1 working day (version 7) ends in 2026. (The review clock keeps its own limit.)
    const submitted = driveTo('SUBMITTED', 'REPORT', { on: '2026-12-28' }).app;
    const pinned = { ...submitted, configVersion: 7 };
    const quick = { ...defaultConfig, completenessCheckDays: 1 };
    const asked: (number | undefined)[] = [];
    const configOf = async (app: Application) => {
      asked.push(app.configVersion);
      return app.configVersion === 7 ? quick : defaultConfig;
    };
    const today = at('2026-12-28', '08:05');
    const seed = await checkProvisional(fakeStore([submitted]).store, today, unpublished, configOf);
    const seven = await checkProvisional(fakeStore([pinned]).store, today, unpublished, configOf);
    expect(seed.openProvisional).toBe(1);
    expect(seven.openProvisional).toBe(0);
    expect(asked).toEqual([submitted.configVersion, 7]);
    expect(submitted.configVersion).not.toBe(7);
  });

  it('emits the count as an embedded metric when the function has a namespace', async () => {
    vi.stubEnv('METRICS_NAMESPACE', 'eia-test');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await checkProvisional(fakeStore(open).store, at('2026-12-06', '08:05'), unpublished);
    const line = write.mock.calls.map(([chunk]) => String(chunk)).find((l) => l.includes('_aws'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'eia-test', Metrics: [{ Name: 'ProvisionalDeadlines' }] }] },
      ProvisionalDeadlines: 1,
    });
  });

  it('reminds the admins once a week from 1 November, not before, not once 2027 is published', async () => {
    const { store, outbox } = fakeStore(open);
    expect((await checkProvisional(store, at('2026-10-30', '08:05'), unpublished)).reminded).toBe(false);
    expect((await checkProvisional(store, at('2026-11-02', '08:05'), unpublished)).reminded).toBe(true);
    expect((await checkProvisional(store, at('2026-11-05', '08:05'), unpublished)).reminded).toBe(false);
    expect((await checkProvisional(store, at('2026-11-09', '08:05'), unpublished)).reminded).toBe(true);
    expect((await checkProvisional(store, at('2026-11-16', '08:05'), published)).reminded).toBe(false);
    expect([...outbox.values()].map((n) => n.recipients)).toEqual([
      [{ kind: 'role', role: 'admin' }],
      [{ kind: 'role', role: 'admin' }],
    ]);
  });
});

describe('dailyCheckDue', () => {
  it('is the quarter hour from 08:00 Beijing', () => {
    expect(dailyCheckDue(at('2026-12-06', '08:00'))).toBe(true);
    expect(dailyCheckDue(at('2026-12-06', '08:14'))).toBe(true);
    expect(dailyCheckDue(at('2026-12-06', '08:15'))).toBe(false);
    expect(dailyCheckDue(at('2026-12-06', '07:59'))).toBe(false);
  });
});

describe('embeddedMetric', () => {
  it('is one JSON line CloudWatch reads as a Count', () => {
    expect(JSON.parse(embeddedMetric('ns', 'M', 3, new Date(1000)))).toEqual({
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [{ Namespace: 'ns', Dimensions: [[]], Metrics: [{ Name: 'M', Unit: 'Count' }] }],
      },
      M: 3,
    });
  });
});
