import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoApi, loadScenarios, scenarios } from '../../local/demo-data.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('npm start -- --demo', () => {
  it('loads every Liling scenario through the API, in the states the demo promises, and puts the clock back', async () => {
    const api: DemoApi = {
      token: (subject) => stack.token(subject),
      async call(method, path, token, body) {
        const res = await stack.request<Record<string, unknown>>(method, path, { token, body });
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
        return res.json;
      },
      setNow: (iso) => stack.setNow(iso),
    };
    const now = new Date('2026-11-28T02:00:00Z');
    const ids = await loadScenarios(api, now);
    expect(ids).toHaveLength(scenarios.length);

    const states = [];
    for (const id of ids) {
      const res = await stack.request<{ state: string }>('GET', `/applications/${id}`, { as: 'auditor' });
      states.push(res.json.state);
    }
    expect(states).toEqual(['EXPERT_REVIEW', 'SUPPLEMENT_REQUIRED', 'PUBLIC_NOTICE', 'FILED', 'APPROVED']);

    const clock = await stack.request<{ now: string }>('GET', '/local/clock');
    expect(clock.json.now.slice(0, 16)).toBe(now.toISOString().slice(0, 16));
    const notices = await stack.request<{ items: { kind: string }[] }>('GET', '/public/notices?limit=100');
    expect(new Set(notices.json.items.map((n) => n.kind))).toEqual(
      new Set(['ACCEPTANCE', 'PROPOSED_DECISION', 'DECISION', 'FILING']),
    );
  });
});
