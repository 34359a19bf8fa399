/**
 * The pure parts of the local store's verifying layer (local/s3/): SigV4 as S3 checks it (the
 * SDK's own signing must pass it, and any change to what was signed must not), CORS as the
 * documents bucket's rule gives it, and S3's XML error bodies.
 */
import { createHash, createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { CORS_ALLOWED_HEADERS, corsHeaders, corsRules, preflight } from '../../../local/s3/cors.ts';
import { errorXml, S3Failure } from '../../../local/s3/errors.ts';
import { type SignedRequest, verifySignature } from '../../../local/s3/sigv4.ts';
import { objectStore } from '../../../shared/store/object-store.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const keys = [credentials];
const client = new S3Client({
  region: 'cn-north-1',
  endpoint: 'http://127.0.0.1:4569',
  forcePathStyle: true,
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const store = objectStore(client, 'docs-bucket');
const SHA = createHash('sha256').update('hello').digest('hex');
const SHA_B64 = Buffer.from(SHA, 'hex').toString('base64');

/** What a client sends with a presigned PUT of the adapter, as the layer sees it. */
async function presignedPut(at: Date = new Date(), expiresInSeconds = 900) {
  const put = await store.presignPut({
    key: 'materials/app 1/环评.pdf',
    sha256: SHA,
    sizeBytes: 5,
    contentType: 'application/pdf',
    expiresInSeconds,
  });
  const url = new URL(put.url);
  const request: SignedRequest = {
    method: 'PUT',
    path: url.pathname,
    query: url.search.slice(1),
    headers: {
      host: [url.host],
      ...Object.fromEntries(Object.entries(put.headers).map(([k, v]) => [k, [v]])),
    },
  };
  return { put, url, request, at };
}

function failure(run: () => unknown): S3Failure {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Failure) return error;
    throw error;
  }
  throw new Error('no failure');
}

describe('presigned URLs (query signature)', () => {
  it('accepts exactly what the adapter presigned, sent as it says', async () => {
    const { request } = await presignedPut();
    const verified = verifySignature(request, keys, new Date());
    expect(verified).toMatchObject({ mode: 'query', payloadHash: 'UNSIGNED-PAYLOAD', accessKeyId: 'local' });
    expect(verified.signedHeaders).toEqual([
      'content-length',
      'content-type',
      'host',
      'x-amz-checksum-sha256',
    ]);
  });

  it.each([
    ['another checksum', { 'x-amz-checksum-sha256': [Buffer.alloc(32, 1).toString('base64')] }],
    ['another length', { 'content-length': ['6'] }],
    ['another type', { 'content-type': ['application/zip'] }],
    ['another host', { host: ['127.0.0.1:9999'] }],
  ])('refuses %s (SignatureDoesNotMatch)', async (_name, change) => {
    const { request } = await presignedPut();
    const f = failure(() =>
      verifySignature({ ...request, headers: { ...request.headers, ...change } }, keys, new Date()),
    );
    expect([f.status, f.code]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses a request without a signed header', async () => {
    const { request } = await presignedPut();
    const { 'x-amz-checksum-sha256': _gone, ...headers } = request.headers;
    const f = failure(() => verifySignature({ ...request, headers }, keys, new Date()));
    expect(f.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses another path, method or query value', async () => {
    const { request } = await presignedPut();
    for (const changed of [
      { ...request, path: `${request.path}x` },
      { ...request, method: 'GET' },
      { ...request, query: request.query.replace('X-Amz-Expires=900', 'X-Amz-Expires=901') },
      { ...request, query: `${request.query}&extra=1` },
    ]) {
      expect(failure(() => verifySignature(changed, keys, new Date())).code).toBe('SignatureDoesNotMatch');
    }
  });

  it('refuses a tampered signature', async () => {
    const { request } = await presignedPut();
    const query = request.query.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect(failure(() => verifySignature({ ...request, query }, keys, new Date())).code).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('refuses it once expired, with S3’s words', async () => {
    const { request } = await presignedPut(new Date(), 60);
    expect(() => verifySignature(request, keys, new Date(Date.now() + 59_000))).not.toThrow();
    const f = failure(() => verifySignature(request, keys, new Date(Date.now() + 61_000)));
    expect([f.status, f.code, f.message]).toEqual([403, 'AccessDenied', 'Request has expired']);
  });

  it('refuses an unsigned x-amz-* header beside the URL', async () => {
    const { request } = await presignedPut();
    const f = failure(() =>
      verifySignature(
        { ...request, headers: { ...request.headers, 'x-amz-meta-a': ['b'] } },
        keys,
        new Date(),
      ),
    );
    expect([f.status, f.code, f.extra.HeadersNotSigned]).toEqual([403, 'AccessDenied', 'x-amz-meta-a']);
  });

  it('refuses an unknown access key, an anonymous request, and a week-long expiry', async () => {
    const { request } = await presignedPut();
    expect(
      failure(() => verifySignature(request, [{ accessKeyId: 'other', secretAccessKey: 'x' }], new Date()))
        .code,
    ).toBe('InvalidAccessKeyId');
    expect(failure(() => verifySignature({ ...request, query: '' }, keys, new Date())).code).toBe(
      'AccessDenied',
    );
    const weekLong = {
      ...request,
      query: request.query.replace('X-Amz-Expires=900', 'X-Amz-Expires=604801'),
    };
    const f = failure(() => verifySignature(weekLong, keys, new Date()));
    expect(f.code).toBe('AuthorizationQueryParametersError');
  });
});

/** Node's SHA-256 (and HMAC) in the shape the SDK's signer takes. */
class NodeSha256 {
  private hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

describe('header-signed requests (Authorization)', () => {
  const signer = new SignatureV4({
    credentials,
    region: 'cn-north-1',
    service: 's3',
    sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]['sha256'],
    uriEscapePath: false,
  });

  async function signed(body: string, at = new Date()) {
    const hash = createHash('sha256').update(body).digest('hex');
    const request = await signer.sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 4569,
        path: '/docs-bucket/documents/a/b.pdf',
        query: {},
        headers: {
          host: '127.0.0.1:4569',
          'content-type': 'application/pdf',
          'content-length': String(body.length),
          'x-amz-content-sha256': hash,
          'x-amz-checksum-sha256': SHA_B64,
          'if-none-match': '*',
        },
        body,
      },
      { signingDate: at },
    );
    return {
      method: 'PUT',
      path: '/docs-bucket/documents/a/b.pdf',
      query: '',
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), [v]])),
    } satisfies SignedRequest;
  }

  it('accepts the SDK signer’s request and reports its payload hash', async () => {
    const request = await signed('hello');
    const verified = verifySignature(request, keys, new Date());
    expect(verified.mode).toBe('header');
    expect(verified.payloadHash).toBe(SHA);
    expect(verified.signedHeaders).toContain('if-none-match');
  });

  it('refuses a changed signed header and a clock more than 15 minutes away', async () => {
    const request = await signed('hello');
    expect(
      failure(() =>
        verifySignature(
          { ...request, headers: { ...request.headers, 'if-none-match': ['"etag"'] } },
          keys,
          new Date(),
        ),
      ).code,
    ).toBe('SignatureDoesNotMatch');
    const old = await signed('hello', new Date(Date.now() - 16 * 60_000));
    expect(failure(() => verifySignature(old, keys, new Date())).code).toBe('RequestTimeTooSkewed');
  });

  it('refuses a request without x-amz-content-sha256 and a malformed Authorization', async () => {
    const request = await signed('hello');
    const { 'x-amz-content-sha256': _gone, ...headers } = request.headers;
    expect(failure(() => verifySignature({ ...request, headers }, keys, new Date())).code).toBe(
      'InvalidRequest',
    );
    expect(
      failure(() =>
        verifySignature(
          { ...request, headers: { ...request.headers, authorization: ['AWS abc:def'] } },
          keys,
          new Date(),
        ),
      ).code,
    ).toBe('AuthorizationHeaderMalformed');
  });
});

describe('CORS rules', () => {
  const rules = corsRules(['http://localhost:3000']);

  it('answer the console’s preflight for the presigned PUT', () => {
    const headers = preflight(
      {
        origin: 'http://localhost:3000',
        method: 'PUT',
        requestHeaders: 'Content-Type, X-Amz-Checksum-Sha256',
      },
      rules,
    );
    expect(headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(headers['access-control-allow-headers']).toBe('content-type, x-amz-checksum-sha256');
    expect(headers['access-control-expose-headers']).toBe('ETag, Content-Disposition');
    expect(headers['access-control-allow-credentials']).toBe('true');
  });

  it.each([
    [{ origin: 'http://evil.test', method: 'PUT', requestHeaders: 'content-type' }, 403, 'AccessForbidden'],
    [
      { origin: 'http://evil.test', method: 'GET', requestHeaders: 'x-amz-checksum-sha256' },
      403,
      'AccessForbidden',
    ],
    [
      { origin: 'http://localhost:3000', method: 'DELETE', requestHeaders: undefined },
      403,
      'AccessForbidden',
    ],
    [{ origin: 'http://localhost:3000', method: 'PUT', requestHeaders: 'x-amz-acl' }, 403, 'AccessForbidden'],
    [{ origin: undefined, method: 'PUT', requestHeaders: undefined }, 400, 'BadRequest'],
  ])('refuse %o', (request, status, code) => {
    const f = failure(() => preflight(request, rules));
    expect([f.status, f.code]).toEqual([status, code]);
  });

  it('let the console upload, and anyone read with a presigned GET (also Origin: null after a redirect)', () => {
    expect(corsHeaders('http://localhost:3000', 'PUT', rules)['access-control-allow-origin']).toBe(
      'http://localhost:3000',
    );
    expect(corsHeaders('http://evil.test', 'PUT', rules)).toEqual({});
    expect(corsHeaders('null', 'GET', rules)['access-control-allow-origin']).toBe('*');
    expect(corsHeaders('null', 'GET', rules)['access-control-allow-credentials']).toBeUndefined();
    expect(corsHeaders(undefined, 'PUT', rules)).toEqual({});
    expect(CORS_ALLOWED_HEADERS).toContain('content-type');
  });
});

describe('error bodies', () => {
  it('are S3’s XML, escaped', () => {
    const xml = errorXml(new S3Failure(400, 'BadDigest', 'a <b> & "c"', { Extra: 'x' }), '/b/k', 'REQ1');
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>BadDigest</Code><Message>a &#60;b&#62; &#38; &#34;c&#34;</Message><Extra>x</Extra><Resource>/b/k</Resource><RequestId>REQ1</RequestId></Error>',
    );
  });
});
