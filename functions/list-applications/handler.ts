import * as z from 'zod/mini';
import { beijingDate } from '../../shared/domain/calendar.ts';
import { hasConflict, isOfficial } from '../../shared/domain/decide.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { waitsOn } from '../../shared/domain/queue.ts';
import type { Application, Caller } from '../../shared/domain/types.ts';
import { states } from '../../shared/domain/types.ts';
import { requireCaseRole } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { pageBody, startKeyOf } from '../../shared/http/paging.ts';
import { CursorParam, LimitParam, pageLimit, parseQuery } from '../../shared/http/query.ts';
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

const Query = z.strictObject({
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
 * queue=mine: what waits on the caller now, due date first (shared/domain/queue.ts): their own
 * partition of the queue index (cases they are officer of; for an applicant, what waits on their
 * answer) merged with the partition of each official role they hold. state= and category= filter
 * the queue (after the index read, like the other lists); mine= does not combine with it (400).
 */
export const handler = authed(async (req) => {
  requireCaseRole(req.caller);
  const q = parseQuery(Query, req.query);
  if (q.queue === 'mine') return workQueue(req, q);
  const seesAll = isOfficial(req.caller) || req.caller.roles.includes('auditor');
  const filters: Record<string, string> = {};
  if (q.category) filters.category = q.category;
  let list: Omit<ListQuery, 'limit' | 'startKey'>;
  if (!seesAll || q.mine === 'true') {
    if (q.state) filters.state = q.state;
    if (req.caller.orgCode && req.caller.roles.includes('applicant')) return ownAndOrg(req, q, filters);
    list = { index: 'byOwner', partition: ownerPk(req.caller.id), filters };
  } else if (q.state) {
    list = { index: 'byState', partition: statePk(q.state), filters };
  } else {
    list = { index: 'all', partition: allPk, filters };
  }
  const fingerprint = JSON.stringify(['applications', list.index, list.partition, filters]);
  const startKey = startKeyOf(q.cursor, fingerprint);
  const page = await getStore().list({
    ...list,
    limit: pageLimit(q.limit),
    ...(startKey ? { startKey } : {}),
  });
  const items = await viewsOf(page.items, req);
  return json(200, pageBody(items, page.lastKey, fingerprint));
});

/**
 * An applicant's own applications and their organisation's walk-ins (docs/roles.md#walk-in-intake):
 * two partitions of the owner index merged newest first, still a Query each.
 */
async function ownAndOrg(
  req: { caller: Caller; now: Date },
  q: z.infer<typeof Query>,
  filters: Record<string, string>,
) {
  const partitions = [ownerPk(req.caller.id), orgPk(req.caller.orgCode ?? '')];
  const fingerprint = JSON.stringify(['applications', 'byOwner', partitions, filters]);
  const positions = positionsOf(startKeyOf(q.cursor, fingerprint), partitions.length);
  const page = await getStore().listMerged({
    index: 'byOwner',
    partitions,
    limit: pageLimit(q.limit),
    filters,
    ...(positions ? { positions } : {}),
  });
  const items = await viewsOf(page.items, req);
  return json(200, pageBody(items, page.positions ? { streams: page.positions } : undefined, fingerprint));
}

/** The roles whose shared queue a caller reads, besides their own. */
const queueRoles = ['clerk', 'reviewer', 'approver'] as const;

async function workQueue(req: { caller: Caller; now: Date }, q: z.infer<typeof Query>) {
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
  const fingerprint = JSON.stringify(['queue', partitions, filters]);
  const positions = positionsOf(startKeyOf(q.cursor, fingerprint), partitions.length);
  const page = await getStore().waiting({
    partitions,
    limit: pageLimit(q.limit),
    today: beijingDate(req.now),
    filters,
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

/** Each application as the caller sees it, by the calendar now and the configuration it follows. */
async function viewsOf(apps: Application[], req: { caller: Caller; now: Date }) {
  const [calendar, configs] = await Promise.all([
    getCalendar(),
    Promise.all(apps.map((app) => configFor(app))),
  ]);
  return apps.map((app, i) => applicationView(app, req.caller, req.now, calendar, configs[i]?.config));
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
