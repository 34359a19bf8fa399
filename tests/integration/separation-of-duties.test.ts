/**
 * Separation of duties (docs/roles.md#separation-of-duties): the approver who signs a decision may not be the one who
 * proposed it, even when one person holds both the reviewer and the approver groups. The refusal
 * is 403 (it is about who is asking, docs/roles.md#refusals-401-403-404), whatever the date, writes nothing, and another
 * approver can still decide. Through the local server, real handlers and DynamoDB Local; the
 * clock is moved with POST /local/clock.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import { withFiles } from './helpers/uploads.ts';

interface AppJson {
  id: string;
  state: string;
  version: number;
  allowedActions: string[];
  proposal?: { proposal: string; proposedBy: string; noticeEndsOn: string };
  decision?: { outcome: string; decidedBy: string };
}
interface ActionJson {
  application: AppJson;
  event: AuditEvent;
  type?: string;
  status?: number;
  detail?: string;
}

/** One person who is both a case officer and a bureau leader. */
const both: TokenSubject = { sub: 'sod-both', name: '李兼任', groups: ['reviewer', 'approver'] };
/** The same person, groups listed the other way round: the order must not matter. */
const bothReversed: TokenSubject = { ...both, groups: ['approver', 'reviewer'] };
/** The same person signing in with the approver group only: still the proposer. */
const sameAsApprover: TokenSubject = { ...both, groups: ['approver'] };

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const beijing = (date: string) => `${date}T10:00:00+08:00`;

async function act(id: string, action: string, as: Who, body: unknown = {}) {
  return stack.request<ActionJson>('POST', `/applications/${id}/actions/${action}`, { as, body });
}

async function ok(id: string, action: string, as: Who, body: unknown = {}) {
  const res = await act(id, action, as, body);
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.json;
}

async function get(id: string, as: Who) {
  const res = await stack.request<AppJson>('GET', `/applications/${id}`, { as });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function trail(id: string): Promise<AuditEvent[]> {
  const res = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events?limit=100`, {
    as: 'auditor',
  });
  expect(res.status).toBe(200);
  return res.json.items;
}

/** A REPORT_FORM taken to review, with `officer` as its case officer. */
async function underReview(officer: TokenSubject): Promise<string> {
  const created = await stack.request<AppJson>('POST', '/applications', {
    as: 'applicant',
    body: {
      category: 'REPORT_FORM',
      project: {
        name: '浦口镇烟花仓储扩建',
        location: '醴陵市浦口镇',
        industry: '烟花爆竹',
        investmentCny: 800_000,
      },
      applicant: {
        orgName: '醴陵市某烟花有限公司',
        orgCode: users.applicant.orgCode,
        contactName: '刘建国',
        contactPhone: '13873300000',
      },
      materials: defaultConfig.required.REPORT_FORM.map((code) => ({
        code,
        fileName: `${code}.pdf`,
        sha256: createHash('sha256').update(code).digest('hex'),
        sizeBytes: 1000,
      })),
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.json.id;
  await withFiles(stack, id, 'applicant');
  await ok(id, 'submit', 'applicant');
  await ok(id, 'accept', 'clerk');
  await ok(id, 'start_review', officer);
  return id;
}

/** The refusal docs/roles.md describes: 403 problem+json naming separation of duties. */
function expectSeparationRefusal(res: Awaited<ReturnType<typeof act>>) {
  expect(res.status, res.text).toBe(403);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json.type).toMatch(/\/separation-of-duties$/);
  expect(res.json.detail).toMatch(/proposed/);
}

describe('approve: no one approves what they proposed', () => {
  it('refuses the proposer holding both groups, before and after the notice period; another approver approves', async () => {
    await stack.setNow(beijing('2026-03-02'));
    const id = await underReview(both);
    // Proposed the day after the acceptance notice's comment period (03-03..03-09).
    await stack.setNow(beijing('2026-03-10'));
    const proposed = await ok(id, 'propose_decision', both, {
      proposal: 'approve',
      conditions: ['废气达标排放'],
    });
    expect(proposed.application.proposal).toMatchObject({ proposedBy: both.sub, noticeEndsOn: '2026-03-17' });

    // During the notice period: the proposer is refused for who they are (403), not for the date,
    // while another approver is refused for the date (422).
    expectSeparationRefusal(await act(id, 'approve', both));
    expect((await act(id, 'approve', 'approver')).status).toBe(422);

    await stack.setNow(beijing('2026-03-18'));
    const before = await trail(id);
    const seenByProposer = await get(id, both);
    expect(seenByProposer.allowedActions).not.toContain('approve');
    expect(seenByProposer.allowedActions).not.toContain('reject');
    expect((await get(id, 'approver')).allowedActions).toEqual(expect.arrayContaining(['approve', 'reject']));

    for (const who of [both, bothReversed, sameAsApprover]) {
      expectSeparationRefusal(await act(id, 'approve', who));
      expectSeparationRefusal(await act(id, 'reject', who, { reasons: ['自己否决自己的提议'] }));
    }
    // Nothing was written by any refusal.
    const after = await get(id, 'auditor');
    expect(after).toMatchObject({ state: 'PUBLIC_NOTICE', version: seenByProposer.version });
    expect(await trail(id)).toEqual(before);

    const approved = await ok(id, 'approve', 'approver');
    expect(approved.application).toMatchObject({
      state: 'APPROVED',
      decision: { outcome: 'APPROVED', decidedBy: users.approver.sub },
    });
    expect(approved.event.actor).toMatchObject({ id: users.approver.sub, role: 'approver' });
    const actions = (await trail(id)).map((e) => `${e.action}:${e.actor.id}`);
    expect(actions.slice(-2)).toEqual([`propose_decision:${both.sub}`, `approve:${users.approver.sub}`]);
  });
});

describe('reject: no one rejects what they proposed', () => {
  it('still refuses the proposer after a hearing sends the same proposal back to notice; another approver rejects', async () => {
    await stack.setNow(beijing('2026-04-01'));
    const id = await underReview(bothReversed);
    // The comment period on the acceptance notice runs through 04-09 (Qingming 04-04..04-06 between).
    await stack.setNow(beijing('2026-04-10'));
    await ok(id, 'propose_decision', bothReversed, {
      proposal: 'reject',
      reasons: ['选址位于生态保护红线内'],
    });
    await ok(id, 'request_hearing', 'applicant', { reason: '选址已调整' });
    await stack.setNow(beijing('2026-04-14'));
    await ok(id, 'record_hearing_outcome', bothReversed, { summary: '维持原拟决定', next: 'PUBLIC_NOTICE' });

    await stack.setNow(beijing('2026-04-27'));
    const before = await trail(id);
    for (const who of [both, bothReversed, sameAsApprover]) {
      expectSeparationRefusal(await act(id, 'reject', who, { reasons: ['维持'] }));
    }
    expect(await trail(id)).toEqual(before);

    const rejected = await ok(id, 'reject', 'approver', { reasons: ['选址位于生态保护红线内'] });
    expect(rejected.application).toMatchObject({
      state: 'REJECTED',
      decision: { outcome: 'REJECTED', decidedBy: users.approver.sub },
    });
    expect(rejected.event.actor.id).not.toBe(both.sub);
  });
});
