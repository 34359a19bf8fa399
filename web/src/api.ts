import { session, sessionRefused } from './auth.ts';
import { apiUrl } from './config.ts';
import type { Issue } from './issues.ts';

/**
 * The console's language for the API, so that its titles, details and issues come back in it: the
 * page's `lang` (i18n.ts sets it, `zh-CN` unless English was chosen).
 */
export const acceptLanguage = (): string =>
  typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'zh-CN';

/** An RFC 9457 problem from the API, with the validation issues by path when there are any. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly issues: readonly Issue[] = [],
    /** The problem type's last segment, e.g. `last-admin`. */
    readonly type = '',
    /** Seconds to wait before trying again (a 429's Retry-After), when the API says. */
    readonly retryAfter?: number,
  ) {
    super(detail || title);
  }
}

export interface ApiResponse<T> {
  readonly body: T;
  readonly headers: Headers;
}

export async function api<T>(
  method: string,
  path: string,
  options: { body?: unknown; ifMatch?: string; fresh?: boolean; idempotencyKey?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': acceptLanguage() };
  const s = session();
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // A form passes its own key, the same for every send of that form: a second click, or a retry
  // after a lost answer, gets the first one's result instead of creating a second thing.
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? crypto.randomUUID();
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const res = await fetch(`${apiUrl()}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    // `fresh`: asked again of the API, never answered from the browser's cache (a count just changed).
    ...(options.fresh && { cache: 'no-cache' as const }),
  });
  // A session the API no longer takes: signed in again, the person comes back here.
  if (res.status === 401 && s) sessionRefused();
  if (!res.ok) throw await toProblem(res);
  const type = res.headers.get('content-type') ?? '';
  const body = (type.includes('json') ? await res.json() : await res.text()) as T;
  return { body, headers: res.headers };
}

/** The problem of a failed answer (its problem+json body, or its status when it has none). */
export async function toProblem(res: Response): Promise<ApiProblem> {
  const wait = Number(res.headers.get('retry-after') ?? '');
  const retryAfter = Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : undefined;
  try {
    const p = (await res.json()) as {
      type?: string;
      title?: string;
      detail?: string;
      issues?: Issue[];
    };
    return new ApiProblem(
      res.status,
      p.title ?? res.statusText,
      p.detail ?? '',
      p.issues ?? [],
      p.type?.split('/').at(-1) ?? '',
      retryAfter,
    );
  } catch {
    return new ApiProblem(res.status, res.statusText, '', [], '', retryAfter);
  }
}
