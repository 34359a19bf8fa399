import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { type LocalResponse, problem } from './problem.ts';

/**
 * What keeps a web page from using the local server through the developer's browser. The server
 * hands out tokens (POST /local/token) and moves the clock to anyone who reaches it, so:
 *
 * - it answers only requests addressed to one of its own names (`Host`): loopback by name or
 *   address with its port, plus the names it is told. A page on another site that gets its
 *   domain to resolve to 127.0.0.1 (DNS rebinding) still sends its own name, and is refused;
 * - a browser request from a page of another origin (`Origin` present and not one of ours) is
 *   refused before anything runs: a "simple" cross-origin POST needs no preflight, and CORS only
 *   keeps the page from reading the answer, not the server from acting on it;
 * - the local-only routes take JSON only (`Content-Type: application/json`), which a page of
 *   another origin cannot send without a preflight that this server never grants.
 *
 * Clients that are not browsers (curl, tests, scripts) send no `Origin` and the name they used.
 */
export interface RequestGuard {
  /** The `Host` values answered, lower case (e.g. `localhost:3000`). */
  readonly hosts: ReadonlySet<string>;
  /** The origins whose pages may call the server (e.g. `http://localhost:3000`). */
  readonly origins: ReadonlySet<string>;
  /** 421 or 403 problem+json when the request is not for this server; undefined: go on. */
  check(headers: IncomingHttpHeaders): LocalResponse | undefined;
}

/** The loopback names a browser may use for a server bound to loopback. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * `bound`: the address the server listens on; unless it is a wildcard (0.0.0.0, ::), it is one of
 * the names answered too. `extra`: more names (`name` for the server's own port, or
 * `name:port` as the client sends it, e.g. behind a proxy); an IPv6 address in brackets.
 */
export function requestGuard(
  port: number,
  options: { bound?: string; extra?: readonly string[] } = {},
): RequestGuard {
  const names = [...LOOPBACK_NAMES];
  const bound = options.bound;
  if (bound && !isWildcard(bound)) names.push(isIP(bound) === 6 ? `[${bound}]` : bound);
  const hosts = new Set<string>();
  for (const name of [...names, ...(options.extra ?? [])]) {
    const value = name.trim().toLowerCase();
    if (value === '') continue;
    // A port given is kept; else the server's own (and none at all on port 80, as browsers send it).
    if (/^(\[[^\]]+\]|[^:[\]]+):\d+$/.test(value)) hosts.add(value);
    else {
      hosts.add(`${value}:${port}`);
      if (port === 80) hosts.add(value);
    }
  }
  const origins = new Set([...hosts].map((host) => `http://${host}`));

  return {
    hosts,
    origins,
    check(headers) {
      const host = headers.host?.trim().toLowerCase();
      if (!host || !hosts.has(host)) {
        const sent = host ? `Host: ${headers.host}` : 'no Host header';
        const message = `must be one of ${[...hosts].join(', ')}`;
        return problem(
          421,
          `This server answers only requests addressed to it by its own name (${sent}); ` +
            `open it as http://${[...hosts][0]}/, or start it with more names allowed (ALLOWED_HOSTS).`,
          { fields: { issues: [{ path: 'header.Host', message }] } },
        );
      }
      const origin = headers.origin;
      if (origin !== undefined && !origins.has(origin.trim().toLowerCase())) {
        return problem(
          403,
          `Requests from pages of another origin (Origin: ${origin}) are refused: only the console ` +
            'this server serves may call it from a browser.',
          {
            fields: {
              issues: [
                { path: 'header.Origin', message: `must be absent or one of ${[...origins].join(', ')}` },
              ],
            },
          },
        );
      }
      return undefined;
    },
  };
}

/**
 * 415 problem+json when a local-only route gets a body that is not declared JSON, or a declared
 * type other than JSON; undefined: go on. An empty body with no Content-Type is fine (POST
 * /local/sweep takes nothing).
 */
export function requireJson(headers: IncomingHttpHeaders, body: Buffer): LocalResponse | undefined {
  const declared = headers['content-type'];
  if (declared === undefined && body.length === 0) return undefined;
  const essence = declared?.split(';')[0]?.trim().toLowerCase();
  if (essence === 'application/json') return undefined;
  const sent = declared === undefined ? 'no Content-Type' : `Content-Type: ${declared}`;
  return problem(415, `The local routes take JSON only: send Content-Type: application/json (${sent}).`, {
    fields: { issues: [{ path: 'header.Content-Type', message: 'must be application/json' }] },
  });
}

/** 127.0.0.0/8, ::1 and localhost: only this machine reaches them. */
export function isLoopback(address: string): boolean {
  const a = bare(address);
  return a === 'localhost' || a === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(a);
}

/** The any-address binds: every interface, loopback included. */
export function isWildcard(address: string): boolean {
  const a = bare(address);
  return a === '0.0.0.0' || a === '::' || a === '';
}

function bare(address: string): string {
  return address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
}
