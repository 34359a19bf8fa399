// @ts-nocheck
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalResponse } from './problem.ts';

/** An HTTP response about to be written, from a handler's result or the server itself. */
export interface Outgoing {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * Payload 2.0 responses: a structured result is used as it is; any other value means 200 with
 * that value as JSON (a string is taken as the body). `multiValueHeaders` belongs to payload 1.0
 * and API Gateway ignores it here, so we ignore it too (with a warning) rather than hide a bug.
 */
export function fromHandlerResult(result: unknown, warn: (message: string) => void): Outgoing | undefined {
  if (typeof result === 'string') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(result),
    };
  }
  if (typeof result !== 'object' || result === null) return undefined;
  if (!('statusCode' in result)) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(JSON.stringify(result)),
    };
  }
  const r = result as Record<string, unknown>;
  const status = r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return undefined;
  if ('multiValueHeaders' in r) warn('multiValueHeaders is ignored by API Gateway with payload format 2.0');
  const headers: Record<string, string> = {};
  if (r.headers !== undefined) {
    if (typeof r.headers !== 'object' || r.headers === null) return undefined;
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return undefined;
      headers[name.toLowerCase()] = String(value);
    }
  }
  const cookies = r.cookies ?? [];
  if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) return undefined;
  const body = r.body ?? '';
  if (typeof body !== 'string') return undefined;
  return {
    status,
    headers,
    cookies,
    body: r.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
  };
}

export function fromLocal(response: LocalResponse): Outgoing {
  return {
    status: response.status,
    headers: response.headers,
    cookies: [],
    body: Buffer.from(response.body),
  };
}

export function send(res: ServerResponse, outgoing: Outgoing): void {
  res.statusCode = outgoing.status;
  for (const [name, value] of Object.entries(outgoing.headers)) res.setHeader(name, value);
  if (outgoing.cookies.length > 0) res.setHeader('set-cookie', [...outgoing.cookies]);
  res.end(outgoing.body);
}

/** The body, or 'too-large' as soon as it exceeds `limit` (the rest is read and dropped). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    if (declared > limit) {
      // Drain and drop what the client still sends, so that it gets to read our 413.
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
