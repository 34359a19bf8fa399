import { once } from 'node:events';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import S3rver from 's3rver';
import { createVerifyingLayer } from './verifying-layer.ts';

/**
 * The local store's process (started by store.ts, stopped by it): s3rver on a loopback port of its
 * own, and the verifying layer in front of it on the port clients use. Settings come as JSON in
 * argv[2]; the first stdout line is `{"port":N}` once both listen; each stdin line
 * `{"origins":[…]}` replaces the CORS origins and is answered `{"ok":true}`. It stops on SIGTERM,
 * and when stdin closes (the process that started it is gone), removing its temporary folder.
 */
interface Settings {
  /** The temporary folder to remove on stop (store.ts removes it too, unless it was killed). */
  scratch: string;
  objectsDir: string;
  spoolDir: string;
  port: number;
  origins: string[];
  credentials: { accessKeyId: string; secretAccessKey: string }[];
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;

const store = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: settings.objectsDir,
  // Path-style only: the SDK is configured with forcePathStyle for the local endpoint.
  vhostBuckets: false,
});
const { port: upstreamPort } = (await store.run()) as AddressInfo;

const layer = createVerifyingLayer({
  upstream: { host: '127.0.0.1', port: upstreamPort },
  credentials: settings.credentials,
  origins: settings.origins,
  spoolDir: settings.spoolDir,
});
// Uploads of hundreds of MB take a while on a slow disk: no request timeout here.
layer.server.requestTimeout = 0;
layer.server.listen(settings.port, '127.0.0.1');
await once(layer.server, 'listening');
const { port } = layer.server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  layer.server.closeAllConnections();
  await new Promise<void>((resolve) => layer.server.close(() => resolve()));
  await store.close().catch(() => undefined);
  rmSync(settings.scratch, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  try {
    const message = JSON.parse(line) as { origins?: unknown };
    if (Array.isArray(message.origins)) layer.setOrigins(message.origins.map(String));
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  }
});
lines.on('close', () => void stop());
