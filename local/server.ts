import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { routes as apiRoutes, type RouteDef } from '../shared/http/routes.ts';
import { buildEvent, lambdaContext, type RawRequest, splitTarget } from './event.ts';
import {
  defaultLocalRoutes,
  type LocalRoute,
  LocalRouteError,
  type LocalRoutes,
  toProblem,
} from './local-routes.ts';
import { matchRoute } from './match.ts';
import { type LocalResponse, problem } from './problem.ts';
import { type LocalIssuer, TokenRejectedError, TokenRequestError } from './tokens.ts';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface LocalServerOptions {
  /** 0: any free port (read it back from `port`). */
  readonly port: number;
  /** Loopback by default: /local/token hands out tokens to anyone who can reach it. */
  readonly host?: string;
  readonly issuer: LocalIssuer;
  /** Handlers by function name, used instead of importing functions/<fn>/handler.ts. */
  readonly handlers?: Readonly<Record<string, LambdaHandler>>;
  readonly routes?: readonly RouteDef[];
  /** Extra local-only routes, `METHOD /path` → route; also settable later on `localRoutes`. */
  readonly localRoutes?: Iterable<readonly [string, LocalRoute]>;
  /** No per-request log line (errors are still logged). */
  readonly quiet?: boolean;
  readonly log?: (line: string) => void;
  /** API Gateway gives up on an integration after 30 s. */
  readonly handlerTimeoutMs?: number;
  readonly maxBodyBytes?: number;
}

export interface LocalServer {
  /** `http://localhost:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly localRoutes: LocalRoutes;
  close(): Promise<void>;
}

/** Ours, not API Gateway's (10 MB): enough for any JSON we take; the handlers allow 64 KB. */
const MAX_BODY_BYTES = 1024 * 1024;
const HANDLER_TIMEOUT_MS = 30_000;

interface Outgoing {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * An HTTP server that does what API Gateway HTTP API does in front of our functions: routes by
 * `routes`, runs the JWT authorizer (with the local issuer), builds the payload 2.0 event, calls
 * the same handler module Lambda would, and turns its result into the HTTP response.
 */
export async function createLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const routeTable = options.routes ?? apiRoutes;
  const localRoutes: LocalRoutes = defaultLocalRoutes(options.issuer);
  for (const [key, route] of options.localRoutes ?? []) localRoutes.set(key, route);
  const loaded = new Map<string, Promise<LambdaHandler>>();
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = options.handlerTimeoutMs ?? HANDLER_TIMEOUT_MS;

  // Imported on first use, so that start-up has set the environment the modules read.
  const handlerFor = (fn: string): Promise<LambdaHandler> => {
    const injected = options.handlers?.[fn];
    if (injected) return Promise.resolve(injected);
    let pending = loaded.get(fn);
    if (!pending) {
      pending = importHandler(fn);
      // Forget a failed import so that the next request tries again (the file may be new).
      pending.catch(() => loaded.delete(fn));
      loaded.set(fn, pending);
    }
    return pending;
  };

  const serve = async (req: IncomingMessage, requestId: string): Promise<Outgoing> => {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      return local(
        problem(413, `The request body is larger than ${maxBodyBytes} bytes.`, {
          headers: { connection: 'close' },
        }),
      );
    }
    const { path, rawQueryString } = splitTarget(target);

    const localRoute = localRoutes.get(`${method} ${path}`);
    if (localRoute) return local(await runLocalRoute(localRoute, body, rawQueryString));
    const localMethods = [...localRoutes.keys()]
      .filter((k) => k.endsWith(` ${path}`))
      .map((k) => k.split(' ')[0] ?? '');
    if (localMethods.length > 0) return local(methodNotAllowed(method, path, localMethods));

    const match = matchRoute(routeTable, method, path);
    if (match.kind === 'not-found') return local(problem(404, `No route for ${method} ${path}.`));
    if (match.kind === 'method-not-allowed') return local(methodNotAllowed(method, path, match.allow));

    let claims: Record<string, string> | undefined;
    if (match.route.auth) {
      const outcome = await authorize(options.issuer, req.headers.authorization);
      if (!('claims' in outcome)) return local(outcome);
      claims = outcome.claims;
    }
    const raw: RawRequest = {
      method,
      target,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: normalizeIp(req.socket.remoteAddress),
      httpVersion: req.httpVersion,
      localPort: req.socket.localPort ?? 0,
    };
    const event = buildEvent({
      request: raw,
      route: match.route,
      pathParameters: match.pathParameters,
      ...(claims && { claims }),
      requestId,
      at: new Date(),
    });
    const fn = match.route.fn;
    let handler: LambdaHandler;
    try {
      handler = await handlerFor(fn);
    } catch (error) {
      log(`functions/${fn}/handler.ts could not be loaded: ${describe(error)}`);
      return local(problem(500, `functions/${fn}/handler.ts could not be loaded; see the server log.`));
    }
    let result: APIGatewayProxyResultV2;
    try {
      result = await withTimeout(handler(event, lambdaContext(fn, randomUUID(), timeoutMs)), timeoutMs);
    } catch (error) {
      if (error instanceof HandlerTimeout) {
        log(`${fn} did not answer within ${timeoutMs} ms`);
        return local(problem(503, `The function did not answer within ${timeoutMs} ms.`));
      }
      log(`${fn} threw: ${describe(error)}`);
      return local(problem(500, 'The function failed; see the server log.'));
    }
    const outgoing = fromHandlerResult(result, (warning) => log(`${fn}: ${warning}`));
    if (!outgoing) {
      log(`${fn} returned a malformed response: ${safeJson(result)}`);
      return local(problem(500, 'The function returned a malformed response; see the server log.'));
    }
    return outgoing;
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    serve(req, requestId)
      .catch((error: unknown) => {
        log(`local server error on ${req.method} ${req.url}: ${describe(error)}`);
        return local(problem(500, 'The local server failed; see its log.'));
      })
      .then((outgoing) => {
        // API Gateway names the request on every answer, its own 401/404s included.
        send(res, { ...outgoing, headers: { ...outgoing.headers, 'apigw-requestid': requestId } });
        if (!options.quiet) {
          const ms = Math.round(performance.now() - started);
          log(`${req.method} ${splitTarget(req.url ?? '/').path} ${outgoing.status} ${ms}ms`);
        }
      })
      .catch((error: unknown) => log(`could not send the response: ${describe(error)}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://localhost:${port}`,
    port,
    localRoutes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open for seconds.
        server.closeAllConnections();
      }),
  };
}

async function importHandler(fn: string): Promise<LambdaHandler> {
  const module: unknown = await import(new URL(`../functions/${fn}/handler.ts`, import.meta.url).href);
  if (
    typeof module === 'object' &&
    module !== null &&
    'handler' in module &&
    typeof module.handler === 'function'
  ) {
    return module.handler as LambdaHandler;
  }
  throw new Error(`functions/${fn}/handler.ts does not export a function named handler`);
}

/** What API Gateway's JWT authorizer decides; it answers 401 itself, without calling the function. */
async function authorize(
  issuer: LocalIssuer,
  authorization: string | undefined,
): Promise<{ claims: Record<string, string> } | LocalResponse> {
  const unauthorized = (detail: string) =>
    problem(401, detail, { headers: { 'www-authenticate': 'Bearer' } });
  // The authorizer takes the header's value with or without the `Bearer ` prefix.
  const token = authorization?.replace(/^Bearer\s+/i, '').trim();
  if (!token)
    return unauthorized(
      'No bearer token: send Authorization: Bearer <token> (POST /local/token issues one).',
    );
  try {
    return { claims: await issuer.verify(token) };
  } catch (error) {
    if (error instanceof TokenRejectedError) return unauthorized(`The token was refused: ${error.message}.`);
    throw error;
  }
}

async function runLocalRoute(
  route: LocalRoute,
  body: Buffer,
  rawQueryString: string,
): Promise<LocalResponse> {
  let parsed: unknown;
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return problem(400, 'The body is not valid JSON.', { fields: { field: 'body' } });
    }
  }
  try {
    return await route({ body: parsed, query: new URLSearchParams(rawQueryString) });
  } catch (error) {
    if (error instanceof LocalRouteError || error instanceof TokenRequestError) return toProblem(error);
    throw error;
  }
}

function methodNotAllowed(method: string, path: string, allow: readonly string[]): LocalResponse {
  return problem(405, `${method} is not allowed on ${path}; allowed: ${allow.join(', ')}.`, {
    headers: { allow: allow.join(', ') },
  });
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

function local(response: LocalResponse): Outgoing {
  return {
    status: response.status,
    headers: response.headers,
    cookies: [],
    body: Buffer.from(response.body),
  };
}

function send(res: ServerResponse, outgoing: Outgoing): void {
  res.statusCode = outgoing.status;
  for (const [name, value] of Object.entries(outgoing.headers)) res.setHeader(name, value);
  if (outgoing.cookies.length > 0) res.setHeader('set-cookie', [...outgoing.cookies]);
  res.end(outgoing.body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
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

class HandlerTimeout extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** API Gateway reports IPv4 clients as plain dotted quads. */
function normalizeIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
