import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { corsHeaders, corsRules, preflight } from './cors.ts';
import { errorXml, S3Failure } from './errors.ts';
import { type Credentials, parseQuery, verifySignature } from './sigv4.ts';

/**
 * The local store's front door, standing in for what S3 checks before it stores or serves a byte
 * (as local/server.ts stands in for API Gateway). The S3-compatible server behind it (s3rver)
 * stores and serves; it checks no signature, no checksum and no condition, so this layer does,
 * over what was actually sent:
 *
 * - Signature Version 4, header-signed and presigned (sigv4.ts): every signed header present with
 *   the signed value, X-Amz-Expires enforced, no unsigned x-amz-* header on a presigned URL,
 *   anonymous requests refused;
 * - the body: its length against Content-Length, its SHA-256 against a hex x-amz-content-sha256
 *   and against x-amz-checksum-sha256 (400 BadDigest), before the server sees any of it;
 * - the checksum kept with the object and returned by HEAD/GET with x-amz-checksum-mode: ENABLED;
 * - PUT with If-None-Match: * on an existing key: 412;
 * - CORS as the bucket's rules give it (cors.ts): uploads from the console's origin only;
 * - response-* overrides of a signed GET (Content-Disposition…), applied here.
 * Refusals are S3's codes with XML bodies, so the SDK raises the same named errors as against S3.
 */

export interface VerifyingLayerOptions {
  /** Where the S3-compatible server listens (loopback). */
  readonly upstream: { readonly host: string; readonly port: number };
  readonly credentials: readonly Credentials[];
  /** The console's origins: the only ones CORS allows to upload. */
  readonly origins?: readonly string[];
  /** Large bodies are held here while they are checked (removed after). */
  readonly spoolDir: string;
  readonly now?: () => Date;
}

export interface VerifyingLayer {
  readonly server: Server;
  setOrigins(origins: readonly string[]): void;
}

/** The object metadata under which the checked SHA-256 is kept on the server behind. */
export const CHECKSUM_META = 'x-amz-meta-local-checksum-sha256';
/** S3's limit for one PUT. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;
/** Bodies up to this size are held in memory while checked; larger ones in a spool file. */
const MEMORY_BODY_BYTES = 16 * 1024 ** 2;

/** Query parameters of the signature and the SDK, not for the server behind. */
const AUTH_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
  'x-id',
]);
const OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};
/** Request headers not passed on: the signature's, the checks', the connection's. */
const DROPPED_REQUEST_HEADERS = new Set([
  'authorization',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'expect',
  'origin',
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-security-token',
  'x-amz-sdk-checksum-algorithm',
  'x-amz-checksum-mode',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  CHECKSUM_META,
]);
const CHECKSUM_HEADERS = [
  'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c',
  'x-amz-checksum-crc64nvme',
  'x-amz-checksum-sha1',
];

export function createVerifyingLayer(options: VerifyingLayerOptions): VerifyingLayer {
  let rules = corsRules(options.origins ?? []);
  const now = options.now ?? (() => new Date());
  /** Writes of one key, one at a time: If-None-Match is checked and the PUT made without a gap. */
  const keyLocks = new Map<string, Promise<unknown>>();

  const server = createServer((req, res) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    handle(req, res).catch(async (error: unknown) => {
      const failure =
        error instanceof S3Failure
          ? error
          : new S3Failure(
              500,
              'InternalError',
              `We encountered an internal error. Please try again. (${String(error)})`,
            );
      const origin = req.headers.origin;
      const cors = req.method === 'OPTIONS' ? {} : corsHeaders(origin, req.method ?? '', rules);
      // A refused body is read and dropped (a little of it: then the connection is closed), so
      // that the client sees the answer rather than a reset.
      if (!req.complete) await drain(req, DRAIN_MS);
      sendError(res, failure, pathOf(req.url ?? '/'), requestId, cors);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const [path = '/', query = ''] = splitTarget(req.url ?? '/');
    const headers = headerLists(req);
    const origin = first(headers.origin);

    if (method === 'OPTIONS') {
      const allowed = preflight(
        {
          origin,
          method: first(headers['access-control-request-method']),
          requestHeaders: first(headers['access-control-request-headers']),
        },
        rules,
      );
      res.writeHead(200, allowed).end();
      return;
    }
    const cors = corsHeaders(origin, method, rules);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);

    const verified = verifySignature({ method, path, query, headers }, options.credentials, now());
    const params = parseQuery(query);
    const [bucket, ...keyParts] = path.replace(/^\//, '').split('/');
    const key = keyParts.join('/');
    const objectPut = method === 'PUT' && key !== '' && !params.some(([n]) => SUBRESOURCES.has(n));

    if (verified.payloadHash.startsWith('STREAMING-'))
      throw new S3Failure(
        501,
        'NotImplemented',
        'The local store takes no aws-chunked (streaming) bodies; send the body with its Content-Length.',
      );
    const declared = first(headers['content-length']);
    const chunked = headers['transfer-encoding'] !== undefined;
    if (method === 'PUT' && declared === undefined)
      throw new S3Failure(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    const length = declared === undefined ? 0 : Number(declared);
    if (length > MAX_PUT_BYTES)
      throw new S3Failure(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
        ProposedSize: String(length),
        MaxSizeAllowed: String(MAX_PUT_BYTES),
      });
    for (const name of CHECKSUM_HEADERS) {
      if (headers[name] !== undefined)
        throw new S3Failure(
          501,
          'NotImplemented',
          `The local store checks only x-amz-checksum-sha256, not ${name}.`,
        );
    }
    const checksum = first(headers['x-amz-checksum-sha256']);
    if (checksum !== undefined && !/^[A-Za-z0-9+/]{43}=$/.test(checksum))
      throw new S3Failure(400, 'InvalidRequest', 'Value for x-amz-checksum-sha256 header is invalid.');
    const ifNoneMatch = first(headers['if-none-match']);
    if (objectPut && ifNoneMatch !== undefined && ifNoneMatch !== '*')
      throw new S3Failure(
        501,
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
        {
          Header: 'If-None-Match',
        },
      );

    const body = await readBody(req, chunked ? undefined : length, options.spoolDir);
    try {
      if (/^[0-9a-f]{64}$/.test(verified.payloadHash) && verified.payloadHash !== body.sha256Hex)
        throw new S3Failure(
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
          {
            ClientComputedContentSHA256: verified.payloadHash,
            S3ComputedContentSHA256: body.sha256Hex,
          },
        );
      const computed = Buffer.from(body.sha256Hex, 'hex').toString('base64');
      if (checksum !== undefined && checksum !== computed)
        throw new S3Failure(
          400,
          'BadDigest',
          'The SHA256 you specified did not match the calculated checksum.',
        );

      const forwardHeaders = upstreamHeaders(headers, method === 'PUT');
      if (objectPut && checksum !== undefined) forwardHeaders[CHECKSUM_META] = checksum;
      forwardHeaders['content-length'] = String(body.size);
      const upstreamPath = `${path}${upstreamQuery(params)}`;

      const send = () =>
        forward(method, upstreamPath, forwardHeaders, body, (upstream) => {
          const out = responseHeaders(upstream, {
            checksumMode: first(headers['x-amz-checksum-mode'])?.toUpperCase() === 'ENABLED',
            ranged: headers.range !== undefined,
            overrides:
              (method === 'GET' || method === 'HEAD') && (upstream.statusCode ?? 500) < 300 ? params : [],
          });
          if (objectPut && checksum !== undefined && (upstream.statusCode ?? 500) < 300)
            out['x-amz-checksum-sha256'] = checksum;
          res.writeHead(upstream.statusCode ?? 502, {
            ...out,
            ...cors,
            'x-amz-request-id': res.getHeader('x-amz-request-id') as string,
          });
          return pipeline(upstream, res);
        });

      // s3rver answers a Range GET of an empty object with a body shorter than it announces; S3
      // answers 416.
      if (method === 'GET' && key !== '' && headers.range !== undefined) {
        const found = await probe(path);
        if (found.status === 200 && found.length === 0)
          throw new S3Failure(416, 'InvalidRange', 'The requested range is not satisfiable', {
            RangeRequested: first(headers.range) ?? '',
            ActualObjectSize: '0',
          });
      }
      if (!objectPut) return await send();
      await withLock(`${bucket}/${key}`, async () => {
        if (ifNoneMatch === '*' && (await probe(path)).status === 200)
          throw new S3Failure(
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
            {
              Condition: 'If-None-Match',
            },
          );
        await send();
      });
    } finally {
      await body.dispose();
    }
  }

  async function withLock(name: string, run: () => Promise<void>): Promise<void> {
    const before = keyLocks.get(name) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(run);
    keyLocks.set(name, mine);
    try {
      await mine;
    } finally {
      if (keyLocks.get(name) === mine) keyLocks.delete(name);
    }
  }

  /** HEAD of the object on the server behind: its status and length. */
  function probe(path: string): Promise<{ status: number; length: number }> {
    return new Promise((resolve, reject) => {
      const head = httpRequest(
        { host: options.upstream.host, port: options.upstream.port, method: 'HEAD', path },
        (answer) => {
          answer.resume();
          resolve({ status: answer.statusCode ?? 0, length: Number(answer.headers['content-length'] ?? -1) });
        },
      );
      head.once('error', reject);
      head.end();
    });
  }

  function forward(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: Body,
    onResponse: (upstream: IncomingMessage) => Promise<void>,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: options.upstream.host, port: options.upstream.port, method, path, headers },
        (upstream) => {
          onResponse(upstream).then(resolve, reject);
        },
      );
      out.once('error', reject);
      pipeline(body.stream(), out).catch(reject);
    });
  }

  return {
    server,
    setOrigins(next) {
      rules = corsRules(next);
    },
  };
}

/** Query parameters that make a PUT something other than storing an object. */
const SUBRESOURCES = new Set([
  'acl',
  'tagging',
  'uploadId',
  'partNumber',
  'retention',
  'legal-hold',
  'cors',
  'versioning',
  'policy',
  'lifecycle',
]);

interface Body {
  readonly size: number;
  readonly sha256Hex: string;
  stream(): Readable;
  dispose(): Promise<void>;
}

/**
 * The whole body, counted and hashed, held in memory or (when large) in a spool file. A body that
 * ends before its Content-Length (the client gave up) is refused.
 */
async function readBody(req: IncomingMessage, declared: number | undefined, spoolDir: string): Promise<Body> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  let file: { path: string; out: WriteStream } | undefined;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      hash.update(chunk);
      if (size > MAX_PUT_BYTES)
        throw new S3Failure(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      if (!file && size > MEMORY_BODY_BYTES) {
        await mkdir(spoolDir, { recursive: true });
        const path = join(spoolDir, `${randomBytes(8).toString('hex')}.part`);
        file = { path, out: createWriteStream(path) };
        for (const held of chunks.splice(0)) await write(file.out, held);
      }
      if (file) await write(file.out, chunk);
      else chunks.push(chunk);
    }
    if (file)
      await new Promise<void>((resolve, reject) =>
        file?.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
  } catch (error) {
    file?.out.destroy();
    if (file) await rm(file.path, { force: true });
    throw error;
  }
  if (!req.complete || (declared !== undefined && size !== declared)) {
    if (file) await rm(file.path, { force: true });
    throw new S3Failure(
      400,
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  }
  const spooled = file?.path;
  return {
    size,
    sha256Hex: hash.digest('hex'),
    stream: () => (spooled ? createReadStream(spooled) : Readable.from(chunks)),
    dispose: async () => {
      if (spooled) await rm(spooled, { force: true });
    },
  };
}

/** How long a refused request's body is read before the connection is closed on it. */
const DRAIN_MS = 2_000;

function drain(req: IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

function write(out: WriteStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
}

function upstreamHeaders(headers: Record<string, string[]>, put: boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, values] of Object.entries(headers)) {
    if (DROPPED_REQUEST_HEADERS.has(name) || name.startsWith('x-amz-checksum-')) continue;
    if (put && name === 'if-none-match') continue;
    if (name.startsWith('access-control-') || name.startsWith('sec-')) continue;
    out[name] = values.join(', ');
  }
  return out;
}

function upstreamQuery(params: readonly (readonly [string, string])[]): string {
  const kept = params.filter(([name]) => !AUTH_PARAMS.has(name) && !(name in OVERRIDES));
  if (kept.length === 0) return '';
  return `?${kept.map(([n, v]) => (v === '' ? encodeURIComponent(n) : `${encodeURIComponent(n)}=${encodeURIComponent(v)}`)).join('&')}`;
}

function responseHeaders(
  upstream: IncomingMessage,
  options: { checksumMode: boolean; ranged: boolean; overrides: readonly (readonly [string, string])[] },
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value === undefined || name === CHECKSUM_META || name.startsWith('access-control-')) continue;
    if (name === 'vary' || name === 'x-amz-request-id' || name === 'connection' || name === 'keep-alive')
      continue;
    out[name] = value;
  }
  const kept = upstream.headers[CHECKSUM_META];
  if (options.checksumMode && !options.ranged && typeof kept === 'string') {
    out['x-amz-checksum-sha256'] = kept;
    out['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  for (const [name, value] of options.overrides) {
    const header = OVERRIDES[name];
    if (header !== undefined) out[header] = value;
  }
  return out;
}

function sendError(
  res: ServerResponse,
  failure: S3Failure,
  resource: string,
  requestId: string,
  cors: Record<string, string>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorXml(failure, resource, requestId);
  res.writeHead(failure.status, {
    ...cors,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    // The rest of an unread body is not waited for.
    connection: 'close',
  });
  res.end(body);
}

/** Every header as sent, lower-case names, each value separately (from rawHeaders). */
function headerLists(req: IncomingMessage): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const list = lists[name] ?? [];
    list.push(req.rawHeaders[i + 1] as string);
    lists[name] = list;
  }
  return lists;
}

function splitTarget(target: string): [string, string] {
  const at = target.indexOf('?');
  return at < 0 ? [target, ''] : [target.slice(0, at), target.slice(at + 1)];
}

function pathOf(target: string): string {
  return splitTarget(target)[0];
}

function first(values: readonly string[] | undefined): string | undefined {
  return values?.[0];
}
