import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';

/** The console an end-to-end test drives: where it is, the browser, and how to stop both. */
export interface LocalConsole {
  url: string;
  browser: Browser;
  /** Closes the browser and stops the server this started (none with E2E_URL). */
  stop: () => Promise<void>;
}

/**
 * `npm start` (local/start.ts: its own DynamoDB Local and S3 store, on a free port) and the
 * browser (tests/support/browser.ts), started together. Ready once the server names its URL, or
 * with `demo` once the demo data is loaded (or failed to load, which the test then sees). E2E_URL
 * names a console already running instead (`npm start -- --demo`), for working on the tests.
 * When either fails to start, the other is stopped before the error is thrown.
 */
export async function startLocalConsole(
  /** profile: `npm start -- --profile` (local/tokens.ts); default global. */
  options: { demo?: boolean; profile?: 'global' | 'china' } = {},
): Promise<LocalConsole> {
  let server: ChildProcess | undefined;
  const started = process.env.E2E_URL
    ? Promise.resolve(process.env.E2E_URL)
    : startServer(
        options.demo ?? false,
        (proc) => {
          server = proc;
        },
        options.profile,
      );
  const [url, browser] = await Promise.allSettled([started, launchBrowser()]);
  const stop = async () => {
    if (browser.status === 'fulfilled') await browser.value.close().catch(() => undefined);
    await stopServer(server);
  };
  if (url.status === 'rejected' || browser.status === 'rejected') {
    await stop();
    throw url.status === 'rejected' ? url.reason : (browser as PromiseRejectedResult).reason;
  }
  return { url: url.value, browser: browser.value, stop };
}

function startServer(
  demo: boolean,
  spawned: (proc: ChildProcess) => void,
  profile?: 'global' | 'china',
): Promise<string> {
  const args = [
    '--import',
    'tsx',
    'local/start.ts',
    ...(demo ? ['--demo'] : []),
    ...(profile ? ['--profile', profile] : []),
    '--quiet',
  ];
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', DYNAMODB_ENDPOINT: '', TABLE_PREFIX: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned(proc);
  let stdout = '';
  let stderr = '';
  // The first line on stdout names the URL once the server is ready.
  const listening = () => /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
  return new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const url = listening();
      if (url && !demo) resolve(url);
    });
    proc.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
      // The demo data is in once this line is printed; the URL came first, on stdout.
      if (demo && (/^Demo: /m.test(stderr) || /Loading the demo failed/.test(stderr))) {
        const url = listening();
        url ? resolve(url) : reject(new Error(`no URL in: ${stdout}\n${stderr}`));
      }
    });
    proc.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${stderr}`)));
  });
}

/** SIGINT (start.ts then stops DynamoDB Local and the S3 store); SIGKILL only if it hangs 10 s. */
async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
