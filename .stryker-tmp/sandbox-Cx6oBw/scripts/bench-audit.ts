/**
 * Measures the audit trail over HTTP, against DynamoDB Local (started here unless
 * DYNAMODB_ENDPOINT is set):
 *   1. the read cost of fixed-size audit queries at 20 and at 200 events in the table;
 *   2. the time of GET /audit/applications/{id}/verify for trails of 100 and 1,000 events.
 *
 *   npx tsx scripts/bench-audit.ts
 *
 * Events are made by the domain (create, edits, submit, accept, …) and written by the store's own
 * commit, one transaction each, exactly as the handlers write them.
 */
// @ts-nocheck

import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_USERS } from '../local/demo.ts';
import { createLocalClient, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb.ts';
import { createLocalServer } from '../local/server.ts';
import { ensureTables } from '../local/tables.ts';
import { createLocalIssuer } from '../local/tokens.ts';
import { chain, GENESIS } from '../shared/domain/audit-chain.ts';
import { defaultConfig } from '../shared/domain/config.ts';
import { createApplication, decide, editApplication, type Step } from '../shared/domain/decide.ts';
import type { Application, Caller, Role } from '../shared/domain/types.ts';
import { usccCheckChar } from '../shared/domain/uscc.ts';
import { applicationStore } from '../shared/store/application-store.ts';
import { idempotencyTable, mainTable, tableName } from '../shared/store/table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const callerOf = (role: Role, sub = DEMO_USERS[role].sub): Caller => {
  const { name, orgCode } = DEMO_USERS[role];
  return { id: sub, name, roles: [role], ...(orgCode ? { orgCode } : {}) };
};
const applicant = callerOf('applicant');
const clerk = callerOf('clerk');
const reviewer = callerOf('reviewer');
const otherOrg = `91430281MA4L9YY9X${usccCheckChar('91430281MA4L9YY9X')}`;
const otherApplicant: Caller = {
  id: 'other-applicant',
  name: '别家公司',
  roles: ['applicant'],
  orgCode: otherOrg,
};

const materials = defaultConfig.required.REPORT_FORM.map((code) => ({
  code,
  fileName: `${code.toLowerCase()}.pdf`,
  sha256: 'a'.repeat(64),
  sizeBytes: 1234,
}));
const body = (orgCode: string) => ({
  category: 'REPORT_FORM',
  project: {
    name: '醴陵市陶瓷产业园废水处理站',
    location: '醴陵市经济开发区',
    industry: '污水处理',
    investmentCny: 12_000_000,
  },
  applicant: { orgName: '醴陵市某陶瓷有限公司', orgCode, contactName: '刘建国', contactPhone: '13873300000' },
  materials,
});

async function main(): Promise<void> {
  const own = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? own?.endpoint ?? '';
  const prefix = `bench-${randomBytes(3).toString('hex')}-`;
  const client = createLocalClient(endpoint);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTables(client, prefix);
  Object.assign(process.env, {
    TABLE_NAME: tableName(mainTable, prefix),
    IDEMPOTENCY_TABLE_NAME: tableName(idempotencyTable, prefix),
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  });
  const issuer = await createLocalIssuer({
    issuer: 'urn:eia-approval:bench',
    audience: 'eia-approval-bench',
  });
  const server = await createLocalServer({ port: 0, issuer, quiet: true });
  const token = await issuer.issue({ sub: 'bench-auditor', name: '审计', groups: ['auditor'] });
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return { headers: res.headers, json: JSON.parse(text) as Record<string, unknown> };
  };
  const store = applicationStore(doc, {
    table: tableName(mainTable, prefix),
    idempotencyTable: tableName(idempotencyTable, prefix),
  });
  let written = 0;

  /** Runs `steps` on a new application, committing each step as the handlers do. */
  async function application(owner: Caller, at: Date, steps: ((app: Application, now: Date) => Step)[]) {
    let now = at;
    const tick = () => {
      now = new Date(now.getTime() + 60_000);
      return { now, requestId: randomUUID() };
    };
    const first = createApplication(body(owner.orgCode ?? ''), owner, { ...tick(), id: randomUUID() });
    let event = chain(first.event, GENESIS);
    await store.commit({ app: first.app, event });
    let app = first.app;
    for (const next of steps) {
      const step = next(app, tick().now);
      event = chain(step.event, event.hash);
      await store.commit({ app: step.app, event, ...(step.notice ? { notice: step.notice } : {}) });
      app = step.app;
    }
    written += steps.length + 1;
    return app.id;
  }
  const opts = (now: Date) => ({ now, requestId: randomUUID() });
  const edit = (app: Application, now: Date) =>
    editApplication(app, { project: { description: `修改 ${app.version}` } }, applicant, opts(now));
  const submit = (owner: Caller) => (app: Application, now: Date) =>
    decide(app, 'submit', owner, {}, opts(now));
  const accept = (app: Application, now: Date) => decide(app, 'accept', clerk, {}, opts(now));
  const review = (app: Application, now: Date) => decide(app, 'start_review', reviewer, {}, opts(now));

  try {
    // 1. Read cost at 20 and 200 events.
    const day = (d: number) => new Date(Date.UTC(2026, 2, 9 + d, 2));
    const apps: string[] = [];
    for (let i = 0; i < 4; i++)
      apps.push(await application(applicant, day(i % 2), [edit, submit(applicant), accept, review]));
    const queries: Record<string, string>[] = [
      { applicationId: apps[0] ?? '' },
      { actor: clerk.id },
      { action: 'accept' },
      { from: '2026-03-10', to: '2026-03-10' },
      { actor: applicant.id, action: 'submit', from: '2026-03-09' },
    ];
    const measure = async () => {
      const rows: string[] = [];
      for (const q of queries) {
        const res = await get(`/audit/events?${new URLSearchParams({ ...q, limit: '200' })}`);
        const items = (res.json.items as unknown[]).length;
        rows.push(
          `  ${JSON.stringify(q)
            .replace(apps[0] ?? '', 'A1')
            .padEnd(
              78,
            )} answer ${String(items).padStart(2)}  items read ${String(res.headers.get('x-items-read')).padStart(2)}  RCU ${res.headers.get('x-read-units')}`,
        );
      }
      return rows;
    };
    console.log(`Audit query read cost with ${written} events in the table:`);
    for (const row of await measure()) console.log(row);
    for (let i = 0; i < 90; i++) await application(otherApplicant, day(4), [submit(otherApplicant)]);
    console.log(`… and with ${written} events in the table:`);
    for (const row of await measure()) console.log(row);

    // 2. Verify time.
    for (const size of [100, 1000]) {
      const steps = Array.from({ length: size - 1 }, () => edit);
      const started = performance.now();
      const id = await application(applicant, day(5), steps);
      const seeded = performance.now() - started;
      const times: number[] = [];
      let verdict: Record<string, unknown> = {};
      for (let run = 0; run < 5; run++) {
        const t0 = performance.now();
        verdict = (await get(`/audit/applications/${id}/verify`)).json;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(
        `verify, ${size} events (ok=${verdict.ok}, events=${verdict.events}; written in ${(seeded / 1000).toFixed(1)} s): ` +
          `min ${times[0]?.toFixed(0)} ms, median ${times[2]?.toFixed(0)} ms, max ${times[4]?.toFixed(0)} ms over 5 runs`,
      );
    }
  } finally {
    await server.close();
    client.destroy();
    await own?.stop();
  }
}

await main();
