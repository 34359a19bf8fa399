/**
 * Items a sweep reads with few and with many open applications: `npx tsx scripts/bench-sweep.ts`.
 * Starts its own DynamoDB Local (in memory) and stops it. The open applications are accepted and
 * not yet due; five more are due for deemed acceptance. A sweep should read the five, whatever the
 * number of the others.
 */
// @ts-nocheck

import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runSweep } from '../functions/sweeper/run.ts';
import { createLocalClient, startDynamoDbLocal } from '../local/dynamodb.ts';
import { ensureTables } from '../local/tables.ts';
import { GENESIS } from '../shared/domain/audit-chain.ts';
import { defaultConfig } from '../shared/domain/config.ts';
import { createApplication, decide } from '../shared/domain/decide.ts';
import type { Application, Caller } from '../shared/domain/types.ts';
import { usccCheckChar } from '../shared/domain/uscc.ts';
import { applicationStore } from '../shared/store/application-store.ts';
import { appIndexKeys, appKey } from '../shared/store/keys.ts';
import { idempotencyTable, mainTable, tableName } from '../shared/store/table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const orgCode = `91430281MA4L00011${usccCheckChar('91430281MA4L00011')}`;
const owner: Caller = { id: 'bench-applicant', name: '刘建国', roles: ['applicant'], orgCode };
const clerk: Caller = { id: 'bench-clerk', name: '王芳', roles: ['clerk'] };
const body = {
  category: 'REPORT_FORM',
  project: { name: '基准测试项目', location: '醴陵市', industry: '陶瓷', investmentCny: 1 },
  applicant: { orgName: '醴陵市某公司', orgCode, contactName: '刘建国', contactPhone: '13800000000' },
  materials: defaultConfig.required.REPORT_FORM.map((code) => ({
    code,
    fileName: 'f.pdf',
    sha256: 'a'.repeat(64),
    sizeBytes: 1,
  })),
};

function build(state: 'SUBMITTED' | 'ACCEPTED', on: Date): Application {
  const opts = { now: on, requestId: 'bench' };
  let app = createApplication(body, owner, { ...opts, id: randomUUID() }).app;
  app = decide(app, 'submit', owner, {}, opts).app;
  return state === 'ACCEPTED' ? decide(app, 'accept', clerk, {}, opts).app : app;
}

async function fill(doc: DynamoDBDocumentClient, table: string, template: Application, count: number) {
  for (let i = 0; i < count; i += 25) {
    const items = Array.from({ length: Math.min(25, count - i) }, () => {
      const app = { ...template, id: randomUUID() };
      return { PutRequest: { Item: { ...app, ...appKey(app.id), ...appIndexKeys(app), headHash: GENESIS } } };
    });
    await doc.send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
  }
}

const now = new Date('2026-11-27T02:00:00Z');
const dynamo = await startDynamoDbLocal();
try {
  const client = createLocalClient(dynamo.endpoint);
  const doc = DynamoDBDocumentClient.from(client);
  const rows: string[] = [];
  for (const open of [10, 10_000]) {
    const prefix = `bench-${open}-`;
    await ensureTables(client, prefix);
    const table = tableName(mainTable, prefix);
    await fill(doc, table, build('ACCEPTED', now), open);
    await fill(doc, table, build('SUBMITTED', new Date('2026-11-13T02:00:00Z')), 5);
    const store = applicationStore(doc, { table, idempotencyTable: tableName(idempotencyTable, prefix) });
    const report = await runSweep(store, now);
    rows.push(`${open} open + 5 due: read ${report.read}, steps ${JSON.stringify(report.steps)}`);
  }
  console.log(rows.join('\n'));
  client.destroy();
} finally {
  await dynamo.stop();
}
