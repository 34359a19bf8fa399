import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createLocalS3Client, startLocalS3 } from '../../local/s3/store.ts';
import { objectStore } from '../../shared/store/object-store.ts';

/**
 * Uploads and downloads through presigned URLs (what the console does: the adapter's presignPut and
 * presignGet, then a plain HTTP PUT/GET) against the local S3 store, each beside the same bytes
 * written and read with the SDK's own PutObject/GetObject in the same run, alternating, so the
 * ratio says what the presigned path costs over the SDK's on the same store and machine. Both go
 * through the verifying layer (signature, SHA-256 of the body) and s3rver's files.
 */
export interface StorageFigures {
  sizeBytes: number;
  rounds: number;
  /** Medians, ms. */
  presignedPutMs: number;
  sdkPutMs: number;
  presignedGetMs: number;
  sdkGetMs: number;
  putRatio: number;
  getRatio: number;
  /** MB/s of the presigned paths (1 MB = 10^6 bytes). */
  putMBps: number;
  getMBps: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await run();
  return [performance.now() - start, value];
}

export async function measureStorage(options: {
  sizeBytes: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<StorageFigures> {
  const s3 = await startLocalS3();
  const client = createLocalS3Client(s3.endpoint);
  const bucket = 'eia-bench-documents';
  try {
    await s3.ensureBucket(bucket);
    const store = objectStore(client, bucket);
    const body = randomBytes(options.sizeBytes);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const times = {
      presignedPut: [] as number[],
      sdkPut: [] as number[],
      presignedGet: [] as number[],
      sdkGet: [] as number[],
    };

    for (let round = 0; round < options.rounds; round++) {
      const key = `materials/bench/${round}`;
      const sdkKey = `materials/bench/sdk-${round}`;
      const presignedPut = async () => {
        const put = await store.presignPut({
          key,
          sha256,
          sizeBytes: body.length,
          contentType: 'application/pdf',
          expiresInSeconds: 900,
        });
        const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
        if (res.status !== 200) throw new Error(`presigned PUT answered ${res.status}: ${await res.text()}`);
      };
      const sdkPut = async () => {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: sdkKey, Body: body, ContentType: 'application/pdf' }),
        );
      };
      // Alternate which goes first, so neither always meets a warm (or a busy) store.
      const order = round % 2 === 0 ? [presignedPut, sdkPut] : [sdkPut, presignedPut];
      for (const run of order) {
        const [ms] = await timed(run);
        (run === presignedPut ? times.presignedPut : times.sdkPut).push(ms);
      }

      const presignedGet = async () => {
        const url = await store.presignGet({ key, fileName: 'bench.pdf', expiresInSeconds: 300 });
        const res = await fetch(url);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (res.status !== 200 || bytes.length !== body.length)
          throw new Error(`presigned GET answered ${res.status}`);
      };
      const sdkGet = async () => {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: sdkKey }));
        const bytes = await out.Body?.transformToByteArray();
        if (bytes?.length !== body.length) throw new Error('GetObject returned another length');
      };
      const reads = round % 2 === 0 ? [presignedGet, sdkGet] : [sdkGet, presignedGet];
      for (const run of reads) {
        const [ms] = await timed(run);
        (run === presignedGet ? times.presignedGet : times.sdkGet).push(ms);
      }
      options.log(
        `  round ${round + 1}/${options.rounds}: PUT presigned ${times.presignedPut.at(-1)?.toFixed(0)} ms, SDK ${times.sdkPut.at(-1)?.toFixed(0)} ms; ` +
          `GET presigned ${times.presignedGet.at(-1)?.toFixed(0)} ms, SDK ${times.sdkGet.at(-1)?.toFixed(0)} ms`,
      );
    }
    const presignedPutMs = median(times.presignedPut);
    const sdkPutMs = median(times.sdkPut);
    const presignedGetMs = median(times.presignedGet);
    const sdkGetMs = median(times.sdkGet);
    return {
      sizeBytes: options.sizeBytes,
      rounds: options.rounds,
      presignedPutMs,
      sdkPutMs,
      presignedGetMs,
      sdkGetMs,
      putRatio: presignedPutMs / sdkPutMs,
      getRatio: presignedGetMs / sdkGetMs,
      putMBps: options.sizeBytes / 1e6 / (presignedPutMs / 1000),
      getMBps: options.sizeBytes / 1e6 / (presignedGetMs / 1000),
    };
  } finally {
    await s3.removeBucket(bucket).catch(() => undefined);
    client.destroy();
    await s3.stop();
  }
}
