import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { roles } from '../shared/domain/types.ts';
import { type ClaimNames, claimNames } from '../shared/http/auth.ts';
import { DEMO_USERS } from './demo.ts';
import type { Outgoing } from './response.ts';
import type { LocalProfile } from './tokens.ts';
import type { LocalUserDirectory } from './user-directory.ts';

/**
 * The web console (web/) for `npm start`: built with Vite when its output is missing or older
 * than its sources, then served at `/` for whatever the API and the /local routes do not match.
 * In AWS the same files sit in S3 behind CloudFront (infra/web-console.ts).
 */
export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The same headers CloudFront adds in AWS (infra/web-console.ts), so that local runs catch a CSP slip. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/**
 * The console's run-time settings: locally, sign-in offers the local user directory's enabled
 * users with a group (the demo users until someone is invited), through POST /local/token. With
 * `claims` (the china profile) the console reads the roles, organisation and name from those claims.
 */
export function localConsoleConfig(directory?: LocalUserDirectory, claims?: ClaimNames) {
  const named = claims && { claims: { roles: claims.roles, org: claims.org, name: claims.name } };
  if (!directory) {
    return {
      mode: 'local' as const,
      ...named,
      demoUsers: Object.entries(DEMO_USERS).map(([role, { label, ...subject }]) => ({
        role,
        label,
        ...subject,
      })),
    };
  }
  return {
    mode: 'local' as const,
    ...named,
    demoUsers: [...directory.all()]
      .sort((a, b) => rank(a) - rank(b))
      .flatMap((user) => {
        const role = user.groups[0];
        if (!user.enabled || !role) return [];
        return [
          {
            role,
            label: directory.labelOf(user),
            sub: user.id,
            name: user.name,
            groups: [...user.groups],
            ...(user.orgCode ? { orgCode: user.orgCode } : {}),
          },
        ];
      }),
  };
}

/** By role as the roles are listed (applicant first, admin last), each role by e-mail. */
const rank = (user: { groups: readonly string[] }) =>
  (roles as readonly string[]).indexOf(user.groups[0] ?? '') >>> 0;

export type StaticServe = (
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
) => Promise<Outgoing | undefined>;

/**
 * Serves files under `root` for GET and HEAD. A path with no file falls back to index.html only
 * for a browser navigation (Accept: text/html), so API clients still get their problem+json 404.
 * `/console-config.json` is generated, not read from disk; in the `china` profile it names the
 * claim names of the environment (ROLES_CLAIM, ORG_CLAIM, NAME_CLAIM), as the local issuer uses them.
 */
export function staticSite(
  root: string = WEB_DIST,
  directory?: LocalUserDirectory,
  profile: LocalProfile = 'global',
): StaticServe {
  const base = resolve(root);
  return async (method, path, headers) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (path === '/local' || path.startsWith('/local/')) return undefined;
    if (path === '/console-config.json') {
      const claims = profile === 'china' ? claimNames() : undefined;
      const body = JSON.stringify(localConsoleConfig(directory, claims));
      return outgoing(200, '.json', Buffer.from(body), 'no-store');
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    // A NUL makes fs throw (a 500), not miss: no file can have one in its name.
    if (decoded.includes('\0')) return undefined;
    const wanted = decoded === '/' ? '/index.html' : decoded;
    const file = resolve(base, `.${wanted}`);
    if (file !== base && !file.startsWith(base + sep)) return undefined;
    const body = await readFileIfAny(file);
    if (body) {
      const hashed = relative(base, file).startsWith(`assets${sep}`);
      return outgoing(200, extname(file), body, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    const navigation = String(headers.accept ?? '').includes('text/html');
    if (!navigation || extname(decoded) !== '') return undefined;
    const index = await readFileIfAny(join(base, 'index.html'));
    return index ? outgoing(200, '.html', index, 'no-cache') : undefined;
  };
}

/**
 * The page's policy with the local S3 store's origin added to connect-src: the console PUTs and
 * GETs presigned URLs of storage from the browser (in AWS the bucket's endpoint is listed instead).
 */
function securityHeaders(): Record<string, string> {
  let storage = '';
  try {
    storage = process.env.S3_ENDPOINT ? new URL(process.env.S3_ENDPOINT).origin : '';
  } catch {
    storage = '';
  }
  const csp = SECURITY_HEADERS['content-security-policy'] ?? '';
  return {
    ...SECURITY_HEADERS,
    'content-security-policy': storage
      ? csp.replace("connect-src 'self'", `connect-src 'self' ${storage}`)
      : csp,
  };
}

function outgoing(status: number, ext: string, body: Buffer, cacheControl: string): Outgoing {
  return {
    status,
    headers: {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      ...securityHeaders(),
    },
    cookies: [],
    body,
  };
}

async function readFileIfAny(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

const isMissing = (error: unknown) =>
  error instanceof Error &&
  'code' in error &&
  (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR');

/** The newest modification time of the console's sources (index.html, vite config, src/). */
async function newestSource(webRoot: string): Promise<number> {
  let newest = 0;
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (info.isDirectory()) {
      for (const name of await readdir(path)) await visit(join(path, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  for (const name of ['index.html', 'vite.config.ts', 'src', 'public']) await visit(join(webRoot, name));
  return newest;
}

/** Whether web/dist is missing or older than a source file. */
export async function consoleIsStale(webRoot: string = WEB_ROOT): Promise<boolean> {
  const built = await stat(join(webRoot, 'dist', 'index.html')).catch(() => undefined);
  if (!built) return true;
  return (await newestSource(webRoot)) > built.mtimeMs;
}

/**
 * Builds the console with Vite's JS API when it is stale. Builds into a folder of its own and
 * renames it into place, so that two servers starting at once never serve a half-written folder.
 * Returns what happened, for the start-up log.
 */
export async function ensureConsoleBuilt(
  webRoot: string = WEB_ROOT,
): Promise<{ built: boolean; ms: number }> {
  const started = performance.now();
  if (!(await consoleIsStale(webRoot))) return { built: false, ms: Math.round(performance.now() - started) };
  const { build } = await import('vite');
  const outDir = join(webRoot, `.build-${randomUUID()}`);
  await mkdir(outDir, { recursive: true });
  try {
    await build({
      configFile: join(webRoot, 'vite.config.ts'),
      root: webRoot,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const dist = join(webRoot, 'dist');
    await rm(dist, { recursive: true, force: true });
    await rename(outDir, dist).catch(async (error: unknown) => {
      // Another server built it at the same moment: theirs is as good as ours.
      if (
        !(error instanceof Error && 'code' in error && ['ENOTEMPTY', 'EEXIST'].includes(String(error.code)))
      )
        throw error;
    });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return { built: true, ms: Math.round(performance.now() - started) };
}
