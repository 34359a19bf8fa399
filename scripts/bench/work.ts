/**
 * A whole approval through the real handlers, in this process: create, submit, accept,
 * start_review, after the comment period on the acceptance notice propose_decision (approve) and,
 * after the proposed decision's notice period, approve. Every
 * POST carries an Idempotency-Key, as the console sends it. Between create and submit the
 * applicant uploads the category's files (POST uploads, then a PUT of small real PDFs to the
 * presigned URL) and PATCHes the materials to name them, as the console does; the work
 * section also runs the documents function on each document an act issued (accept, approve).
 *
 * - work per transition: the meter's count of each step (calls, items, request units);
 * - handler overhead: each step through the handler, then the very DynamoDB calls it made (their
 *   wire bodies, captured) issued directly with a plain DynamoDBClient on a second set of tables,
 *   alternating step by step so that both see the same machine.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as ddb from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createLocalS3Client } from '../../local/s3/store.ts';
import { bytesFor } from '../../local/sample-files.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import type { Material } from '../../shared/domain/types.ts';
import { resetNow, setNow } from '../../shared/runtime/now.ts';
import { type EventInput, lambdaContext } from '../../tests/support/api-events.ts';
import { addWork, emptyWork, type Meter, meter, type Work } from './meter.ts';
import { type BenchStack, user } from './stack.ts';

export interface Step {
  /** The action, or `create`. */
  readonly name: string;
  readonly fn: string;
  /** 0: the day of the request; 1: after the comment period; 2: after the notice period. */
  readonly day: Day;
  readonly input: (id: string) => EventInput;
}

/**
 * The days of each lifecycle, 10:00 in Beijing: a Monday (03-02) for the request up to the review;
 * the day after the acceptance notice's comment period (5 working days, 03-03..03-09) for the
 * proposal; the day after the proposed decision's notice (03-11..03-17) for the approval.
 */
export const DAYS = [
  new Date('2026-03-02T02:00:00Z'),
  new Date('2026-03-10T02:00:00Z'),
  new Date('2026-03-18T02:00:00Z'),
] as const;
export type Day = 0 | 1 | 2;

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
  // The files come after: an upload needs the application's id (attachFiles).
  materials: [],
});

/** The codes an approval uploads a file for: the category's required materials. */
export const FILE_CODES = defaultConfig.required.REPORT_FORM;

type Call = (input: EventInput) => Promise<{ status: number; body: Record<string, unknown> }>;

/** POST /applications/{id}/uploads for one file (a small real PDF about the code). */
export function uploadInput(id: string, code: string): { input: EventInput; bytes: Uint8Array } {
  const fileName = `${code.toLowerCase()}.pdf`;
  const bytes = bytesFor(fileName, `${code} ${id}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    bytes,
    input: {
      method: 'POST',
      route: '/applications/{id}/uploads',
      pathParameters: { id },
      body: { code, fileName, sha256, sizeBytes: bytes.length, contentType: 'application/pdf' },
      user: user('applicant'),
    },
  };
}

/** The bytes to the presigned URL an upload answered, with the headers it must carry. */
export async function putToUrl(upload: Record<string, unknown>, bytes: Uint8Array): Promise<void> {
  const headers = Object.fromEntries(
    Object.entries((upload.headers ?? {}) as Record<string, string>).filter(
      ([name]) => name.toLowerCase() !== 'content-length',
    ),
  );
  const res = await fetch(String(upload.url), { method: 'PUT', headers, body: bytes });
  if (res.status !== 200) throw new Error(`presigned PUT answered ${res.status}: ${await res.text()}`);
}

/**
 * Uploads a file for each of FILE_CODES and PATCHes the materials to name them, through `call`
 * (the handlers in this process, or the local server). `onPut` runs after each PUT.
 */
export async function attachFiles(
  id: string,
  call: Call,
  onPut: () => void = () => undefined,
): Promise<void> {
  const materials: Material[] = [];
  for (const code of FILE_CODES) {
    const { input, bytes } = uploadInput(id, code);
    const { body } = await call(input);
    await putToUrl(body, bytes);
    onPut();
    materials.push(body.material as Material);
  }
  await call({
    method: 'PATCH',
    route: '/applications/{id}',
    pathParameters: { id },
    body: { materials },
    user: user('applicant'),
  });
}

const action = (
  name: string,
  role: 'applicant' | 'clerk' | 'reviewer' | 'approver',
  body: unknown = {},
  day: Day = 0,
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
  action(
    'propose_decision',
    'reviewer',
    {
      proposal: 'approve',
      conditions: ['废水不外排', '噪声昼间≤60dB'],
    },
    1,
  ),
  action('approve', 'approver', {}, 2),
];

/** Runs one approval; `around` wraps each step (to meter or time it), `extra` the files and documents. */
export async function runApproval(
  stack: BenchStack,
  around: (step: Step, run: () => Promise<void>) => Promise<void> = (_s, run) => run(),
  options: {
    /** Wraps the uploads (after create) and each document issued: to meter them. */
    extra?: (name: string, run: () => Promise<void>) => Promise<void>;
    /** Run the documents function on each document an act issued. */
    documents?: boolean;
    /** Counts a PUT to a presigned URL. */
    onPut?: () => void;
  } = {},
): Promise<string> {
  const extra = options.extra ?? ((_n, run) => run());
  let id = '';
  for (const step of APPROVAL) {
    setNow(DAYS[step.day]);
    await around(step, async () => {
      const res = await stack.call(step.fn, step.input(id));
      if (step.name === 'create') id = String(res.body.id);
    });
    if (step.name === 'create')
      await extra(`upload ${FILE_CODES.length} files + PATCH materials`, () =>
        attachFiles(id, (input) => stack.call(fnOf(input), input), options.onPut),
      );
    if (options.documents) {
      for (const doc of await pendingDocuments(stack, id))
        await extra(`document: ${doc.kind} (documents function)`, () =>
          issueDocument(stack, id, doc.documentId),
        );
    }
  }
  resetNow();
  return id;
}

const fnOf = (input: EventInput) =>
  input.route.endsWith('/uploads') ? 'create-upload' : 'update-application';

/** The documents an act issued whose PDF is not made yet (read with the meter off). */
async function pendingDocuments(
  stack: BenchStack,
  id: string,
): Promise<{ documentId: string; kind: string }[]> {
  const was = meter.enabled;
  meter.enabled = false;
  try {
    const { body } = await stack.call('list-documents', {
      method: 'GET',
      route: '/applications/{id}/documents',
      pathParameters: { id },
      user: user('applicant'),
    });
    return (body.items as { documentId: string; kind: string; pending?: boolean }[]).filter((d) => d.pending);
  } finally {
    meter.enabled = was;
  }
}

/** The documents function, invoked as EventBridge invokes it with the act's outbox item. */
async function issueDocument(stack: BenchStack, applicationId: string, documentId: string): Promise<void> {
  const handler = await stack.handler('documents');
  await handler(
    {
      id: randomUUID(),
      'detail-type': 'eia.document.issue',
      source: 'eia.bench',
      detail: { type: 'document', applicationId, documentId, seq: 0, at: new Date().toISOString() },
    },
    lambdaContext,
  );
}

export interface WorkFigures {
  perStep: { name: string; work: Work }[];
  approval: Work;
}

export async function measureWork(stack: BenchStack, meter: Meter): Promise<WorkFigures> {
  const perStep: { name: string; work: Work }[] = [];
  meter.enabled = true;
  const measured = async (name: string, run: () => Promise<void>) => {
    const { work } = await meter.measure(run);
    perStep.push({ name, work });
  };
  await runApproval(stack, (step, run) => measured(step.name, run), {
    extra: measured,
    documents: true,
    onPut: () => meter.recordS3('PUT (presigned)'),
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

/**
 * The captured calls issued again by plain clients: DynamoDB's on the direct tables, S3's (the
 * submission checks' HeadObject and ranged GetObject: reads) on the same objects.
 */
function directCalls(
  calls: { op: string; body: string }[],
  stack: BenchStack,
  raw: ddb.DynamoDBClient,
  rawS3: S3Client,
): (() => Promise<unknown>)[] {
  return calls.map(({ op, body }) => {
    if (op.startsWith('S3:')) {
      const input = JSON.parse(body) as never;
      if (op === 'S3:HeadObject') return () => rawS3.send(new HeadObjectCommand(input));
      if (op === 'S3:GetObject')
        return async () => (await rawS3.send(new GetObjectCommand(input))).Body?.transformToByteArray();
      throw new Error(`bench: ${op} is not issued again directly`);
    }
    const text = body
      .replaceAll(JSON.stringify(stack.tables.main), JSON.stringify(stack.direct.main))
      .replaceAll(JSON.stringify(stack.tables.idempotency), JSON.stringify(stack.direct.idempotency));
    const input = JSON.parse(text) as Record<string, unknown>;
    // The SDK makes a new token per transaction; the handler's would be a different request here.
    delete input.ClientRequestToken;
    const Command = (ddb as unknown as Record<string, Ctor>)[`${op}Command`];
    if (!Command) throw new Error(`bench: no ${op}Command`);
    const command = new Command(input);
    return () => raw.send(command);
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
  const rawS3 = createLocalS3Client(stack.s3Endpoint);
  // The document number counters as the work section left them: an act's counter Put holds on
  // the value it read, on the direct tables as on the handler's.
  const counters = await raw.send(
    new ddb.QueryCommand({
      TableName: stack.tables.main,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'COUNTER' } },
      ConsistentRead: true,
    }),
  );
  for (const item of counters.Items ?? [])
    await raw.send(new ddb.PutItemCommand({ TableName: stack.direct.main, Item: item }));
  const sums = new Map<string, { handlerMs: number; directMs: number }>(
    APPROVAL.map((s) => [s.name, { handlerMs: 0, directMs: 0 }]),
  );
  try {
    for (let n = 0; n < options.warmup + options.approvals; n++) {
      const counted = n >= options.warmup;
      await runApproval(
        stack,
        async (step, run) => {
          meter.capture = [];
          const t0 = performance.now();
          await run();
          const handlerMs = performance.now() - t0;
          const calls = meter.capture;
          meter.capture = undefined;
          const direct = directCalls(calls, stack, raw, rawS3);
          const t1 = performance.now();
          for (const send of direct) await send();
          const directMs = performance.now() - t1;
          const sum = sums.get(step.name);
          if (counted && sum) {
            sum.handlerMs += handlerMs;
            sum.directMs += directMs;
          }
        },
        {
          // The uploads are no transition: issued again on the direct tables too (the submission's
          // conditions read their records there), untimed.
          extra: async (_name, run) => {
            meter.capture = [];
            await run();
            const calls = meter.capture;
            meter.capture = undefined;
            for (const send of directCalls(calls, stack, raw, rawS3)) await send();
          },
        },
      );
    }
  } finally {
    meter.capture = undefined;
    raw.destroy();
    rawS3.destroy();
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
