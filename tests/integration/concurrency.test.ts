/**
 * Issue 6 part 1: simultaneous conflicting writes through the real handlers against DynamoDB
 * Local. Of N actions fired at once on one application exactly one wins; every other one gets a
 * problem+json 409 or 412 (never a 500), `version` rises by one, one event is appended and the
 * chain stays linear. Many applications driven at the same time keep to their own state and trail.
 * (DynamoDB Local serialises transactions, so it never answers TransactionConflict: that case is
 * covered with aws-sdk-client-mock in tests/unit/handlers/transaction-conflict.test.ts.)
 *
 * STRESS=1 adds larger N and more applications (`npm run test:stress`).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { GENESIS } from '../../shared/domain/audit-chain.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import { isDocumentOutboxItem } from '../../shared/domain/document-outbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import type { AuditEvent, Notice } from '../../shared/domain/types.ts';
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { type LocalStack, type StackResponse, startLocalStack, users } from './helpers/local-stack.ts';
import { uploadFile, withFiles } from './helpers/uploads.ts';

const STRESS = Boolean(process.env.STRESS);

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
  // A working day, so no deadline logic interferes; the clock keeps ticking from here.
  await stack.setNow('2026-03-03T09:00:00+08:00');
});
afterAll(async () => {
  await stack?.stop();
});

interface AppJson {
  id: string;
  state: string;
  version: number;
  caseOfficerId?: string;
}
interface ActionJson {
  application: AppJson;
  event: AuditEvent;
}
interface Problem {
  type: string;
  status: number;
  title: string;
  detail: string;
}
interface Verify {
  ok: boolean;
  events: number;
  firstBrokenSeq?: number;
  reason?: string;
}

const material = (code: string) => ({
  code,
  fileName: `${code.toLowerCase()}.pdf`,
  sha256: createHash('sha256').update(code).digest('hex'),
  sizeBytes: 2048,
});

/** An applicant of its own (own org code), so lists show who sees what. */
function applicantNo(n: number): TokenSubject {
  const base = `91430281MA4L${String(10_000 + n)}`;
  return {
    sub: `conc-applicant-${n}`,
    name: `申请单位${n}`,
    groups: ['applicant'],
    orgCode: `${base}${usccCheckChar(base)}`,
  };
}
const clerkNo = (n: number): TokenSubject => ({
  sub: `conc-clerk-${n}`,
  name: `窗口${n}`,
  groups: ['clerk'],
});
const reviewerNo = (n: number): TokenSubject => ({
  sub: `conc-reviewer-${n}`,
  name: `审查员${n}`,
  groups: ['reviewer'],
});

async function create(applicant: TokenSubject = users.applicant): Promise<string> {
  const res = await stack.request<AppJson>('POST', '/applications', {
    as: applicant,
    body: {
      category: 'REPORT_FORM',
      project: {
        name: '陶瓷窑炉烟气治理',
        location: '醴陵市东富镇',
        industry: '陶瓷',
        investmentCny: 3_000_000,
      },
      applicant: {
        orgName: applicant.name,
        orgCode: applicant.orgCode,
        contactName: '黄秀英',
        contactPhone: '13873301234',
      },
      materials: defaultConfig.required.REPORT_FORM.map(material),
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

function act(
  id: string,
  action: string,
  token: string,
  body: unknown = {},
  headers: Record<string, string> = {},
) {
  return stack.request<ActionJson & Problem>('POST', `/applications/${id}/actions/${action}`, {
    token,
    body,
    headers,
  });
}

async function ok(id: string, action: string, who: TokenSubject | 'applicant' | 'clerk', body: unknown = {}) {
  const res = await act(id, action, await stack.token(who), body);
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.json;
}

async function submitted(applicant: TokenSubject = users.applicant): Promise<string> {
  const id = await create(applicant);
  // Its materials as files (an edit), then the submission.
  await withFiles(stack, id, applicant);
  await ok(id, 'submit', applicant);
  return id;
}

async function application(id: string): Promise<AppJson> {
  const res = await stack.request<AppJson>('GET', `/applications/${id}`, { as: 'auditor' });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function trail(id: string): Promise<AuditEvent[]> {
  const res = await stack.request<{ items: AuditEvent[]; cursor?: string }>(
    'GET',
    `/applications/${id}/events?limit=100`,
    { as: 'auditor' },
  );
  expect(res.status, res.text).toBe(200);
  expect(res.json.cursor).toBeUndefined();
  return res.json.items;
}

async function verify(id: string): Promise<Verify> {
  const res = await stack.request<Verify>('GET', `/audit/applications/${id}/verify`, { as: 'auditor' });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** seq 1..n without gaps, each prevHash the hash of the one before, all of this application. */
function expectLinear(events: readonly AuditEvent[], id: string): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  events.forEach((event, i) => {
    expect(event.applicationId).toBe(id);
    expect(event.prevHash).toBe(i === 0 ? GENESIS : events[i - 1]?.hash);
  });
  expect(new Set(events.map((e) => e.hash)).size).toBe(events.length);
}

/** The application's notifications in the outbox (without its written documents' items). */
async function outboxOf(id: string, documents = false): Promise<Notification[]> {
  const res = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=100');
  expect(res.status, res.text).toBe(200);
  return res.json.items.filter((n) => n.applicationId === id && isDocumentOutboxItem(n) === documents);
}

async function noticesOf(id: string): Promise<Notice[]> {
  const res = await stack.request<{ items: Notice[] }>('GET', '/public/notices?limit=100');
  expect(res.status, res.text).toBe(200);
  return res.json.items.filter((n) => n.applicationId === id);
}

interface Attempt {
  action: string;
  token: string;
  body?: unknown;
  ifMatch?: string;
}

interface Outcome {
  attempt: Attempt;
  res: StackResponse<ActionJson & Problem>;
}

/** Fires every attempt at once and waits for all of them. */
async function race(id: string, attempts: readonly Attempt[]): Promise<{ outcomes: Outcome[]; ms: number }> {
  const started = performance.now();
  const outcomes = await Promise.all(
    attempts.map(async (attempt) => ({
      attempt,
      res: await act(
        id,
        attempt.action,
        attempt.token,
        attempt.body ?? {},
        attempt.ifMatch === undefined ? {} : { 'If-Match': attempt.ifMatch },
      ),
    })),
  );
  return { outcomes, ms: Math.round(performance.now() - started) };
}

/**
 * The invariants after a race on `id`, which stood at `before` (version) with its trail: one 200,
 * the others 409 or 412 as problem+json; the stored application is the winner's, one version and
 * one event further; the trail is the old one plus the winner's event, and verifies.
 */
async function expectOneWinner(
  id: string,
  before: { version: number; events: AuditEvent[] },
  outcomes: Outcome[],
) {
  const statuses = outcomes.map((o) => o.res.status);
  const winners = outcomes.filter((o) => o.res.status === 200);
  expect(winners, `statuses: ${statuses.join(',')}`).toHaveLength(1);
  const winner = winners[0] as Outcome;
  for (const { res } of outcomes) {
    if (res.status === 200) continue;
    expect([409, 412], res.text).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.status).toBe(res.status);
  }
  expect(winner.res.json.event.action).toBe(winner.attempt.action);
  expect(winner.res.json.event.seq).toBe(before.version + 1);
  expect(winner.res.headers.etag).toBe(`"${before.version + 1}"`);

  const after = await application(id);
  expect(after.version).toBe(before.version + 1);
  expect(after.state).toBe(winner.res.json.application.state);
  const events = await trail(id);
  expect(events).toHaveLength(before.events.length + 1);
  expect(events.slice(0, -1)).toEqual(before.events);
  expect(events.at(-1)).toEqual(winner.res.json.event);
  expectLinear(events, id);
  expect(await verify(id)).toMatchObject({ ok: true, events: before.version + 1 });
  return { winner, after, events };
}

function tally(outcomes: readonly Outcome[]) {
  const count: Record<string, number> = {};
  for (const { res } of outcomes) {
    const kind = res.status === 200 ? '200' : `${res.status} ${String(res.json.type).split('/').at(-1)}`;
    count[kind] = (count[kind] ?? 0) + 1;
  }
  return count;
}

const supplementBody = { items: [{ code: 'EIA_DOCUMENT', reason: '污染源强核算依据不足' }] };
const declineBody = { reason: '不属于本局审批权限' };

describe('N simultaneous conflicting clerk actions on one SUBMITTED application', () => {
  const sizes = STRESS ? [10, 50, 100, 250, 500] : [10, 50, 100];

  it.each(sizes)(
    'N = %i: exactly one wins, the rest get 409 or 412, one version and one event more',
    async (n) => {
      const id = await submitted();
      const before = { version: (await application(id)).version, events: await trail(id) };
      // create, edit (its files), submit.
      expect(before.version).toBe(3);
      const current = `"${before.version}"`;
      const stale = `"${before.version - 1}"`;

      // accept, request_supplement and decline all leave SUBMITTED, so after any one of them none
      // of the others is allowed; half come with If-Match of the version they were read at, some
      // with a stale one, from several clerks.
      const clerks = Array.from({ length: Math.max(5, Math.ceil(n / 20)) }, (_, k) => clerkNo(k));
      const tokens = await Promise.all(clerks.map((c) => stack.token(c)));
      const kinds: Omit<Attempt, 'token'>[] = [
        { action: 'accept' },
        { action: 'request_supplement', body: supplementBody, ifMatch: current },
        { action: 'decline', body: declineBody },
        { action: 'accept', ifMatch: current },
        { action: 'request_supplement', body: supplementBody },
        { action: 'decline', body: declineBody, ifMatch: current },
        { action: 'accept', ifMatch: stale },
      ];
      const attempts = Array.from({ length: n }, (_, i) => ({
        ...(kinds[i % kinds.length] as Omit<Attempt, 'token'>),
        token: tokens[i % tokens.length] as string,
      }));

      const { outcomes, ms } = await race(id, attempts);
      const { winner } = await expectOneWinner(id, before, outcomes);

      for (const { attempt, res } of outcomes) {
        // A stale If-Match never gets through; without If-Match a loser is never told 412.
        if (attempt.ifMatch === stale) expect(res.status).toBe(412);
        // Without If-Match a lost commit runs once more on the winner's state, which allows none of
        // these acts: 409 not-allowed-in-state, as a request a moment later would get.
        if (attempt.ifMatch === undefined && res.status !== 200) {
          expect(res.status).toBe(409);
          expect(res.json.type).toMatch(/\/not-allowed-in-state$/);
        }
      }
      expect(winner.attempt.ifMatch).not.toBe(stale);

      // The losers left nothing behind: no notification or public notice of their own.
      const notifications = await outboxOf(id);
      expect(notifications.filter((x) => x.seq > before.version).map((x) => x.action)).toEqual(
        notifications.filter((x) => x.seq > before.version).map(() => winner.attempt.action),
      );
      // Exactly the winner's one notification (accept, the supplement notice and a decline have one each).
      expect(notifications.filter((x) => x.seq === before.version + 1)).toHaveLength(1);
      // And the one written document the winner's act issued (each of the three issues one).
      expect((await outboxOf(id, true)).filter((x) => x.seq > before.version)).toHaveLength(1);
      const notices = await noticesOf(id);
      expect(notices.map((x) => x.kind)).toEqual(winner.attempt.action === 'accept' ? ['ACCEPTANCE'] : []);

      console.info(
        `N=${n} on one application: ${JSON.stringify(tally(outcomes))}; won by ${winner.attempt.action}; ${ms} ms`,
      );
    },
  );
});

describe('reviewers racing on one application', () => {
  it('20 reviewers start_review at once: one becomes case officer, the rest get 409', async () => {
    const id = await submitted();
    await ok(id, 'accept', 'clerk');
    const before = { version: (await application(id)).version, events: await trail(id) };
    const reviewers = Array.from({ length: 20 }, (_, i) => reviewerNo(i));
    const tokens = await Promise.all(reviewers.map((r) => stack.token(r)));

    const { outcomes, ms } = await race(
      id,
      tokens.map((token) => ({ action: 'start_review', token })),
    );
    const { winner, after, events } = await expectOneWinner(id, before, outcomes);

    // Each loser ran again on the winner's UNDER_REVIEW, where start_review is not allowed.
    expect(
      outcomes
        .filter((o) => o.res.status !== 200)
        .map((o) => `${o.res.status} ${String(o.res.json.type).split('/').at(-1)}`),
    ).toEqual(Array(19).fill('409 not-allowed-in-state'));
    // The stored case officer is the winner, not whoever wrote last.
    const winnerSub = reviewers[tokens.indexOf(winner.attempt.token)]?.sub;
    expect(after.caseOfficerId).toBe(winnerSub);
    expect(events.at(-1)?.actor.id).toBe(winnerSub);
    console.info(`20 start_review at once: ${JSON.stringify(tally(outcomes))}; ${ms} ms`);
  });

  it('30 case-officer actions at once on UNDER_REVIEW: one wins, stale If-Match always 412', async () => {
    const id = await submitted();
    await ok(id, 'accept', 'clerk');
    const officer = reviewerNo(99);
    await ok(id, 'start_review', officer);
    // Past the acceptance notice's comment period (5 working days from 03-03), so a proposal may
    // win too; a working day, the clock ticking on from there for the tests after this one.
    await stack.setNow('2026-03-11T09:00:00+08:00');
    const before = { version: (await application(id)).version, events: await trail(id) };
    const token = await stack.token(officer);
    const current = `"${before.version}"`;
    const stale = `"${before.version - 1}"`;
    const kinds: Omit<Attempt, 'token'>[] = [
      { action: 'start_expert_review', body: { expectedWorkingDays: 10 }, ifMatch: current },
      { action: 'request_revision', body: { items: [{ topic: '大气', detail: '补充窑炉烟气监测数据' }] } },
      {
        action: 'propose_decision',
        body: { proposal: 'approve', conditions: ['落实脱硫设施'] },
        ifMatch: current,
      },
      { action: 'start_expert_review', body: { expectedWorkingDays: 10 } },
      {
        action: 'propose_decision',
        body: { proposal: 'reject', reasons: ['选址不符合规划'] },
        ifMatch: stale,
      },
    ];
    const attempts = Array.from({ length: 30 }, (_, i) => ({
      ...(kinds[i % kinds.length] as Omit<Attempt, 'token'>),
      token,
    }));

    const { outcomes, ms } = await race(id, attempts);
    const { winner } = await expectOneWinner(id, before, outcomes);
    for (const { attempt, res } of outcomes) if (attempt.ifMatch === stale) expect(res.status).toBe(412);
    expect(winner.attempt.ifMatch).not.toBe(stale);
    console.info(`30 case-officer actions at once: ${JSON.stringify(tally(outcomes))}; ${ms} ms`);
  });
});

describe('many applications driven in parallel', () => {
  /** Each application's path through the workflow: the actions, who takes them, where it ends. */
  const plans = [
    {
      steps: [
        ['accept', 'clerk', {}],
        ['start_review', 'reviewer', {}],
        ['request_revision', 'reviewer', { items: [{ topic: '噪声', detail: '补充厂界噪声预测' }] }],
      ],
      ends: 'REVISION_REQUIRED',
    },
    {
      steps: [
        ['request_supplement', 'clerk', supplementBody],
        ['resubmit', 'applicant', {}],
        ['accept', 'clerk', {}],
      ],
      ends: 'ACCEPTED',
    },
    { steps: [['decline', 'clerk', declineBody]], ends: 'NOT_ACCEPTED' },
    { steps: [['withdraw', 'applicant', { reason: '项目调整' }]], ends: 'WITHDRAWN' },
  ] as const;

  const count = STRESS ? 100 : 20;

  it(`${count} applications of ${count} applicants, each step raced by 3 duplicates: each ends as its own plan says, with its own events only`, async () => {
    const started = performance.now();
    const applicants = Array.from({ length: count }, (_, i) => applicantNo(i));
    const ids = await Promise.all(applicants.map((a) => submitted(a)));
    expect(new Set(ids).size).toBe(count);
    const clerks = await Promise.all([0, 1, 2].map((k) => stack.token(clerkNo(k))));
    const reviewer = reviewerNo(7);
    const reviewerToken = await stack.token(reviewer);
    const applicantTokens = await Promise.all(applicants.map((a) => stack.token(a)));

    let raced = 0;
    await Promise.all(
      ids.map(async (id, i) => {
        const plan = plans[i % plans.length] as (typeof plans)[number];
        for (const [action, role, given] of plan.steps) {
          // A resubmission names a new file, uploaded first.
          const body =
            action === 'resubmit'
              ? {
                  materials: [
                    await uploadFile(stack, id, applicants[i] as TokenSubject, 'EIA_DOCUMENT', {
                      fileName: 'eia-v2.pdf',
                    }),
                  ],
                }
              : given;
          const token =
            role === 'clerk'
              ? undefined
              : role === 'reviewer'
                ? reviewerToken
                : (applicantTokens[i] as string);
          // Three copies of the step at once (as from three clerks, or a double click): one wins.
          const results = await Promise.all(
            [0, 1, 2].map((k) => act(id, action, token ?? (clerks[k] as string), body)),
          );
          const statuses = results.map((r) => r.status).sort();
          expect(statuses, results.map((r) => r.text).join('\n')).toEqual([200, 409, 409]);
          raced += 1;
        }
      }),
    );

    await Promise.all(
      ids.map(async (id, i) => {
        const plan = plans[i % plans.length] as (typeof plans)[number];
        const app = await application(id);
        expect(app.state).toBe(plan.ends);
        const events = await trail(id);
        expect(events.map((e) => e.action)).toEqual([
          'create',
          'edit',
          'submit',
          ...plan.steps.map(([action]) => action),
        ]);
        expect(app.version).toBe(events.length);
        expectLinear(events, id);
        expect(
          events.filter((e) => e.actor.role === 'applicant').every((e) => e.actor.id === applicants[i]?.sub),
        ).toBe(true);
        expect(await verify(id)).toMatchObject({ ok: true, events: events.length });

        // Each applicant sees exactly its own application.
        const mine = await stack.request<{ items: AppJson[] }>('GET', '/applications', {
          token: applicantTokens[i] as string,
        });
        expect(mine.status).toBe(200);
        expect(mine.json.items.map((a) => a.id)).toEqual([id]);
      }),
    );

    // Every event of the run, by application: none strayed into another application's trail.
    const audit = await stack.request<{ items: AuditEvent[] }>(
      'GET',
      `/audit/events?actor=${reviewer.sub}&limit=100`,
      { as: 'auditor' },
    );
    expect(audit.status, audit.text).toBe(200);
    const reviewed = ids.filter((_, i) => i % plans.length === 0);
    expect(new Set(audit.json.items.map((e) => e.applicationId))).toEqual(new Set(reviewed));
    expect(audit.json.items).toHaveLength(reviewed.length * 2);

    console.info(
      `${count} applications in parallel, ${raced} raced steps (${raced * 3} requests): ${Math.round(performance.now() - started)} ms`,
    );
  });
});
