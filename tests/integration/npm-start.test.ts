import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

/** The README's quick start, as a new user runs it: start, get the URL, use it, Ctrl-C. */
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `npm start`'s script; resolves with its URL (from the first stdout line) and its stderr so far. */
async function start(): Promise<{ proc: ChildProcess; url: string; stderr: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--quiet'], {
    env: { ...process.env, PORT: '0', DYNAMODB_ENDPOINT: '', S3_ENDPOINT: '', DOCUMENTS_BUCKET: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const first = stdout.split('\n')[0] ?? '';
      if (stdout.includes('\n')) {
        const match = /^EIA approval service listening on (http:\/\/\S+)$/.exec(first);
        match?.[1] ? resolve(match[1]) : reject(new Error(`first line: ${first}`));
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { proc, url, stderr: () => stderr };
}

/** The local S3 store's pid and endpoint, from its start-up line. */
function s3Line(stderr: string): { pid: number; endpoint: string } {
  const match = /Local S3 store on (\S+) \(pid (\d+)/.exec(stderr);
  return { endpoint: match?.[1] ?? '', pid: Number(match?.[2]) };
}

describe('npm start', () => {
  it('prints its URL first, serves the API, and stops DynamoDB Local and the S3 store on Ctrl-C', async () => {
    const { proc, url, stderr } = await start();

    const workflow = await fetch(`${url}/workflow`);
    expect(workflow.status).toBe(200);
    const pid = Number(/pid (\d+)/.exec(stderr())?.[1]);
    expect(alive(pid)).toBe(true);
    const s3 = s3Line(stderr());
    expect(alive(s3.pid)).toBe(true);
    // The store answers, and refuses what is not signed (its verifying layer is in front).
    const anonymous = await fetch(`${s3.endpoint}/eia-documents-local/x`);
    expect(anonymous.status).toBe(403);
    // The console's origin may upload (CORS), another may not.
    const preflight = (origin: string) =>
      fetch(`${s3.endpoint}/eia-documents-local/x`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT' },
      });
    expect((await preflight(url)).status).toBe(200);
    expect((await preflight('http://elsewhere.test')).status).toBe(403);

    proc.kill('SIGINT');
    const [code] = await once(proc, 'exit');
    expect(code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(alive(s3.pid)).toBe(false);
  });

  it('reports a crash of the S3 store and stops, instead of serving without it', async () => {
    const { proc, stderr } = await start();
    const dynamoPid = Number(/pid (\d+)/.exec(stderr())?.[1]);
    const exited = once(proc, 'exit');
    process.kill(s3Line(stderr()).pid, 'SIGKILL');
    const [code] = await exited;
    expect(code).toBe(1);
    expect(stderr()).toContain('The local S3 store stopped unexpectedly');
    expect(alive(dynamoPid)).toBe(false);
  });

  it('reports a crash of DynamoDB Local and stops, instead of serving without it', async () => {
    const { proc, stderr } = await start();
    const pid = Number(/pid (\d+)/.exec(stderr())?.[1]);
    const exited = once(proc, 'exit');
    process.kill(pid, 'SIGKILL');
    const [code] = await exited;
    expect(code).toBe(1);
    expect(stderr()).toContain('DynamoDB Local stopped unexpectedly');
    expect(alive(s3Line(stderr()).pid)).toBe(false);
  });
});
