import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { isUnreachable, ServiceUnavailableError } from './errors.ts';
import type { ObjectStore, PresignedPut, StoredObject } from './ports.ts';

/**
 * The ObjectStore port (shared/store/ports.ts) on S3, and on the local S3-compatible store behind
 * its verifying layer (local/s3/): the same calls in both places.
 *
 * Uploads are pinned by the signature, not by trust in the client: the presigned PUT signs
 * `x-amz-checksum-sha256` (the declared SHA-256), `content-length` and `content-type` as headers,
 * so S3 answers 403 SignatureDoesNotMatch when one is missing or different, and 400 BadDigest
 * when the body's SHA-256 is not the signed one. S3 then keeps that checksum with the object, and
 * HeadObject with ChecksumMode ENABLED hands it back: what `head` reports is storage's own word.
 *
 * The client must be made with requestChecksumCalculation and responseChecksumValidation
 * 'WHEN_REQUIRED' (shared/runtime/clients.ts): otherwise the SDK adds CRC32 checksums of its own
 * to the presigned PUT, which a browser cannot compute, and validates ranged reads it cannot.
 */
export function objectStore(client: S3Client, bucket: string): ObjectStore {
  return {
    async presignPut({ key, sha256, sizeBytes, contentType, expiresInSeconds }): Promise<PresignedPut> {
      const checksum = hexToBase64(sha256);
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ChecksumSHA256: checksum,
        ContentLength: sizeBytes,
        ContentType: contentType,
      });
      const signedAt = new Date();
      const url = await getSignedUrl(client, command, {
        expiresIn: expiresInSeconds,
        signingDate: signedAt,
        // Signed as headers the client must send with exactly these values, not moved into the
        // query string (where anyone could send other headers beside them).
        signableHeaders: SIGNED_PUT_HEADERS,
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      });
      return {
        url,
        method: 'PUT',
        headers: {
          'content-type': contentType,
          'content-length': String(sizeBytes),
          'x-amz-checksum-sha256': checksum,
        },
        expiresAt: new Date(signedAt.getTime() + expiresInSeconds * 1000).toISOString(),
      };
    },

    async presignGet({ key, fileName, contentType, versionId, expiresInSeconds, inline }) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(versionId !== undefined && { VersionId: versionId }),
        ResponseContentDisposition: contentDisposition(fileName, inline ? 'inline' : 'attachment'),
        ...(contentType !== undefined && { ResponseContentType: contentType }),
      });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },

    async head(key): Promise<StoredObject | undefined> {
      try {
        const out = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
        );
        const sha256 = base64ToHex(out.ChecksumSHA256);
        return {
          sizeBytes: out.ContentLength ?? 0,
          ...(sha256 !== undefined && { sha256 }),
          ...(out.ContentType !== undefined && { contentType: out.ContentType }),
          ...(out.VersionId !== undefined && out.VersionId !== 'null' && { versionId: out.VersionId }),
          ...(out.LastModified !== undefined && { lastModified: out.LastModified.toISOString() }),
        };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw mapS3Error(error);
      }
    },

    async readStart(key, bytes) {
      if (bytes <= 0) return new Uint8Array();
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
        );
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (isMissing(error)) return undefined;
        // An empty object has no byte 0: S3 answers 416 InvalidRange.
        if (statusOf(error) === 416 || nameOf(error) === 'InvalidRange') return new Uint8Array();
        throw mapS3Error(error);
      }
    },

    async putNew({ key, body, contentType, sha256 }) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ContentLength: body.byteLength,
            ChecksumSHA256: hexToBase64(sha256),
            IfNoneMatch: '*',
          }),
        );
        return 'created';
      } catch (error) {
        // 412: the key has an object. (409 ConditionalRequestConflict: another write of it is in
        // flight; a retry then finds it and answers 'exists'.)
        if (statusOf(error) === 412 || nameOf(error) === 'PreconditionFailed') return 'exists';
        throw mapS3Error(error);
      }
    },

    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw mapS3Error(error);
      }
    },
  };
}

const SIGNED_PUT_HEADERS = new Set(['content-type', 'content-length', 'x-amz-checksum-sha256']);

/** S3's x-amz-checksum-sha256: the base64 of the 32 digest bytes (not of the hex text). */
export function hexToBase64(hex: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError('sha256 must be 64 hex digits');
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * Lowercase hex of a full-object SHA-256 as S3 reports it; undefined when there is none, or when it
 * is a checksum of parts (`…-N`, a multipart upload's), which is not the file's SHA-256.
 */
export function base64ToHex(value: string | undefined): string | undefined {
  if (value === undefined || !/^[A-Za-z0-9+/]{43}=$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('hex');
}

/**
 * Content-Disposition naming the file in UTF-8 (RFC 6266 `filename*`, RFC 8187 encoding), with a
 * plain ASCII `filename` for clients that read only that (non-ASCII and quoting characters as `_`).
 */
export function contentDisposition(fileName: string, type: 'inline' | 'attachment' = 'attachment'): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

interface S3ErrorLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

const asObject = (error: unknown): S3ErrorLike | undefined =>
  typeof error === 'object' && error !== null ? (error as S3ErrorLike) : undefined;
const nameOf = (error: unknown): string => String(asObject(error)?.name ?? '');
const statusOf = (error: unknown): number => asObject(error)?.$metadata?.httpStatusCode ?? 0;

function isMissing(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/**
 * Storage's passing faults (throttling, its 5xx, timeouts, the network, a concurrent conditional
 * write) as a 503 with Retry-After; anything else unchanged (a bug or a missing grant: logged, 500).
 */
export function mapS3Error(error: unknown): unknown {
  const e = asObject(error);
  if (!e) return error;
  const status = statusOf(error);
  if (e.$retryable?.throttling === true || status === 429 || status === 503 || nameOf(error) === 'SlowDown')
    return new ServiceUnavailableError('file storage is busy; retry shortly', 1, error);
  if (status === 409 || nameOf(error) === 'ConditionalRequestConflict')
    return new ServiceUnavailableError(
      'the file is being written by another request; retry shortly',
      1,
      error,
    );
  if (isUnreachable(error))
    return new ServiceUnavailableError('file storage did not answer in time; retry shortly', 1, error);
  if (e.$fault === 'server' || status >= 500)
    return new ServiceUnavailableError('file storage had an internal error; retry shortly', 1, error);
  return error;
}
