/**
 * A whole approval through the real handlers, in this process: create, submit, accept,
 * start_review, propose_decision (approve) and, after the public notice period, approve. Every
 * POST carries an Idempotency-Key, as the console sends it.
 *
 * - work per transition: the meter's count of each step (calls, items, request units);
 * - handler overhead: each step through the handler, then the very DynamoDB calls it made (their
 *   wire bodies, captured) issued directly with a plain DynamoDBClient on a second set of tables,
 *   alternating step by step so that both see the same machine.
 */
// @ts-nocheck

import { randomUUID } from 'node:crypto';
import * as ddb from '@aws-sdk/client-dynamodb';
import { defaultConfig } from '../../shared/domain/config.ts';
import { resetNow, setNow } from '../../shared/runtime/now.ts';
import type { EventInput } from '../../tests/support/api-events.ts';
import { addWork, emptyWork, type Meter, type Work } from './meter.ts';
import { type BenchStack, user } from './stack.ts';

export interface Step {
  /** The action, or `create`. */
  readonly name: string;
  readonly fn: string;
  /** 0: the day of the request; 1: after the public notice period. */
  readonly day: 0 | 1;
  readonly input: (id: string) => EventInput;
}

/** The first day of each lifecycle: a Monday, 10:00 in Beijing; and a day after the notice ends. */
export const DAYS = [new Date('2026-03-02T02:00:00Z'), new Date('2026-03-16T02:00:00Z')] as const;

export const createBody = () => ({
  category: 'REPORT_FORM',
  project: {
    name: '醴陵市陶瓷产业园废水处理站',
    location: '醴陵市经济开发区',
    industry: '污水处理',
    investmentCny: 12_000_000,
  },
  applicant: {
    orgName: '醴陵市铁河口纸业有限公司',
    orgCode: user('applicant').orgCode ?? '',
    contactName: '刘建国',
    contactPhone: '13873300000',
  },
  materials: defaultConfig.required.REPORT_FORM.map((code) => ({
    code,
    fileName: `${code.toLowerCase()}.pdf`,
    sha256: 'a'.repeat(64),
    sizeBytes: 123_456,
  })),
});

const action = (
  name: string,
  role: 'applicant' | 'clerk' | 'reviewer' | 'approver',
  body: unknown = {},
  day: 0 | 1 = 0,
): Step => ({
  name,
  fn: 'take-action',
  day,
  input: (id) => ({
    method: 'POST',
    route: '/applications/{id}/actions/{action}',
    pathParameters: { id, action: name },
    body,
    headers: { 'Idempotency-Key': randomUUID() },
    user: user(role),
  }),
});

export const APPROVAL: readonly Step[] = [
  {
    name: 'create',
    fn: 'create-application',
    day: 0,
    input: () => ({
      method: 'POST',
      route: '/applications',
      body: createBody(),
      headers: { 'Idempotency-Key': randomUUID() },
      user: user('applicant'),
    }),
  },
  action('submit', 'applicant'),
  action('accept', 'clerk'),
  action('start_review', 'reviewer'),
  action('propose_decision', 'reviewer', {
    proposal: 'approve',
    conditions: ['废水不外排', '噪声昼间≤60dB'],
  }),
  action('approve', 'approver', {}, 1),
];

/** Runs one approval; `around` wraps each step (to meter or time it). */
export async function runApproval(
  stack: BenchStack,
  around: (step: Step, run: () => Promise<void>) => Promise<void> = (_s, run) => run(),
): Promise<string> {
  let id = '';
  for (const step of APPROVAL) {
    setNow(DAYS[step.day]);
    await around(step, async () => {
      const res = await stack.call(step.fn, step.input(id));
      if (step.name === 'create') id = String(res.body.id);
    });
  }
  resetNow();
  return id;
}

export interface WorkFigures {
  perStep: { name: string; work: Work }[];
  approval: Work;
}

export async function measureWork(stack: BenchStack, meter: Meter): Promise<WorkFigures> {
  const perStep: { name: string; work: Work }[] = [];
  meter.enabled = true;
  await runApproval(stack, async (step, run) => {
    const { work } = await meter.measure(run);
    perStep.push({ name: step.name, work });
  });
  meter.enabled = false;
  const approval = perStep.reduce((sum, s) => addWork(sum, s.work), emptyWork());
  return { perStep, approval };
}

export interface OverheadFigures {
  transitions: number;
  handlerMs: number;
  directMs: number;
  ratio: number;
  perStep: { name: string; handlerMs: number; directMs: number; ratio: number }[];
}

type Ctor = new (input: unknown) => ddb.DynamoDBClient extends { send(c: infer C): unknown } ? C : never;

/** The captured wire calls as plain client commands on the direct tables. */
function directCommands(calls: { op: string; body: string }[], stack: BenchStack) {
  return calls.map(({ op, body }) => {
    const text = body
      .replaceAll(JSON.stringify(stack.tables.main), JSON.stringify(stack.direct.main))
      .replaceAll(JSON.stringify(stack.tables.idempotency), JSON.stringify(stack.direct.idempotency));
    const input = JSON.parse(text) as Record<string, unknown>;
    // The SDK makes a new token per transaction; the handler's would be a different request here.
    delete input.ClientRequestToken;
    const Command = (ddb as unknown as Record<string, Ctor>)[`${op}Command`];
    if (!Command) throw new Error(`bench: no ${op}Command`);
    return new Command(input);
  });
}

export async function measureOverhead(
  stack: BenchStack,
  meter: Meter,
  options: { approvals: number; warmup: number },
): Promise<OverheadFigures> {
  meter.enabled = false;
  const raw = new ddb.DynamoDBClient({
    endpoint: stack.endpoint,
    region: process.env.AWS_REGION ?? 'cn-north-1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  });
  const sums = new Map<string, { handlerMs: number; directMs: number }>(
    APPROVAL.map((s) => [s.name, { handlerMs: 0, directMs: 0 }]),
  );
  try {
    for (let n = 0; n < options.warmup + options.approvals; n++) {
      const counted = n >= options.warmup;
      await runApproval(stack, async (step, run) => {
        meter.capture = [];
        const t0 = performance.now();
        await run();
        const handlerMs = performance.now() - t0;
        const calls = meter.capture;
        meter.capture = undefined;
        const commands = directCommands(calls, stack);
        const t1 = performance.now();
        for (const command of commands) await raw.send(command);
        const directMs = performance.now() - t1;
        const sum = sums.get(step.name);
        if (counted && sum) {
          sum.handlerMs += handlerMs;
          sum.directMs += directMs;
        }
      });
    }
  } finally {
    meter.capture = undefined;
    raw.destroy();
  }
  const perStep = [...sums].map(([name, s]) => ({ name, ...s, ratio: s.handlerMs / s.directMs }));
  const handlerMs = perStep.reduce((a, s) => a + s.handlerMs, 0);
  const directMs = perStep.reduce((a, s) => a + s.directMs, 0);
  return {
    transitions: options.approvals * APPROVAL.length,
    handlerMs,
    directMs,
    ratio: handlerMs / directMs,
    perStep,
  };
}
