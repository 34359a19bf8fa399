/**
 * Throughput: whole approvals per second through the local server (HTTP, JWT check, the real
 * handlers) with 1, 8 and 32 concurrent clients, next to the raw write rate of DynamoDB Local
 * measured right before at the same concurrency: the create's own TransactWriteItems (three
 * conditional puts), issued again with fresh keys by a plain client, as fast as it takes them.
 *
 * An approval includes its files: after create, the applicant's six uploads (POST uploads, the
 * PUT of a small PDF to the presigned URL) and the PATCH naming them, as the console sends them.
 *
 * The clock: every client runs create … start_review on day 0; then the clock moves past the
 * comment period on the acceptance notice and every client proposes, then past the proposed
 * decision's notice period and every client approves (all inside the measured time).
 */
import { randomUUID } from 'node:crypto';
import * as ddb from '@aws-sdk/client-dynamodb';
import { createLocalServer } from '../../local/server.ts';
import { createLocalIssuer, type LocalRole } from '../../local/tokens.ts';
import { resetNow, setNow } from '../../shared/runtime/now.ts';
import type { EventInput } from '../../tests/support/api-events.ts';
import type { Meter } from './meter.ts';
import { type BenchStack, subjectOf, user } from './stack.ts';
import { APPROVAL, attachFiles, DAYS, type Day } from './work.ts';

export interface ThroughputRow {
  clients: number;
  approvals: number;
  seconds: number;
  approvalsPerSecond: number;
  transitionsPerSecond: number;
  /** Raw TransactWriteItems per second at the same concurrency. */
  rawWritesPerSecond: number;
  /** Transactions the service commits per second over what DynamoDB Local takes raw. */
  ofRaw: number;
  /** Requests answered 503 (a numbered act that lost its number too often) and sent again. */
  retried: number;
}

/** The create's TransactWriteItems as a template with fresh keys each time. */
async function writeTemplate(stack: BenchStack, meter: Meter): Promise<() => ddb.TransactWriteItemsCommand> {
  meter.capture = [];
  setNow(DAYS[0]);
  try {
    const step = APPROVAL[0];
    if (!step) throw new Error('bench: no create step');
    const input = step.input('');
    await stack.call(step.fn, input);
  } finally {
    resetNow();
  }
  const calls = meter.capture;
  meter.capture = undefined;
  const write = calls.find((c) => c.op === 'TransactWriteItems');
  if (!write) throw new Error('bench: the create made no TransactWriteItems');
  const parsed = JSON.parse(write.body) as { TransactItems: { Put: { Item: { pk?: { S?: string } } } }[] };
  const appPk = parsed.TransactItems[0]?.Put.Item.pk?.S ?? '';
  const id = appPk.slice(appPk.indexOf('#') + 1);
  const idemPk = parsed.TransactItems.at(-1)?.Put.Item.pk?.S ?? '';
  const key = idemPk.slice(idemPk.lastIndexOf('#') + 1);
  if (!id || !key) throw new Error('bench: could not find the keys of the create transaction');
  return () => {
    const text = write.body.replaceAll(id, randomUUID()).replaceAll(key, randomUUID());
    const input = JSON.parse(text) as ddb.TransactWriteItemsCommandInput;
    delete input.ClientRequestToken;
    return new ddb.TransactWriteItemsCommand(input);
  };
}

async function pool(workers: number, tasks: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < tasks; i = next++) await task(i);
    }),
  );
}

export async function measureThroughput(
  stack: BenchStack,
  meter: Meter,
  options: { clients: number[]; approvalsPerClient: (clients: number) => number; log: (s: string) => void },
): Promise<ThroughputRow[]> {
  meter.enabled = false;
  const issuer = await createLocalIssuer({
    issuer: 'urn:eia-approval:bench',
    audience: 'eia-approval-bench',
  });
  const server = await createLocalServer({ port: 0, issuer, quiet: true });
  const base = `http://127.0.0.1:${server.port}`;
  const tokens = new Map<string, string>();
  for (const role of ['applicant', 'clerk', 'reviewer', 'approver'] as LocalRole[])
    tokens.set(role, await issuer.issue(subjectOf(role)));
  const raw = new ddb.DynamoDBClient({
    endpoint: stack.endpoint,
    region: process.env.AWS_REGION ?? 'cn-north-1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  });

  let retries = 0;
  const request = async (input: EventInput): Promise<{ status: number; body: Record<string, unknown> }> => {
    const path = input.route.replace(/\{(\w+)\}/g, (_, name: string) => input.pathParameters?.[name] ?? '');
    const role = Object.entries({ applicant: 1, clerk: 1, reviewer: 1, approver: 1 }).find(
      ([r]) => user(r as LocalRole).sub === input.user?.sub,
    )?.[0];
    const attempt = () =>
      fetch(`${base}${path}`, {
        method: input.method,
        headers: {
          authorization: `Bearer ${tokens.get(role ?? '') ?? ''}`,
          'content-type': 'application/json',
          ...input.headers,
        },
        body: JSON.stringify(input.body ?? {}),
      });
    let res = await attempt();
    // A numbered act that lost its number to others too often answers 503 with Retry-After and
    // writes nothing: a client (the console) sends it again after that wait, so does the bench.
    for (let n = 0; res.status === 503 && n < 20; n++) {
      retries += 1;
      await res.text();
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      res = await attempt();
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${input.method} ${path}: ${res.status} ${text}`);
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  };

  const send = async (stepIndex: number, id: string): Promise<string> => {
    const step = APPROVAL[stepIndex];
    if (!step) throw new Error(`bench: no step ${stepIndex}`);
    const { body } = await request(step.input(id));
    if (step.name !== 'create') return id;
    // The files, as the console uploads them, before the submission.
    const created = String(body.id);
    await attachFiles(created, request);
    return created;
  };

  // The indexes of the steps of each day, in order: every client's applications go through a day's
  // steps before the clock moves on to the next day.
  const phases = DAYS.map((_, day) => APPROVAL.flatMap((step, i) => (step.day === day ? [i] : [])));

  const rows: ThroughputRow[] = [];
  try {
    const fresh = await writeTemplate(stack, meter);
    // Warm: every handler module imported and its client connected before the first timer.
    let warm = '';
    for (const [day, steps] of phases.entries()) {
      setNow(DAYS[day as Day]);
      for (const s of steps) warm = await send(s, warm);
    }

    for (const clients of options.clients) {
      const approvals = clients * options.approvalsPerClient(clients);
      const transactions = approvals * APPROVAL.length;
      const r0 = performance.now();
      await pool(clients, transactions, async () => {
        await raw.send(fresh());
      });
      const rawWritesPerSecond = transactions / ((performance.now() - r0) / 1000);

      retries = 0;
      const ids: string[] = new Array(approvals).fill('');
      const t0 = performance.now();
      for (const [day, steps] of phases.entries()) {
        setNow(DAYS[day as Day]);
        await pool(clients, approvals, async (i) => {
          let id = ids[i] ?? '';
          for (const s of steps) id = await send(s, id);
          ids[i] = id;
        });
      }
      const seconds = (performance.now() - t0) / 1000;
      const row: ThroughputRow = {
        clients,
        approvals,
        seconds,
        approvalsPerSecond: approvals / seconds,
        transitionsPerSecond: transactions / seconds,
        rawWritesPerSecond,
        ofRaw: transactions / seconds / rawWritesPerSecond,
        retried: retries,
      };
      options.log(
        `  ${clients} clients: ${row.approvalsPerSecond.toFixed(2)} approvals/s, raw ${rawWritesPerSecond.toFixed(0)} transactions/s`,
      );
      rows.push(row);
    }
  } finally {
    resetNow();
    raw.destroy();
    await server.close();
  }
  return rows;
}
