import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../dynamodb.ts';
import type { Credentials } from './sigv4.ts';

/**
 * The local object store that `npm start` and the integration tests run beside DynamoDB Local:
 * s3rver (an S3-compatible server from the npm registry, pure JavaScript) behind the verifying
 * layer (verifying-layer.ts), in a child process of its own (main.ts).
 *
 * s3rver keeps objects in files: without `dataDir` they go to a fresh temporary folder that stop()
 * removes, so nothing outlives the run (as DynamoDB Local in memory); with `dataDir` they stay there.
 */
export interface LocalS3 {
  /** What S3_ENDPOINT is set to: the verifying layer. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Where the objects are kept: dataDir, or a temporary folder that stop() removes. */
  readonly objectsDir: string;
  /** Replaces the origins CORS allows (the console's). */
  setOrigins(origins: readonly string[]): Promise<void>;
  /** Creates the bucket unless it is there. */
  ensureBucket(name: string): Promise<void>;
  /** Removes the bucket and every object in it (gone already is fine). */
  removeBucket(name: string): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period; removes the temporary folder; resolves once it is gone. */
  stop(): Promise<void>;
  /** Called once when the process exits; `expected` when stop() asked for it. */
  onExit(
    cb: (exit: {
      code: number | null;
      signal: NodeJS.Signals | null;
      expected: boolean;
      output: string;
    }) => void,
  ): void;
}

export interface LocalS3Options {
  /** Keep the objects in this folder (created if missing). Absent: a temporary folder. */
  readonly dataDir?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Origins CORS allows. */
  readonly origins?: readonly string[];
  /** Keys the verifying layer accepts besides the local ones (LOCAL_CREDENTIALS). */
  readonly credentials?: readonly Credentials[];
  readonly readyTimeoutMs?: number;
}

export const DEFAULT_DOCUMENTS_BUCKET = 'eia-documents-local';

const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An SDK client for the local store, with the credentials its verifying layer knows. */
export function createLocalS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  // The spool (bodies being checked) is always temporary; the objects only without dataDir.
  const scratch = mkdtempSync(join(tmpdir(), 'eia-s3-'));
  const objectsDir = options.dataDir === undefined ? join(scratch, 'objects') : resolve(options.dataDir);
  mkdirSync(objectsDir, { recursive: true });
  const settings = {
    scratch,
    objectsDir,
    spoolDir: join(scratch, 'spool'),
    port: options.port ?? 0,
    origins: options.origins ?? [],
    credentials: [LOCAL_CREDENTIALS, ...(options.credentials ?? [])],
  };
  // detached: its own process group, so Ctrl-C in a terminal reaches only `npm start`, which
  // stops it in order. stdin stays open: when it closes (we are gone) the store stops too.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, JSON.stringify(settings)], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    for (let at = partial.indexOf('\n'); at >= 0; at = partial.indexOf('\n')) {
      const line = partial.slice(0, at);
      partial = partial.slice(at + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolveLine) => {
      const line = lines.shift();
      if (line !== undefined) resolveLine(line);
      else waiting.push(resolveLine);
    });

  let stopping = false;
  let exit:
    | { code: number | null; signal: NodeJS.Signals | null; expected: boolean; output: string }
    | undefined;
  const listeners: Array<(e: NonNullable<typeof exit>) => void> = [];
  const killOnParentExit = () => {
    if (child.pid !== undefined) signalPid(child.pid, 'SIGKILL');
    removeScratch();
  };
  process.on('exit', killOnParentExit);
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      process.off('exit', killOnParentExit);
      exit = { code, signal, expected: stopping, output };
      if (!stopping && listeners.length === 0)
        process.stderr.write(
          `The local S3 store exited unexpectedly: code ${code}, signal ${signal}\n${output}\n`,
        );
      for (const listener of listeners) listener(exit);
      resolveExit();
    });
  });
  child.once('error', (error) => {
    output += `\n${error.message}`;
  });

  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (!exit && pid !== undefined) {
      stopping = true;
      signalPid(pid, 'SIGTERM');
      const timer = setTimeout(() => signalPid(pid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    removeScratch();
  };

  let port: number;
  try {
    if (pid === undefined) throw new Error(`could not start the local S3 store: ${output}`);
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    const first = await Promise.race([
      nextLine(),
      exited.then(() => {
        throw new Error(`it exited (code ${exit?.code}, signal ${exit?.signal})`);
      }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    port = (JSON.parse(first) as { port: number }).port;
  } catch (error) {
    await stop();
    throw new Error(
      `The local S3 store did not start: ${error instanceof Error ? error.message : String(error)}\n--- its output ---\n${output}`,
    );
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const withClient = async <T>(run: (client: S3Client) => Promise<T>): Promise<T> => {
    const client = createLocalS3Client(endpoint);
    try {
      return await run(client);
    } finally {
      client.destroy();
    }
  };

  return {
    endpoint,
    port,
    pid: pid as number,
    objectsDir,
    async setOrigins(origins) {
      child.stdin?.write(`${JSON.stringify({ origins })}\n`);
      const answer = JSON.parse(await nextLine()) as { ok: boolean; error?: string };
      if (!answer.ok) throw new Error(`the local S3 store refused the origins: ${answer.error}`);
    },
    ensureBucket: (name) => withClient((client) => ensureBucket(client, name)),
    removeBucket: (name) => withClient((client) => removeBucket(client, name)),
    stop,
    onExit(cb) {
      if (exit) {
        const done = exit;
        queueMicrotask(() => cb(done));
      } else listeners.push(cb);
    },
  };
}

/** Creates the bucket unless it is there (also against an S3_ENDPOINT the caller runs). */
export async function ensureBucket(client: S3Client, name: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists) return;
    throw error;
  }
}

/** Empties and removes a bucket; a bucket that is not there is fine. */
export async function removeBucket(client: S3Client, name: string): Promise<void> {
  try {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: name, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
      if (keys.length === 0) break;
      // One at a time: s3rver removes emptied folders after a delete, and two deletes in one folder
      // at once trip over each other (InternalError). (DeleteObjects needs a CRC checksum, which
      // the verifying layer does not check.)
      for (const { Key } of keys) await client.send(new DeleteObjectCommand({ Bucket: name, Key }));
    }
    await client.send(new DeleteBucketCommand({ Bucket: name }));
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchBucket') return;
    throw error;
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
  }
}
