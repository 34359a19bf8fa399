/**
 * What the bench runs against: DynamoDB Local (started here, in memory, unless DYNAMODB_ENDPOINT
 * is set), the local S3 store with a documents bucket (started here, files in a temporary folder),
 * the tables under a fresh prefix for the handlers and a second set for the same calls
 * issued directly, the environment the handler modules read at their cold start, and the real
 * handler modules, imported in this process once that environment is set.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DEMO_USERS } from '../../local/demo.ts';
import {
  createLocalClient,
  type DynamoDbLocal,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
} from '../../local/dynamodb.ts';
import { type LocalS3, startLocalS3 } from '../../local/s3/store.ts';
import { ensureTables } from '../../local/tables.ts';
import type { LocalRole, TokenSubject } from '../../local/tokens.ts';
import { idempotencyTable, mainTable, tableName } from '../../shared/store/table.ts';
import { apiEvent, type EventInput, lambdaContext, type User } from '../../tests/support/api-events.ts';

export type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface Tables {
  readonly main: string;
  readonly idempotency: string;
}

export interface BenchStack {
  readonly endpoint: string;
  /** The local S3 store (S3_ENDPOINT) and its documents bucket (DOCUMENTS_BUCKET). */
  readonly s3Endpoint: string;
  readonly bucket: string;
  /** A plain DynamoDB client of our own: the direct calls, seeding. */
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  /** The handlers' tables. */
  readonly tables: Tables;
  /** The tables the handlers' calls are issued again on, directly. */
  readonly direct: Tables;
  handler(fn: string): Promise<AnyHandler>;
  /** Calls a handler as Lambda would; throws unless it answers 2xx. */
  call(fn: string, input: EventInput): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** The demo user of a role, as the local issuer takes it. */
export const subjectOf = (role: LocalRole): TokenSubject => {
  const { label: _label, ...subject } = DEMO_USERS[role];
  return subject;
};

export const user = (role: LocalRole): User => {
  const { label: _label, ...subject } = DEMO_USERS[role];
  return subject;
};

export async function startBenchStack(): Promise<BenchStack> {
  const own: DynamoDbLocal | undefined = process.env.DYNAMODB_ENDPOINT
    ? undefined
    : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? own?.endpoint ?? '';
  const run = randomBytes(3).toString('hex');
  const prefix = `bench-${run}-`;
  const directPrefix = `bench-${run}-direct-`;
  const client = createLocalClient(endpoint);
  const bucket = `bench-${run}-documents`;
  let s3: LocalS3 | undefined;
  try {
    s3 = await startLocalS3();
    await s3.ensureBucket(bucket);
    await ensureTables(client, prefix);
    await ensureTables(client, directPrefix);
  } catch (error) {
    client.destroy();
    await s3?.stop();
    await own?.stop();
    throw error;
  }
  const s3Endpoint = s3.endpoint;
  const tables = { main: tableName(mainTable, prefix), idempotency: tableName(idempotencyTable, prefix) };
  const direct = {
    main: tableName(mainTable, directPrefix),
    idempotency: tableName(idempotencyTable, directPrefix),
  };
  Object.assign(process.env, {
    TABLE_NAME: tables.main,
    IDEMPOTENCY_TABLE_NAME: tables.idempotency,
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    DYNAMODB_ENDPOINT: endpoint,
    S3_ENDPOINT: s3Endpoint,
    DOCUMENTS_BUCKET: bucket,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  const loaded = new Map<string, Promise<AnyHandler>>();
  const handler = (fn: string) => {
    let h = loaded.get(fn);
    if (!h) {
      h = import(`../../functions/${fn}/handler.ts`).then((m: { handler: AnyHandler }) => m.handler);
      loaded.set(fn, h);
    }
    return h;
  };
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    s3Endpoint,
    bucket,
    client,
    doc,
    tables,
    direct,
    handler,
    async call(fn, input) {
      const h = await handler(fn);
      const res = (await h(apiEvent(input), lambdaContext)) as Exclude<APIGatewayProxyResultV2, string>;
      const status = res.statusCode ?? 0;
      const body = res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
      if (status < 200 || status > 299)
        throw new Error(`${fn} ${input.method} ${input.route} answered ${status}: ${res.body}`);
      return { status, body };
    },
    async stop() {
      client.destroy();
      await s3?.stop();
      await own?.stop();
    },
  };
}
