import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoApi, loadScenarios, scenarios } from '../../local/demo-data.ts';
import { beijingDate } from '../../shared/domain/calendar.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const api = (): DemoApi => ({
  token: (subject) => stack.token(subject),
  async call(method, path, token, body) {
    const res = await stack.request<Record<string, unknown>>(method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  },
  setNow: (iso) => stack.setNow(iso),
});

/** The states the demo promises its scenarios, in the order local/demo-data.ts loads them. */
const promisedStates = [
  'EXPERT_REVIEW',
  'SUPPLEMENT_REQUIRED',
  'PUBLIC_NOTICE',
  'FILED',
  'APPROVED',
  'UNDER_REVIEW',
  'SUBMITTED',
];

/** The loader puts the local clock back where it found it (to the minute). */
async function expectClockBackAt(now: Date): Promise<void> {
  const clock = await stack.request<{ now: string }>('GET', '/local/clock');
  expect(clock.json.now.slice(0, 16)).toBe(now.toISOString().slice(0, 16));
}

describe('npm start -- --demo', () => {
  it('loads every Liling scenario through the API, in the states the demo promises, and puts the clock back', async () => {
    const now = new Date('2026-11-28T02:00:00Z');
    const ids = await loadScenarios(api(), now);
    expect(ids).toHaveLength(scenarios.length);

    const states = [];
    for (const id of ids) {
      const res = await stack.request<{ state: string }>('GET', `/applications/${id}`, { as: 'auditor' });
      states.push(res.json.state);
    }
    expect(states).toEqual(promisedStates);
    // Every material is a stored file; the revision brought a second version of the EIA document.
    const versions = await stack.request<{ items: { code: string; stored: boolean; current: boolean }[] }>(
      'GET',
      `/applications/${ids[2]}/materials`,
      { as: 'reviewer' },
    );
    expect(versions.status, versions.text).toBe(200);
    expect(versions.json.items.every((v) => v.stored)).toBe(true);
    expect(versions.json.items.filter((v) => v.code === 'EIA_DOCUMENT').map((v) => v.current)).toEqual([
      false,
      true,
    ]);

    // The sweeper (every minute under npm start) finds the one accepted 60 days ago overdue.
    const sweep = await stack.request('POST', '/local/sweep');
    expect(sweep.status).toBe(200);
    const clocks: Record<string, string | undefined> = {};
    for (const id of ids) {
      const res = await stack.request<{ clock?: { status: string } }>('GET', `/applications/${id}`, {
        as: 'auditor',
      });
      clocks[id] = res.json.clock?.status;
    }
    const overdueId = ids[5] ?? '';
    expect(clocks[overdueId]).toBe('OVERDUE');
    const events = await stack.request<{ items: { action: string; actor: { id: string } }[] }>(
      'GET',
      `/applications/${overdueId}/events?limit=100`,
      { as: 'auditor' },
    );
    expect(events.json.items.filter((e) => e.action === 'mark_overdue')).toHaveLength(1);
    const outbox = await stack.request<{
      items: { applicationId: string; action: string; recipients: unknown[] }[];
    }>('GET', '/local/outbox?limit=100');
    const escalation = outbox.json.items.find(
      (n) => n.applicationId === overdueId && n.action === 'mark_overdue',
    );
    expect(escalation?.recipients).toContainEqual({ kind: 'role', role: 'approver' });
    console.info('demo clocks after one sweep:', JSON.stringify(Object.values(clocks)));

    await expectClockBackAt(now);
    const notices = await stack.request<{ items: { kind: string }[] }>('GET', '/public/notices?limit=100');
    expect(new Set(notices.json.items.map((n) => n.kind))).toEqual(
      new Set(['ACCEPTANCE', 'PROPOSED_DECISION', 'DECISION', 'FILING']),
    );
  });

  it('proposes and decides only after the periods they wait for, with the Spring Festival among the demo’s weeks', async () => {
    // The two proposed scenarios are accepted on 02-11 and 02-13: their comment periods run over
    // the holidays of 02-15..02-23, past the days their steps alone would propose on.
    const now = new Date('2026-03-25T02:00:00Z');
    const ids = await loadScenarios(api(), now);
    interface Trail {
      items: {
        action: string;
        at: string;
        changes: { acceptance?: { commentEndsOn: string }; proposal?: { noticeEndsOn: string } };
      }[];
    }
    const states = [];
    let proposals = 0;
    for (const id of ids) {
      const app = await stack.request<{ state: string }>('GET', `/applications/${id}`, { as: 'auditor' });
      states.push(app.json.state);
      const trail = await stack.request<Trail>('GET', `/applications/${id}/events?limit=100`, {
        as: 'auditor',
      });
      const event = (action: string) => trail.json.items.find((e) => e.action === action);
      for (const e of trail.json.items) expect(e.at <= now.toISOString(), `${e.action} ${e.at}`).toBe(true);
      const proposed = event('propose_decision');
      if (!proposed) continue;
      proposals++;
      // The day after the last comment day at the earliest; the decision after the notice's last day.
      const commentEndsOn = event('accept')?.changes.acceptance?.commentEndsOn ?? '9999-12-31';
      expect(beijingDate(proposed.at) > commentEndsOn, `${proposed.at} after ${commentEndsOn}`).toBe(true);
      const approved = event('approve');
      const noticeEndsOn = proposed.changes.proposal?.noticeEndsOn ?? '9999-12-31';
      if (approved) expect(beijingDate(approved.at) > noticeEndsOn, approved.at).toBe(true);
    }
    expect(proposals).toBe(2);
    expect(states).toEqual(promisedStates);
    await expectClockBackAt(now);
  });
});
