/**
 * The S3 adapter of the ObjectStore port (S3 mocked): what it asks S3 for (the checksum, the
 * condition, the checksum mode), how it reads the answers, and what its presigned URLs sign.
 */
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../../shared/store/errors.ts';
import {
  base64ToHex,
  contentDisposition,
  hexToBase64,
  mapS3Error,
  objectStore,
} from '../../../../shared/store/object-store.ts';

const client = new S3Client({
  region: 'cn-north-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const s3 = mockClient(S3Client);
const store = objectStore(client, 'eia-documents');
const bytes = Buffer.from('%PDF-1.7 hello');
const sha = createHash('sha256').update(bytes).digest('hex');

const s3Error = (name: string, status: number, fault: 'client' | 'server' = 'client') =>
  new S3ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: name });

beforeEach(() => s3.reset());

describe('presignPut', () => {
  it('signs the SHA-256, the length and the type as headers the client must send', async () => {
    const before = Date.now();
    const put = await store.presignPut({
      key: 'materials/app-1/up-1',
      sha256: sha,
      sizeBytes: bytes.length,
      contentType: 'application/pdf',
      expiresInSeconds: 900,
    });
    const url = new URL(put.url);
    expect(url.host).toBe('eia-documents.s3.cn-north-1.amazonaws.com.cn');
    expect(url.pathname).toBe('/materials/app-1/up-1');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-checksum-sha256',
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    // Not hoisted into the query, and no checksum of the SDK's own (a browser could not send it).
    expect([...url.searchParams.keys()].filter((k) => k.toLowerCase().includes('checksum'))).toEqual([]);
    expect(put.headers).toEqual({
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      'x-amz-checksum-sha256': Buffer.from(sha, 'hex').toString('base64'),
    });
    expect(put.method).toBe('PUT');
    const expires = Date.parse(put.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 900_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('refuses a SHA-256 that is not 64 hex digits', async () => {
    await expect(
      store.presignPut({
        key: 'k',
        sha256: 'abc',
        sizeBytes: 1,
        contentType: 'application/pdf',
        expiresInSeconds: 60,
      }),
    ).rejects.toThrow('64 hex digits');
  });
});

describe('presignGet', () => {
  it('answers with the UTF-8 file name, the type and the version asked for', async () => {
    const url = new URL(
      await store.presignGet({
        key: 'materials/app-1/up-1',
        fileName: '环评报告.pdf',
        contentType: 'application/pdf',
        versionId: 'v1',
        expiresInSeconds: 300,
      }),
    );
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('环评报告')}.pdf`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('versionId')).toBe('v1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('says inline when asked (the browser shows the PDF)', async () => {
    const url = new URL(
      await store.presignGet({ key: 'k', fileName: 'a.pdf', expiresInSeconds: 60, inline: true }),
    );
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^inline; /);
  });
});

describe('head', () => {
  it('asks for the checksum and gives storage’s SHA-256 in hex', async () => {
    s3.on(HeadObjectCommand).resolves({
      ContentLength: bytes.length,
      ChecksumSHA256: hexToBase64(sha),
      ContentType: 'application/pdf',
      VersionId: 'v3',
      LastModified: new Date('2026-12-01T00:00:00Z'),
    });
    expect(await store.head('materials/app-1/up-1')).toEqual({
      sizeBytes: bytes.length,
      sha256: sha,
      contentType: 'application/pdf',
      versionId: 'v3',
      lastModified: '2026-12-01T00:00:00.000Z',
    });
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'eia-documents',
      Key: 'materials/app-1/up-1',
      ChecksumMode: 'ENABLED',
    });
  });

  it('gives no SHA-256 when storage kept none, or only a checksum of parts', async () => {
    s3.on(HeadObjectCommand)
      .resolvesOnce({ ContentLength: 3 })
      .resolvesOnce({ ContentLength: 3, ChecksumSHA256: `${hexToBase64(sha)}-2` });
    expect(await store.head('a')).toEqual({ sizeBytes: 3 });
    expect((await store.head('a'))?.sha256).toBeUndefined();
  });

  it('is undefined when there is no object, and 503 when storage fails', async () => {
    s3.on(HeadObjectCommand)
      .rejectsOnce(s3Error('NotFound', 404))
      .rejectsOnce(s3Error('InternalError', 500, 'server'));
    expect(await store.head('a')).toBeUndefined();
    await expect(store.head('a')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('putNew', () => {
  it('writes only a new key, with its SHA-256 for storage to check', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(
      await store.putNew({
        key: 'documents/a/APPROVAL-9.pdf',
        body: bytes,
        contentType: 'application/pdf',
        sha256: sha,
      }),
    ).toBe('created');
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'eia-documents',
      Key: 'documents/a/APPROVAL-9.pdf',
      IfNoneMatch: '*',
      ChecksumSHA256: hexToBase64(sha),
      ContentType: 'application/pdf',
      ContentLength: bytes.length,
    });
  });

  it('reports an existing key (412) as exists, and a concurrent write (409) as a 503 to retry', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('PreconditionFailed', 412))
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409));
    expect(await store.putNew({ key: 'k', body: bytes, contentType: 'application/pdf', sha256: sha })).toBe(
      'exists',
    );
    await expect(
      store.putNew({ key: 'k', body: bytes, contentType: 'application/pdf', sha256: sha }),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('lets a refusal of the bytes through (BadDigest is a bug, not a passing fault)', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('BadDigest', 400));
    await expect(
      store.putNew({ key: 'k', body: bytes, contentType: 'application/pdf', sha256: sha }),
    ).rejects.toMatchObject({
      name: 'BadDigest',
    });
  });
});

/** A response body as the SDK gives it (the part the adapter reads). */
const body = (data: Buffer) => ({ transformToByteArray: async () => new Uint8Array(data) }) as never;

describe('readStart and get', () => {
  it('reads the first bytes with a Range', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(bytes.subarray(0, 4)) });
    expect(Buffer.from((await store.readStart('k', 4)) ?? [])).toEqual(bytes.subarray(0, 4));
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'eia-documents',
      Key: 'k',
      Range: 'bytes=0-3',
    });
  });

  it('gives an empty object as no bytes (416), and a missing one as undefined', async () => {
    s3.on(GetObjectCommand).rejectsOnce(s3Error('InvalidRange', 416)).rejectsOnce(s3Error('NoSuchKey', 404));
    expect(await store.readStart('k', 4)).toEqual(new Uint8Array());
    expect(await store.readStart('k', 4)).toBeUndefined();
  });

  it('gets the whole object', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(bytes) });
    expect(Buffer.from((await store.get('k')) ?? [])).toEqual(bytes);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'eia-documents',
      Key: 'k',
    });
  });
});

describe('helpers', () => {
  it('converts between hex and S3’s base64 checksum', () => {
    expect(hexToBase64(sha)).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect(base64ToHex(hexToBase64(sha))).toBe(sha);
    expect(base64ToHex(undefined)).toBeUndefined();
    expect(base64ToHex('AAAA')).toBeUndefined();
  });

  it('names files in Content-Disposition per RFC 6266', () => {
    expect(contentDisposition('a "b"\\c%.pdf')).toBe(
      `attachment; filename="a _b__c_.pdf"; filename*=UTF-8''a%20%22b%22%5Cc%25.pdf`,
    );
    expect(contentDisposition("it's (1)!.pdf", 'inline')).toBe(
      `inline; filename="it's (1)!.pdf"; filename*=UTF-8''it%27s%20%281%29%21.pdf`,
    );
  });

  it('maps throttling, timeouts and 5xx to 503, and leaves the rest', () => {
    expect(mapS3Error(s3Error('SlowDown', 503, 'server'))).toBeInstanceOf(ServiceUnavailableError);
    expect(mapS3Error(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(mapS3Error(Object.assign(new Error('r'), { code: 'ECONNRESET' }))).toBeInstanceOf(
      ServiceUnavailableError,
    );
    const denied = s3Error('AccessDenied', 403);
    expect(mapS3Error(denied)).toBe(denied);
  });
});
