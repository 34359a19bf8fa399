import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { DEMO_USERS } from '../../../local/demo.ts';
import {
  createLocalClient,
  type DynamoDbLocal,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
} from '../../../local/dynamodb.ts';
import {
  createLocalS3Client,
  ensureBucket,
  type LocalS3,
  removeBucket,
  startLocalS3,
} from '../../../local/s3/store.ts';
import { createLocalServer, type LocalServer } from '../../../local/server.ts';
import { ensureTables } from '../../../local/tables.ts';
import {
  createLocalIssuer,
  type LocalIssuer,
  type LocalIssuerOptions,
  type LocalProfile,
  type LocalRole,
  type TokenSubject,
  useProfileClaimNames,
} from '../../../local/tokens.ts';
import { resetNow } from '../../../shared/runtime/now.ts';
import { idempotencyTable, mainTable, tableName, tables } from '../../../shared/store/table.ts';

/**
 * The whole local service for an integration test: DynamoDB Local and the local S3 store (the run's
 * shared ones when tests/integration/global-setup.ts is configured, else its own), the tables under
 * a fresh prefix, a documents bucket of its own, and the local server with the real handlers on a
 * free port.
 *
 *   let stack: LocalStack;
 *   beforeAll(async () => { stack = await startLocalStack(); });
 *   afterAll(async () => { await stack?.stop(); });
 *   const res = await stack.request('GET', '/applications', { as: 'clerk' });
 *
 * One stack at a time per test file: the handler modules read their environment once (as on a
 * Lambda cold start), so a later stack in the same file reuses the first one's prefix and port.
 */

/** A role (its demo user) or a subject of your own. */
export type Who = LocalRole | TokenSubject;

/** Users per role, as in `npm start -- --demo`; the applicant has an organisation code. */
export const users: Readonly<Record<LocalRole, TokenSubject>> = Object.fromEntries(
  Object.entries(DEMO_USERS).map(([role, { label: _label, ...subject }]) => [role, subject]),
) as Record<LocalRole, TokenSubject>;

export interface RequestOptions {
  readonly token?: string;
  /** Shorthand for `token: await stack.token(as)`. */
  readonly as?: Who;
  /** A string is sent as it is; anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** 'manual': a 303 to a file is answered as it is (its Location), not followed. Default 'follow'. */
  readonly redirect?: 'follow' | 'manual';
}

export interface StackResponse<T = unknown> {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  /** The parsed body; undefined when it is empty or not JSON. */
  readonly json: T;
  readonly text: string;
}

export interface LocalStack {
  readonly baseUrl: string;
  readonly dynamodbEndpoint: string;
  readonly prefix: string;
  readonly tables: { readonly main: string; readonly idempotency: string };
  /** The local S3 store (its verifying layer) and this stack's documents bucket in it. */
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly issuer: LocalIssuer;
  token(who: Who): Promise<string>;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<StackResponse<T>>;
  /** Moves the handlers' clock (POST /local/clock); null: back to real time. */
  setNow(at: string | Date | null): Promise<void>;
  /**
   * Stops the server, and DynamoDB Local and the S3 store if it started them (or drops its tables
   * and its bucket from the shared ones).
   */
  stop(): Promise<void>;
}

const ENV_KEYS = [
  'TABLE_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'CURSOR_SECRET',
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'DOCUMENTS_BUCKET',
  'S3_ENDPOINT',
  'ROLES_CLAIM',
  'ORG_CLAIM',
  'NAME_CLAIM',
] as const;

/** What this file's handler modules were configured with (module state is per test file). */
let configured:
  | {
      prefix: string;
      endpoint: string;
      ownPort?: number;
      cursorSecret: string;
      bucket: string;
      ownS3Port?: number;
    }
  | undefined;
let running = false;

export async function startLocalStack(
  /** profile: the local issuer's (local/tokens.ts); `china` sets its claim names in the environment. */
  options: {
    prefix?: string;
    quiet?: boolean;
    profile?: LocalProfile;
    /** The issuer's ES256 keys, for a test that signs tokens of its own; default a new pair. */
    keyPair?: LocalIssuerOptions['keyPair'];
  } = {},
): Promise<LocalStack> {
  if (running)
    throw new Error('startLocalStack: stop the running stack first (one per test file at a time).');
  if (configured && options.prefix !== undefined && options.prefix !== configured.prefix) {
    throw new Error(
      `startLocalStack: this file's handlers already use prefix "${configured.prefix}"; ` +
        'a later stack in the same file cannot use another one.',
    );
  }
  running = true;
  const shared: string | undefined = inject('dynamodbEndpoint');
  const sharedS3: string | undefined = inject('s3Endpoint');
  const prefix = configured?.prefix ?? options.prefix ?? `it-${randomBytes(4).toString('hex')}-`;
  const bucket = configured?.bucket ?? bucketFor(prefix);
  let dynamo: DynamoDbLocal | undefined;
  let s3: LocalS3 | undefined;
  let server: LocalServer | undefined;
  const savedEnv = new Map(ENV_KEYS.map((key) => [key, process.env[key]]));
  const storage = { s3Endpoint: sharedS3, bucket };
  try {
    if (!shared)
      dynamo = await startDynamoDbLocal(
        configured?.ownPort === undefined ? {} : { port: configured.ownPort },
      );
    if (!sharedS3) {
      s3 = await startLocalS3(configured?.ownS3Port === undefined ? {} : { port: configured.ownS3Port });
      storage.s3Endpoint = s3.endpoint;
    }
    const endpoint = shared ?? dynamo?.endpoint ?? '';
    const s3Endpoint = storage.s3Endpoint ?? '';
    const cursorSecret = configured?.cursorSecret ?? randomBytes(32).toString('base64url');
    configured = {
      prefix,
      endpoint,
      cursorSecret,
      bucket,
      ...(dynamo && { ownPort: dynamo.port }),
      ...(s3 && { ownS3Port: s3.port }),
    };

    const client = createLocalClient(endpoint);
    try {
      await ensureTables(client, prefix);
    } finally {
      client.destroy();
    }
    const s3Client = createLocalS3Client(s3Endpoint);
    try {
      await ensureBucket(s3Client, bucket);
    } finally {
      s3Client.destroy();
    }
    Object.assign(process.env, {
      DOCUMENTS_BUCKET: bucket,
      S3_ENDPOINT: s3Endpoint,
      TABLE_NAME: tableName(mainTable, prefix),
      IDEMPOTENCY_TABLE_NAME: tableName(idempotencyTable, prefix),
      CURSOR_SECRET: cursorSecret,
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    useProfileClaimNames(options.profile ?? 'global');
    const issuer = await createLocalIssuer({
      issuer: 'urn:eia-approval:test-issuer',
      audience: 'eia-approval-test',
      ...(options.profile && { profile: options.profile }),
      ...(options.keyPair && { keyPair: options.keyPair }),
    });
    server = await createLocalServer({ port: 0, issuer, quiet: options.quiet ?? true });
    // 127.0.0.1, not localhost: the server listens on IPv4 loopback only.
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const token = (who: Who) => issuer.issue(typeof who === 'string' ? users[who] : who);

    let stopped = false;
    const request = async <T = unknown>(method: string, path: string, opts: RequestOptions = {}) => {
      const headers: Record<string, string> = { ...opts.headers };
      const bearer = opts.token ?? (opts.as === undefined ? undefined : await token(opts.as));
      if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body }),
        ...(opts.redirect !== undefined && { redirect: opts.redirect }),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: Object.fromEntries(res.headers),
        json: parseJson(text) as T,
        text,
      };
    };

    return {
      baseUrl,
      dynamodbEndpoint: endpoint,
      prefix,
      tables: { main: tableName(mainTable, prefix), idempotency: tableName(idempotencyTable, prefix) },
      s3Endpoint,
      bucket,
      issuer,
      token,
      request,
      async setNow(at) {
        const now = at === null ? null : at instanceof Date ? at.toISOString() : at;
        const res = await request('POST', '/local/clock', { body: { now } });
        if (res.status !== 200) throw new Error(`POST /local/clock answered ${res.status}: ${res.text}`);
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await stopAll(server, dynamo, shared, prefix, savedEnv, s3, storage);
      },
    };
  } catch (error) {
    await stopAll(server, dynamo, shared, prefix, savedEnv, s3, storage);
    throw error;
  }
}

/** A bucket name (3–63 of a-z, 0-9, '-') of its own for a table prefix. */
function bucketFor(prefix: string): string {
  const base = `${prefix}documents`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return base.replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
}

async function stopAll(
  server: LocalServer | undefined,
  dynamo: DynamoDbLocal | undefined,
  sharedEndpoint: string | undefined,
  prefix: string,
  savedEnv: ReadonlyMap<string, string | undefined>,
  s3?: LocalS3,
  storage?: { s3Endpoint: string | undefined; bucket: string },
): Promise<void> {
  try {
    await server?.close();
    resetNow();
    await Promise.all([
      dynamo ? dynamo.stop() : sharedEndpoint ? dropTables(sharedEndpoint, prefix) : undefined,
      s3 ? s3.stop() : storage?.s3Endpoint ? dropBucket(storage.s3Endpoint, storage.bucket) : undefined,
    ]);
  } finally {
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    running = false;
  }
}

/** The shared instance outlives this file: leave it as we found it (and let a restart start empty). */
async function dropTables(endpoint: string, prefix: string): Promise<void> {
  const client = createLocalClient(endpoint);
  try {
    await Promise.all(
      tables.map((def) =>
        client.send(new DeleteTableCommand({ TableName: tableName(def, prefix) })).catch((error: unknown) => {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }),
      ),
    );
  } finally {
    client.destroy();
  }
}

/** The shared store outlives this file: its bucket goes, with what the tests put in it. */
async function dropBucket(endpoint: string, bucket: string): Promise<void> {
  const client = createLocalS3Client(endpoint);
  try {
    await removeBucket(client, bucket);
  } finally {
    client.destroy();
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
