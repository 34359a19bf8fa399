import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import {
  callerKey,
  createRateLimiter,
  PUBLIC_WRITE_RATE_LIMIT,
  type RateLimit,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimitFromEnv,
  TooManyRequestsError,
} from '../shared/http/rate-limit.ts';
import { problem as appProblem } from '../shared/http/respond.ts';
import { routes as apiRoutes, type RouteDef } from '../shared/http/routes.ts';
import { now } from '../shared/runtime/now.ts';
import { useUserDirectory } from '../shared/runtime/user-directory.ts';
import { issueDocumentsBetween } from './documents.ts';
import { buildEvent, lambdaContext, type RawRequest, splitTarget } from './event.ts';
import { deliverInboxBetween } from './inbox.ts';
import {
  defaultLocalRoutes,
  type LocalRoute,
  LocalRouteError,
  type LocalRoutes,
  toProblem,
} from './local-routes.ts';
import { matchRoute } from './match.ts';
import { json, type LocalResponse, problem } from './problem.ts';
import { isWildcard, type RequestGuard, requestGuard, requireJson } from './request-guard.ts';
import { fromHandlerResult, fromLocal, type Outgoing, readBody, send } from './response.ts';
import { type LocalIssuer, TokenRejectedError, TokenRequestError } from './tokens.ts';
import { type LocalUserDirectory, localUserDirectory } from './user-directory.ts';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface LocalServerOptions {
  /** 0: any free port (read it back from `port`). */
  readonly port: number;
  /** Loopback by default: /local/token hands out tokens to anyone who can reach it. */
  readonly host?: string;
  /**
   * More names the server answers to (`Host`), and whose `http://` origin may call it from a
   * browser, besides localhost, 127.0.0.1 and [::1] with its port (and `host` when it is no
   * loopback or wildcard address): `name` for the server's own port, `name:port` as sent.
   */
  readonly allowedHosts?: readonly string[];
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
  /**
   * The per-caller token bucket in front of the API routes (shared/http/rate-limit.ts); false: none.
   * Default: RATE_LIMIT_RPS / RATE_LIMIT_BURST from the environment, else 100 a second in bursts
   * of 1000. It keeps the handlers' time (POST /local/clock refills it) unless given `now`.
   */
  readonly rateLimit?: (RateLimit & RateLimiterOptions) | false;
  /**
   * The tighter bucket of the public write routes (POST without a token), per source address, on
   * top of `rateLimit`; PUBLIC_WRITE_RATE_LIMIT when absent; none with `rateLimit: false`.
   */
  readonly publicWriteLimit?: (RateLimit & RateLimiterOptions) | false;
  /** Answers a GET no API or local route matches (the web console, local/static.ts); undefined: 404. */
  readonly fallback?: (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
  ) => Promise<Outgoing | undefined>;
  /** The staff routes' user directory (Cognito's stand-in); default: a new one in memory, demo users. */
  readonly directory?: LocalUserDirectory;
}

export interface LocalServer {
  /** `http://localhost:PORT` (another bound address by itself: `http://127.0.0.2:PORT`), no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The address it listens on: 127.0.0.1 unless `host` said otherwise. */
  readonly address: string;
  /** The `Host` values answered and the origins allowed (./request-guard.ts). */
  readonly guard: RequestGuard;
  readonly localRoutes: LocalRoutes;
  readonly directory: LocalUserDirectory;
  close(): Promise<void>;
}

/** Ours, not API Gateway's (10 MB): enough for any JSON we take; the handlers allow 64 KB. */
const MAX_BODY_BYTES = 1024 * 1024;
const HANDLER_TIMEOUT_MS = 30_000;

/**
 * An HTTP server that does what API Gateway does in front of our functions: routes by `routes`,
 * runs the authorizer (with the local issuer), builds the payload 2.0 event (in AWS the REST API
 * sends 1.0 events, which shared/http/rest-event.ts turns into the same 2.0 event), calls
 * the same handler module Lambda would, and turns its result into the HTTP response.
 */
export async function createLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const routeTable = options.routes ?? apiRoutes;
  // The handlers of this process ask this directory instead of Cognito.
  const directory = options.directory ?? (await localUserDirectory());
  useUserDirectory(directory);
  const localRoutes: LocalRoutes = defaultLocalRoutes(options.issuer, directory);
  for (const [key, route] of options.localRoutes ?? []) localRoutes.set(key, route);
  const loaded = new Map<string, Promise<LambdaHandler>>();
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = options.handlerTimeoutMs ?? HANDLER_TIMEOUT_MS;
  const limiter = rateLimiterFor(options.rateLimit);
  const publicWriteLimiter =
    options.rateLimit === false
      ? undefined
      : rateLimiterFor(
          options.publicWriteLimit ?? { ...PUBLIC_WRITE_RATE_LIMIT, ...clockOf(options.rateLimit) },
        );

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

  // Set once the port is known (before the first request can arrive).
  let guard: RequestGuard | undefined;

  const serve = async (req: IncomingMessage, requestId: string): Promise<Outgoing> => {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    // Every answer, the console's files included, is for pages of this server only.
    const refused = guard ? guard.check(req.headers) : problem(503, 'The server is starting.');
    if (refused) {
      req.resume();
      return fromLocal(refused);
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      return fromLocal(
        problem(413, `The request body is larger than ${maxBodyBytes} bytes.`, {
          headers: { connection: 'close' },
        }),
      );
    }
    const { path, rawQueryString } = splitTarget(target);

    const localRoute = localRoutes.get(`${method} ${path}`);
    if (localRoute)
      return fromLocal(
        requireJson(req.headers, body) ?? (await runLocalRoute(localRoute, body, rawQueryString)),
      );
    const localMethods = [...localRoutes.keys()]
      .filter((k) => k.endsWith(` ${path}`))
      .map((k) => k.split(' ')[0] ?? '');
    if (localMethods.length > 0) return fromLocal(methodNotAllowed(method, path, localMethods));

    const match = matchRoute(routeTable, method, path);
    if (match.kind === 'not-found')
      return (
        (await options.fallback?.(method, path, req.headers)) ??
        fromLocal(problem(404, `No route for ${method} ${path}.`))
      );
    if (match.kind === 'method-not-allowed') return fromLocal(methodNotAllowed(method, path, match.allow));

    // Throttled after the authorizer, so that a signed-in caller has a bucket of their own; a
    // refused token counts against the source IP, like an anonymous request.
    const sourceIp = normalizeIp(req.socket.remoteAddress);
    let claims: Record<string, string> | undefined;
    if (match.route.auth) {
      const outcome = await authorize(options.issuer, req.headers.authorization);
      if (!('claims' in outcome))
        return throttle(limiter, callerKey({ sourceIp }), path) ?? fromLocal(outcome);
      claims = outcome.claims;
    }
    const throttled =
      throttle(limiter, callerKey({ sub: claims?.sub, sourceIp }), path) ??
      (method === 'POST' && !match.route.auth
        ? throttle(publicWriteLimiter, callerKey({ sourceIp }), path)
        : undefined);
    if (throttled) return throttled;
    const raw: RawRequest = {
      method,
      target,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp,
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
      return fromLocal(problem(500, `functions/${fn}/handler.ts could not be loaded; see the server log.`));
    }
    const startedAt = now().toISOString();
    let result: APIGatewayProxyResultV2;
    try {
      result = await withTimeout(handler(event, lambdaContext(fn, randomUUID(), timeoutMs)), timeoutMs);
    } catch (error) {
      if (error instanceof HandlerTimeout) {
        log(`${fn} did not answer within ${timeoutMs} ms`);
        return fromLocal(problem(503, `The function did not answer within ${timeoutMs} ms.`));
      }
      log(`${fn} threw: ${describe(error)}`);
      return fromLocal(problem(500, 'The function failed; see the server log.'));
    }
    const outgoing = fromHandlerResult(result, (warning) => log(`${fn}: ${warning}`));
    if (!outgoing) {
      log(`${fn} returned a malformed response: ${safeJson(result)}`);
      return fromLocal(problem(500, 'The function returned a malformed response; see the server log.'));
    }
    // The documents the act issued, as the outbox would have them rendered in AWS (./documents.ts),
    // before the answer: the next act on the application would otherwise collide with their
    // issue_document event (409 concurrent-change). A failure is logged; the act stands.
    if (fn === 'take-action' && outgoing.status === 200)
      await issueDocumentsBetween(startedAt, now().toISOString()).catch((error: unknown) =>
        log(`documents not issued: ${describe(error)}`),
      );
    // The notifications of a write, in the inboxes of the users they name (./inbox.ts).
    if (method !== 'GET' && outgoing.status < 300)
      await deliverInboxBetween(startedAt, now().toISOString()).catch((error: unknown) =>
        log(`inboxes not written: ${describe(error)}`),
      );
    return outgoing;
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    serve(req, requestId)
      .catch((error: unknown) => {
        log(`local server error on ${req.method} ${req.url}: ${describe(error)}`);
        return fromLocal(problem(500, 'The local server failed; see its log.'));
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

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      guard = requestGuard((server.address() as AddressInfo).port, {
        bound: host,
        ...(options.allowedHosts && { extra: options.allowedHosts }),
      });
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  // localhost reaches 127.0.0.1 and the wildcard binds; any other address is named as it is.
  const named =
    isWildcard(host) || host === '127.0.0.1' || host === 'localhost'
      ? 'localhost'
      : host.includes(':')
        ? `[${host}]`
        : host;

  // The issuer's OpenID Connect discovery document and key set, as a provider serves them (the
  // china profile's authorizer reads them; locally it is handed the key set directly).
  const reachable = isWildcard(host) ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  for (const [key, route] of oidcRoutes(options.issuer, `http://${reachable}:${port}`))
    if (!localRoutes.has(key)) localRoutes.set(key, route);

  return {
    url: `http://${named}:${port}`,
    port,
    address,
    guard: guard ?? requestGuard(port),
    localRoutes,
    directory,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open for seconds.
        server.closeAllConnections();
      }),
  };
}

/**
 * `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0: the issuer, its key set's
 * address, the signing algorithm) and `GET /.well-known/jwks.json` (the public key). The issuer
 * is the local one's identifier, not this server's address: a verifier is told where discovery is.
 */
export function oidcRoutes(issuer: LocalIssuer, base: string): [string, LocalRoute][] {
  const document = {
    issuer: issuer.issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint: `${base}/local/token`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(issuer.jwks.keys.map((k) => k.alg ?? 'ES256'))],
  };
  return [
    ['GET /.well-known/openid-configuration', () => json(200, document)],
    ['GET /.well-known/jwks.json', () => json(200, issuer.jwks)],
  ];
}

/** The clock a configured limit runs on, for the public write bucket to share it. */
function clockOf(option: LocalServerOptions['rateLimit']): Pick<RateLimiterOptions, 'now'> {
  const clock = option ? option.now : undefined;
  return clock ? { now: clock } : {};
}

function rateLimiterFor(option: LocalServerOptions['rateLimit']): RateLimiter | undefined {
  if (option === false) return undefined;
  const chosen: RateLimit & RateLimiterOptions = option ?? rateLimitFromEnv(process.env);
  const { now: clock, maxCallers, ...limit } = chosen;
  return createRateLimiter(limit, {
    now: clock ?? (() => now().getTime()),
    ...(maxCallers !== undefined && { maxCallers }),
  });
}

/** 429 problem+json with Retry-After when the caller's bucket is empty; undefined: go on. */
function throttle(limiter: RateLimiter | undefined, caller: string, path: string): Outgoing | undefined {
  const decision = limiter?.take(caller);
  if (!limiter || !decision || decision.allowed) return undefined;
  const result = appProblem(new TooManyRequestsError(limiter.limit, decision.retryAfterSeconds), path);
  return fromLocal({ status: result.statusCode, headers: result.headers, body: result.body });
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

/** What API Gateway's authorizer decides; it answers 401 itself, without calling the function. */
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
