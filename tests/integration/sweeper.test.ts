/** The sweeper over HTTP (POST /local/sweep) against DynamoDB Local; time moved, never slept on. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/domain/audit-chain.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';

interface Report {
  today: string;
  read: number;
  steps: Record<string, number>;
  skipped: number;
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const beijing = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

async function submitted(on: string): Promise<string> {
  await stack.setNow(beijing(on, '09:00'));
  const materials = defaultConfig.required.REPORT_FORM.map((code) => ({
    code,
    fileName: `${code}.pdf`,
    sha256: createHash('sha256').update(code).digest('hex'),
    sizeBytes: 100,
  }));
  const created = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: {
      category: 'REPORT_FORM',
      project: { name: '陶瓷窑炉改造', location: '醴陵市', industry: '陶瓷', investmentCny: 1_000_000 },
      applicant: {
        orgName: '醴陵市某陶瓷有限公司',
        orgCode: users.applicant.orgCode,
        contactName: '黄秀英',
        contactPhone: '13873301234',
      },
      materials,
    },
  });
  expect(created.status, created.text).toBe(201);
  const res = await stack.request('POST', `/applications/${created.json.id}/actions/submit`, {
    as: 'applicant',
  });
  expect(res.status).toBe(200);
  return created.json.id;
}

async function sweep(on: string): Promise<Report> {
  await stack.setNow(beijing(on, '02:00'));
  const res = await stack.request<Report>('POST', '/local/sweep');
  expect(res.status, res.text).toBe(200);
  return res.json;
}

describe('the sweeper', () => {
  it('deems accepted on the 6th working day after receipt, across National Day, reading only what is due', async () => {
    // Received Tue 09-29; the window's 5 working days end on 10-12 (National Day 10-01..07 off).
    const due = await submitted('2026-09-29');
    // Ten more received later: not due on 10-13, so a sweep never reads them.
    for (let i = 0; i < 10; i++) await submitted('2026-10-09');

    const early = await sweep('2026-10-12');
    expect(early).toMatchObject({ read: 0, steps: {} });

    const report = await sweep('2026-10-13');
    expect(report).toMatchObject({ read: 1, steps: { accept: 1 }, skipped: 0 });
    const app = await stack.request<Record<string, unknown>>('GET', `/applications/${due}`, { as: 'clerk' });
    expect(app.json).toMatchObject({
      state: 'ACCEPTED',
      acceptance: { acceptedOn: '2026-09-29', deemed: true },
      clock: { startedOn: '2026-09-29' },
    });
    const events = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${due}/events`, {
      as: 'auditor',
    });
    expect(events.json.items.at(-1)).toMatchObject({
      action: 'accept',
      actor: { id: 'system', role: 'system' },
    });
    expect(verifyChain(events.json.items)).toEqual({ ok: true });

    // The same sweep again finds nothing: each step happens once.
    expect(await sweep('2026-10-13')).toMatchObject({ read: 0, steps: {} });
  });

  it('writes each step once when two sweeps run at the same time', async () => {
    // The ten received 10-09 (Fri, an adjusted working day) are due on 10-16.
    await stack.setNow(beijing('2026-10-16', '02:00'));
    const [a, b] = await Promise.all([
      stack.request<Report>('POST', '/local/sweep'),
      stack.request<Report>('POST', '/local/sweep'),
    ]);
    const accepted = (a.json.steps.accept ?? 0) + (b.json.steps.accept ?? 0);
    expect(accepted).toBe(10);
    const list = await stack.request<{ items: { id: string }[] }>(
      'GET',
      '/applications?state=ACCEPTED&limit=100',
      {
        as: 'clerk',
      },
    );
    for (const { id } of list.json.items) {
      const events = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events`, {
        as: 'auditor',
      });
      expect(events.json.items.filter((e) => e.action === 'accept')).toHaveLength(1);
      expect(verifyChain(events.json.items)).toEqual({ ok: true });
    }
  });
});
