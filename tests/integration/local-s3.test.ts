import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client, S3Client as SdkS3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_REGION } from '../../local/dynamodb.ts';
import {
  createLocalS3Client,
  ensureBucket,
  type LocalS3,
  removeBucket,
  startLocalS3,
} from '../../local/s3/store.ts';
import { objectStore } from '../../shared/store/object-store.ts';
import type { ObjectStore } from '../../shared/store/ports.ts';

/**
 * The local S3 store as the handlers and the console use it: presigned URLs made by the S3 adapter
 * (shared/store/object-store.ts, the code that runs in AWS), sent with fetch. Storage itself must
 * refuse what S3 refuses: other bytes, a missing or changed signed header, a short or long body,
 * an expired or tampered URL, an overwrite under If-None-Match, another origin.
 */
let own: LocalS3 | undefined;
let endpoint: string;
let origin: string;
let client: S3Client;
let store: ObjectStore;
const bucket = `it-${randomBytes(4).toString('hex')}-local-s3`;

beforeAll(async () => {
  const shared: string | undefined = inject('s3Endpoint');
  origin = inject('s3ConsoleOrigin') ?? 'http://console.test';
  if (!shared) own = await startLocalS3({ origins: [origin] });
  endpoint = shared ?? own?.endpoint ?? '';
  client = createLocalS3Client(endpoint);
  await ensureBucket(client, bucket);
  store = objectStore(client, bucket);
});

afterAll(async () => {
  if (client) await removeBucket(client, bucket).catch(() => undefined);
  client?.destroy();
  await own?.stop();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const newKey = () => `materials/app-1/${randomBytes(6).toString('hex')}`;

/** A presigned PUT of `body` (as the create-upload route makes it). */
async function presign(body: Uint8Array, key = newKey(), expiresInSeconds = 60) {
  const put = await store.presignPut({
    key,
    sha256: sha256(body),
    sizeBytes: body.byteLength,
    contentType: 'application/pdf',
    expiresInSeconds,
  });
  return { key, put };
}

async function errorCode(res: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
}

describe('presigned PUT pinned to SHA-256, length and type', () => {
  it('stores the declared bytes, and HeadObject returns storage’s own SHA-256', async () => {
    const body = randomBytes(2048);
    const { key, put } = await presign(body);
    const res = await fetch(put.url, { method: put.method, headers: put.headers, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    const head = await store.head(key);
    expect(head).toMatchObject({ sizeBytes: 2048, sha256: sha256(body), contentType: 'application/pdf' });
    expect(Buffer.from((await store.get(key)) ?? [])).toEqual(body);
    expect(Buffer.from((await store.readStart(key, 10)) ?? [])).toEqual(body.subarray(0, 10));
  });

  it('refuses other bytes of the same length (BadDigest) and stores nothing', async () => {
    const body = randomBytes(1000);
    const { key, put } = await presign(body);
    const other = randomBytes(1000);
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: other });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('BadDigest');
    expect(await store.head(key)).toBeUndefined();
  });

  it('refuses a PUT without the checksum header, or with another one', async () => {
    const body = randomBytes(500);
    const { key, put } = await presign(body);
    const { 'x-amz-checksum-sha256': _dropped, ...without } = put.headers;
    const missing = await fetch(put.url, { method: 'PUT', headers: without, body });
    expect(missing.status).toBe(403);
    expect(await errorCode(missing)).toBe('SignatureDoesNotMatch');
    const other = randomBytes(500);
    const changed = await fetch(put.url, {
      method: 'PUT',
      headers: {
        ...put.headers,
        'x-amz-checksum-sha256': Buffer.from(sha256(other), 'hex').toString('base64'),
      },
      body: other,
    });
    expect(changed.status).toBe(403);
    expect(await errorCode(changed)).toBe('SignatureDoesNotMatch');
    const otherType = await fetch(put.url, {
      method: 'PUT',
      headers: { ...put.headers, 'content-type': 'application/zip' },
      body,
    });
    expect(otherType.status).toBe(403);
    expect(await store.head(key)).toBeUndefined();
  });

  it('refuses a short and a long body', async () => {
    const body = randomBytes(4096);
    const { key, put } = await presign(body);
    const headers = {
      'content-type': 'application/pdf',
      'x-amz-checksum-sha256': put.headers['x-amz-checksum-sha256'] ?? '',
    };
    const short = await fetch(put.url, { method: 'PUT', headers, body: body.subarray(0, 4000) });
    expect(short.status).toBe(403);
    const long = await fetch(put.url, {
      method: 'PUT',
      headers,
      body: Buffer.concat([body, randomBytes(10)]),
    });
    expect(long.status).toBe(403);
    expect(await store.head(key)).toBeUndefined();
  });

  it('stores nothing when the body stops before its Content-Length', async () => {
    const body = randomBytes(4096);
    const { key, put } = await presign(body);
    const url = new URL(put.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path: `${url.pathname}${url.search}`,
        headers: put.headers,
      });
      req.on('error', () => resolve());
      req.on('response', (res) => {
        res.resume();
        resolve();
      });
      req.write(body.subarray(0, 3000));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    await sleep(100);
    expect(await store.head(key)).toBeUndefined();
  });

  it('refuses an unsigned x-amz-* header added to a presigned URL', async () => {
    const body = randomBytes(100);
    const { key, put } = await presign(body);
    const res = await fetch(put.url, {
      method: 'PUT',
      headers: { ...put.headers, 'x-amz-meta-note': 'x' },
      body,
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('AccessDenied');
    expect(await store.head(key)).toBeUndefined();
  });

  it('refuses an expired URL', async () => {
    const body = randomBytes(100);
    const { key, put } = await presign(body, newKey(), 1);
    await sleep(2_100);
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('Request has expired');
    expect(await store.head(key)).toBeUndefined();
  });

  it('refuses a tampered signature, key or expiry', async () => {
    const body = randomBytes(100);
    const { key, put } = await presign(body);
    const url = new URL(put.url);
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const tampered = new URL(url);
    tampered.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    );
    const otherKey = new URL(url);
    otherKey.pathname = `${url.pathname}x`;
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '3600');
    for (const target of [tampered, otherKey, longer]) {
      const res = await fetch(target, { method: 'PUT', headers: put.headers, body });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('SignatureDoesNotMatch');
    }
    expect(await store.head(key)).toBeUndefined();
    expect(await store.head(`${key}x`)).toBeUndefined();
  });
});

describe('presigned GET', () => {
  it('serves the bytes with the UTF-8 file name, and expires', async () => {
    const body = randomBytes(300);
    const { key, put } = await presign(body);
    expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body })).status).toBe(200);
    const url = await store.presignGet({ key, fileName: '环评报告 (公开版).pdf', expiresInSeconds: 1 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(body);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="____ (___).pdf"; filename*=UTF-8''${encodeURIComponent('环评报告')}%20%28${encodeURIComponent('公开版')}%29.pdf`,
    );
    await sleep(2_100);
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Request has expired');
  });

  it('refuses an anonymous GET and an unknown access key', async () => {
    const key = newKey();
    await store.putNew({
      key,
      body: Buffer.from('x'),
      contentType: 'text/plain',
      sha256: sha256(Buffer.from('x')),
    });
    const anonymous = await fetch(`${endpoint}/${bucket}/${key}`);
    expect(anonymous.status).toBe(403);
    expect(await errorCode(anonymous)).toBe('AccessDenied');
    const stranger = new SdkS3Client({
      endpoint,
      region: LOCAL_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: 'someone', secretAccessKey: 'else' },
    });
    try {
      await expect(objectStore(stranger, bucket).get(key)).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
    } finally {
      stranger.destroy();
    }
  });
});

describe('writes under If-None-Match and plain SDK calls', () => {
  it('putNew creates once and reports the second write as existing, never overwriting', async () => {
    const key = `documents/app-1/${randomBytes(4).toString('hex')}.pdf`;
    const first = Buffer.from('%PDF-1.7 first');
    const second = Buffer.from('%PDF-1.7 second');
    expect(
      await store.putNew({ key, body: first, contentType: 'application/pdf', sha256: sha256(first) }),
    ).toBe('created');
    expect(
      await store.putNew({ key, body: second, contentType: 'application/pdf', sha256: sha256(second) }),
    ).toBe('exists');
    expect(Buffer.from((await store.get(key)) ?? [])).toEqual(first);
    expect((await store.head(key))?.sha256).toBe(sha256(first));
  });

  it('putNew with a wrong SHA-256 is refused by storage', async () => {
    const key = newKey();
    const body = Buffer.from('some bytes');
    await expect(
      store.putNew({ key, body, contentType: 'text/plain', sha256: sha256(Buffer.from('other')) }),
    ).rejects.toMatchObject({ name: 'BadDigest' });
    expect(await store.head(key)).toBeUndefined();
  });

  it('reads the start of an empty object as no bytes (S3: 416), and of a missing one as undefined', async () => {
    const key = newKey();
    const empty = new Uint8Array();
    await store.putNew({ key, body: empty, contentType: 'application/pdf', sha256: sha256(empty) });
    expect(await store.readStart(key, 4100)).toEqual(new Uint8Array());
    expect(await store.head(key)).toMatchObject({ sizeBytes: 0, sha256: sha256(empty) });
    expect(await store.readStart(newKey(), 4100)).toBeUndefined();
  });

  it('an object stored without a SHA-256 checksum has none in HeadObject', async () => {
    const key = newKey();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('plain') }));
    const head = await store.head(key);
    expect(head?.sizeBytes).toBe(5);
    expect(head?.sha256).toBeUndefined();
  });
});

describe('where the files are kept', () => {
  it('in a temporary folder removed on stop, or under dataDir across restarts', async () => {
    const temporary = await startLocalS3();
    const folder = temporary.objectsDir;
    await temporary.stop();
    expect(existsSync(folder)).toBe(false);

    const dataDir = mkdtempSync(join(tmpdir(), 'eia-s3-data-'));
    try {
      const bytes = Buffer.from('kept');
      const first = await startLocalS3({ dataDir });
      try {
        await first.ensureBucket('kept-bucket');
        const c = createLocalS3Client(first.endpoint);
        await objectStore(c, 'kept-bucket').putNew({
          key: 'k',
          body: bytes,
          contentType: 'text/plain',
          sha256: sha256(bytes),
        });
        c.destroy();
      } finally {
        await first.stop();
      }
      const second = await startLocalS3({ dataDir });
      try {
        const c = createLocalS3Client(second.endpoint);
        const kept = objectStore(c, 'kept-bucket');
        expect(Buffer.from((await kept.get('k')) ?? [])).toEqual(bytes);
        expect((await kept.head('k'))?.sha256).toBe(sha256(bytes));
        c.destroy();
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('CORS', () => {
  it('answers the preflight of the console’s origin only', async () => {
    const { put } = await presign(randomBytes(10));
    const ask = (from: string) =>
      fetch(put.url, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type,x-amz-checksum-sha256',
        },
      });
    const ours = await ask(origin);
    expect(ours.status).toBe(200);
    expect(ours.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ours.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(ours.headers.get('access-control-allow-headers')).toContain('x-amz-checksum-sha256');
    expect(ours.headers.get('access-control-expose-headers')).toContain('ETag');
    const theirs = await ask('http://elsewhere.test');
    expect(theirs.status).toBe(403);
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    expect(await errorCode(theirs)).toBe('AccessForbidden');
  });

  it('adds CORS headers to the console’s PUT, not to another origin’s', async () => {
    const body = randomBytes(10);
    const mine = await presign(body);
    const res = await fetch(mine.put.url, { method: 'PUT', headers: { ...mine.put.headers, origin }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
    const theirs = await presign(body);
    const other = await fetch(theirs.put.url, {
      method: 'PUT',
      headers: { ...theirs.put.headers, origin: 'http://elsewhere.test' },
      body,
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets any origin read through a presigned GET (a redirected download arrives with Origin: null)', async () => {
    const key = newKey();
    const bytes = Buffer.from('%PDF-1.7');
    await store.putNew({ key, body: bytes, contentType: 'application/pdf', sha256: sha256(bytes) });
    const url = await store.presignGet({ key, fileName: 'a.pdf', expiresInSeconds: 60 });
    const res = await fetch(url, { headers: { origin: 'null' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
  });
});
