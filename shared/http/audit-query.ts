import * as z from 'zod/mini';
import { ForbiddenError, ValidationError } from '../domain/errors.ts';
import { ruleIssue, ruleParams } from '../domain/rules.ts';
import type { Caller } from '../domain/types.ts';
import { cursorKeyRing, verifyingKeys } from '../runtime/secrets-manager.ts';
import { UUID } from '../schemas/common.ts';
import type { AuditFilter, Order, Plan } from '../store/audit-plan.ts';
import type { Position } from '../store/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { CursorParam, parseQuery } from './query.ts';

/** The auditor's routes are the auditor's alone (401 without a token is the authorizer's). */
export function requireAuditor(caller: Caller): void {
  if (!caller.roles.includes('auditor'))
    throw new ForbiddenError('wrong-role', 'the audit trail is open to the auditor role only');
}

export const formats = ['json', 'ndjson', 'csv'] as const;
export type Format = (typeof formats)[number];

/** JSON pages are for reading; exports are for streaming page by page, so they may be larger. */
export const limits: Record<Format, { max: number; default: number }> = {
  json: { max: 200, default: 50 },
  ndjson: { max: 1000, default: 1000 },
  csv: { max: 1000, default: 1000 },
};

/** RFC 3339 with an offset (`2025-06-10T09:30:00+08:00`, `…Z`), or a date, taken as a Beijing day. */
const instant =
  /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;
const TimeParam = z.optional(
  z.string().check(
    z.refine((s) => parseInstant(s, 'start') !== undefined, {
      message:
        'must be a date (YYYY-MM-DD, a Beijing day) or a date-time with offset (2025-06-10T09:30:00+08:00)',
      params: ruleParams('query-instant'),
    }),
  ),
);

const Query = z.strictObject({
  actor: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  action: z.optional(
    z.string().check(z.regex(/^[a-z][a-z_]{0,63}$/, 'must be an action name such as accept')),
  ),
  applicationId: z.optional(z.string().check(z.regex(UUID, 'must be a UUID'))),
  from: TimeParam,
  to: TimeParam,
  order: z.optional(z.enum(['asc', 'desc'])),
  format: z.optional(z.enum(formats)),
  includePersonalData: z.optional(z.enum(['true', 'false'])),
  limit: z.optional(z.string().check(z.regex(/^[1-9]\d{0,3}$/, 'must be a whole number from 1'))),
  cursor: CursorParam,
});

/**
 * A date's start or end (exclusive) as a UTC instant; a date-time as given (its `end` is 1 ms
 * later, so `to` includes the instant it names). Undefined when it is no real date or time.
 */
function parseInstant(text: string, edge: 'start' | 'end'): string | undefined {
  const m = instant.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, hh, mi, ss, ms, zone] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}` || Number(y) < 1970) return undefined;
  if (hh === undefined) {
    const start = Date.parse(`${y}-${mo}-${d}T00:00:00+08:00`);
    return new Date(edge === 'start' ? start : start + 86_400_000).toISOString();
  }
  const at = Date.parse(`${y}-${mo}-${d}T${hh}:${mi}:${ss ?? '00'}.${(ms ?? '0').padEnd(3, '0')}${zone}`);
  return new Date(edge === 'start' ? at : at + 1).toISOString();
}

export interface AuditQuery {
  filter: AuditFilter;
  /** The filter as the client gave it: echoed in exports and the access log. */
  given: Record<string, string>;
  order: Order;
  format: Format;
  limit: number;
  cursor?: string;
  includePersonalData: boolean;
}

/** GET /audit/events's query string: every issue named; `from` after `to` or a limit too large refused. */
export function parseAuditQuery(query: Record<string, string>): AuditQuery {
  const q = parseQuery(Query, query);
  const format = q.format ?? 'json';
  const bounds = limits[format];
  const limit = q.limit === undefined ? bounds.default : Number(q.limit);
  if (limit > bounds.max) {
    throw new ValidationError('Invalid query string: limit', [
      ruleIssue(
        'limit',
        `must be a whole number from 1 to ${bounds.max} for format ${format}`,
        'limit-range',
        {
          max: bounds.max,
        },
      ),
    ]);
  }
  const lo = q.from === undefined ? undefined : parseInstant(q.from, 'start');
  const hi = q.to === undefined ? undefined : parseInstant(q.to, 'end');
  if (lo !== undefined && hi !== undefined && lo >= hi) {
    throw new ValidationError('Invalid query string: from', [
      ruleIssue('from', 'must not be after to', 'from-after-to'),
    ]);
  }
  const given: Record<string, string> = {};
  for (const name of ['actor', 'action', 'applicationId', 'from', 'to'] as const) {
    const value = q[name];
    if (value !== undefined) given[name] = value;
  }
  const filter: AuditFilter = {
    ...(q.actor !== undefined ? { actor: q.actor } : {}),
    ...(q.action !== undefined ? { action: q.action } : {}),
    ...(q.applicationId !== undefined ? { applicationId: q.applicationId } : {}),
    ...(lo !== undefined ? { lo } : {}),
    ...(hi !== undefined ? { hi } : {}),
  };
  return {
    filter,
    given,
    order: q.order ?? 'desc',
    format,
    limit,
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    includePersonalData: q.includePersonalData === 'true',
  };
}

/**
 * What a cursor is bound to: the path, the normalised filter and the order (a position means
 * nothing in another index or direction). Not the format or limit: a client may change page size.
 */
function fingerprint(plan: Plan): string {
  const { actor, action, applicationId, lo, hi } = plan.filter;
  return JSON.stringify(['audit-events', plan.kind, actor, action, applicationId, lo, hi, plan.order]);
}

export function cursorOf(position: Position, plan: Plan): string {
  return encodeCursor({ ...position }, fingerprint(plan), cursorKeyRing().current);
}

/** The position a cursor names; 400 (`cursor`) for one from another query, or edited. */
export function positionOf(cursor: string | undefined, plan: Plan): Position | undefined {
  if (cursor === undefined) return undefined;
  const raw = decodeCursor(cursor, fingerprint(plan), verifyingKeys(cursorKeyRing()));
  const position: Position = {};
  if (typeof raw.day === 'string') position.day = raw.day;
  if (raw.key && typeof raw.key === 'object') position.key = raw.key as Record<string, unknown>;
  return position;
}
