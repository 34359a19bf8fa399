import * as z from 'zod/mini';
import { beijingDate } from '../../shared/domain/calendar.ts';
import { hasConflict, isOfficial } from '../../shared/domain/decide.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { findTerms, MAX_FIND_CHARS, MAX_FIND_TERMS } from '../../shared/domain/find.ts';
import { waitsOn } from '../../shared/domain/queue.ts';
import type { Application, Caller } from '../../shared/domain/types.ts';
import { states } from '../../shared/domain/types.ts';
import { recordRead } from '../../shared/http/access-log.ts';
import { requireCaseRole } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery, SearchTextParam } from '../../shared/http/query.ts';
import { json } from '../../shared/http/respond.ts';
import { applicationView } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';
import { CategorySchema } from '../../shared/schemas/common.ts';
import {
  allPk,
  orgPk,
  orgQueuePk,
  ownerPk,
  roleQueuePk,
  statePk,
  userQueuePk,
} from '../../shared/store/keys.ts';
import type { ListQuery, StreamPosition } from '../../shared/store/ports.ts';

/** Search text: a few words, each found as a substring (shared/domain/find.ts). */
const SearchParam = SearchTextParam(MAX_FIND_CHARS);

const Query = z.strictObject({
  q: SearchParam,
  state: z.optional(z.enum(states)),
  category: z.optional(CategorySchema),
  mine: z.optional(z.enum(['true', 'false'])),
  queue: z.optional(z.enum(['mine'])),
  limit: LimitParam,
  cursor: CursorParam,
});

/**
 * GET /applications: an applicant's own (and their organisation's walk-ins), newest first;
 * officials and auditors see all (or only their own with mine=true). Every list is an index
 * query: by owner (and organisation), by state, or all.
 *
 * q=: a search (docs/http-api.md#finding-applications). Officials and the auditor search every
 * application through the find index; anyone else's q (and mine=true, and queue=mine) filters the
 * list they would see without it. Every term must be found in the case's words.
 *
 * queue=mine: what waits on the caller now, due date first (shared/domain/queue.ts): their own
 * partition of the queue index (cases they are officer of; for an applicant, what waits on their
 * answer) merged with the partition of each official role they hold. state= and category= filter
 * the queue (after the index read, like the other lists); mine= does not combine with it (400).
 *
 * Every application named holds its applicant's contact person and phone: a page that returns any
 * but the caller's own is entered in the access log (one entry naming their ids) before the
 * answer, and a failed entry fails the read.
 */
export const handler = authed(async (req) => {
  requireCaseRole(req.caller);
  const q = parseQuery(Query, req.query);
  const find = q.q === undefined ? undefined : termsOf(q.q);
  if (q.queue === 'mine') return workQueue(req, q, find);
  const seesAll = isOfficial(req.caller) || req.caller.roles.includes('auditor');
  const filters: Record<string, string> = {};
  if (q.category) filters.category = q.category;
  if (seesAll && q.mine !== 'true' && find) {
    if (q.state) filters.state = q.state;
    return search(req, q, find, filters);
  }
  let list: Omit<ListQuery, 'limit' | 'startKey'>;
  if (!seesAll || q.mine === 'true') {
    if (q.state) filters.state = q.state;
    if (req.caller.orgCode && req.caller.roles.includes('applicant')) return ownAndOrg(req, q, filters, find);
    list = { index: 'byOwner', partition: ownerPk(req.caller.id), filters, ...(find ? { find } : {}) };
  } else if (q.state) {
    list = { index: 'byState', partition: statePk(q.state), filters };
  } else {
    list = { index: 'all', partition: allPk, filters };
  }
  // A search's terms are part of what its cursor is for; a plain list keeps the fingerprint it had.
  const fingerprint = JSON.stringify([
    'applications',
    list.index,
    list.partition,
    filters,
    ...(find ? [find] : []),
  ]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getStore().list({
    ...list,
    limit: pageLimit(q.limit),
    ...(startKey ? { startKey } : {}),
  });
  const items = await viewsOf(page.items, req);
  return json(200, pageBody(items, page.lastKey, fingerprint));
});

/** The folded terms of a search; 400 when none is left (only punctuation) or there are too many. */
function termsOf(q: string): string[] {
  const terms = findTerms(q);
  if (terms.length === 0) {
    throw new ValidationError('Invalid query string: q', [
      // Worded by code like an empty field: what is left once spaces and punctuation are dropped.
      {
        path: 'q',
        message: 'must hold at least one letter or digit',
        code: 'too_small',
        params: { origin: 'string', minimum: 1 },
      },
    ]);
  }
  if (terms.length > MAX_FIND_TERMS) {
    throw new ValidationError('Invalid query string: q', [
      {
        path: 'q',
        message: `must hold at most ${MAX_FIND_TERMS} words`,
        code: 'too_big',
        params: { origin: 'array', maximum: MAX_FIND_TERMS },
      },
    ]);
  }
  return terms;
}

/**
 * Officials' and the auditor's search of every application: the find index, newest first, with
 * state= and category= applied to it too.
 */
async function search(
  req: ListReq,
  q: z.infer<typeof Query>,
  terms: string[],
  filters: Record<string, string>,
) {
  const fingerprint = JSON.stringify(['find', terms, filters]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getStore().find({
    terms,
    filters,
    limit: pageLimit(q.limit),
    ...(startKey ? { startKey } : {}),
  });
  const items = await viewsOf(page.items, req);
  return json(200, pageBody(items, page.lastKey, fingerprint));
}

/**
 * An applicant's own applications and their organisation's walk-ins (docs/roles.md#walk-in-intake):
 * two partitions of the owner index merged newest first, still a Query each.
 */
async function ownAndOrg(
  req: ListReq,
  q: z.infer<typeof Query>,
  filters: Record<string, string>,
  find: string[] | undefined,
) {
  const partitions = [ownerPk(req.caller.id), orgPk(req.caller.orgCode ?? '')];
  const fingerprint = JSON.stringify([
    'applications',
    'byOwner',
    partitions,
    filters,
    ...(find ? [find] : []),
  ]);
  const positions = positionsOf(startKeyOf(q.cursor, fingerprint), partitions.length);
  const page = await getStore().listMerged({
    index: 'byOwner',
    partitions,
    limit: pageLimit(q.limit),
    filters,
    ...(find ? { find } : {}),
    ...(positions ? { positions } : {}),
  });
  const items = await viewsOf(page.items, req);
  return json(200, pageBody(items, page.positions ? { streams: page.positions } : undefined, fingerprint));
}

/** The roles whose shared queue a caller reads, besides their own. */
const queueRoles = ['clerk', 'reviewer', 'approver'] as const;

async function workQueue(req: ListReq, q: z.infer<typeof Query>, find: string[] | undefined) {
  if (q.mine !== undefined) {
    throw new ValidationError('Invalid query string: mine', [
      { path: 'mine', message: 'does not combine with queue=mine (a work queue is always your own)' },
    ]);
  }
  const filters: Record<string, string> = {};
  if (q.state) filters.state = q.state;
  if (q.category) filters.category = q.category;
  const partitions = [
    userQueuePk(req.caller.id),
    ...queueRoles.filter((r) => req.caller.roles.includes(r)).map(roleQueuePk),
    // Walk-ins of the caller's organisation that wait on its answer.
    ...(req.caller.orgCode && req.caller.roles.includes('applicant') ? [orgQueuePk(req.caller.orgCode)] : []),
  ];
  const fingerprint = JSON.stringify(['queue', partitions, filters, ...(find ? [find] : [])]);
  const positions = positionsOf(startKeyOf(q.cursor, fingerprint), partitions.length);
  const page = await getStore().waiting({
    partitions,
    limit: pageLimit(q.limit),
    today: beijingDate(req.now),
    filters,
    ...(find ? { find } : {}),
    ...(positions ? { positions } : {}),
  });
  const items = await viewsOf(
    page.items.filter((app) => !recused(app, req.caller)),
    req,
  );
  return json(200, pageBody(items, page.positions ? { streams: page.positions } : undefined, fingerprint));
}

/**
 * A case that waits on an official role the caller holds, but belongs to the caller or their
 * organisation: they may not act on it (conflict-of-interest), so it is not their work. A page may
 * come out shorter than asked and still carry a cursor.
 */
function recused(app: Application, caller: Caller): boolean {
  return waitsOn(app)?.role !== undefined && hasConflict(app, caller);
}

/**
 * Each application as the caller sees it, by the calendar now and the configuration it follows;
 * the page entered in the access log first when it holds others' applications.
 */
async function viewsOf(apps: Application[], req: ListReq) {
  const [calendar, configs] = await Promise.all([
    getCalendar(),
    Promise.all(apps.map((app) => configFor(app))),
    recordRead(req, 'GET /applications', apps, filterOf(req.query)),
  ]);
  return apps.map((app, i) => applicationView(app, req.caller, req.now, calendar, configs[i]?.config));
}

/** What the list handlers need of the request: the caller, the time, and what the access log names. */
type ListReq = { caller: Caller; now: Date; requestId: string; query: Record<string, string | undefined> };

/** The query as the access log names it: the filters and search given, and whether a cursor was. */
function filterOf(query: Record<string, string | undefined>): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const key of ['q', 'state', 'category', 'mine', 'queue', 'limit'] as const) {
    const value = query[key];
    if (value !== undefined) filter[key] = value;
  }
  if (query.cursor !== undefined) filter.cursor = 'given';
  return filter;
}

/** The per-stream positions a (verified) queue cursor holds. */
function positionsOf(key: Record<string, unknown> | undefined, count: number): StreamPosition[] | undefined {
  if (key === undefined) return undefined;
  const streams = key.streams;
  const valid =
    Array.isArray(streams) &&
    streams.length === count &&
    streams.every((p) => p === null || p === 'done' || (typeof p === 'object' && !Array.isArray(p)));
  if (!valid) {
    throw new ValidationError('Invalid cursor', [
      { path: 'cursor', message: 'not a cursor from this query' },
    ]);
  }
  return streams as StreamPosition[];
}
