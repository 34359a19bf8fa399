import { computeStats, statsActions } from '../../shared/domain/stats.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { authed } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { parseStatsQuery, requireStatsReader } from '../../shared/http/stats-query.ts';
import { getStatsStore } from '../../shared/runtime/clients.ts';
import type { ReadCost } from '../../shared/store/ports.ts';

/**
 * GET /stats?from=YYYY-MM-DD&to=YYYY-MM-DD (Beijing days, both included): per category and in
 * total, applications received, accepted (deemed ones also apart), decided, on time and late
 * (statutory limit and commitment target), and the median working days from acceptance to decision.
 * See shared/domain/stats.ts for what each figure counts. Reads the action index once per action
 * over the period's time range (to the end), in parallel, then each application of the period once for its
 * category: no Scan; x-items-read and x-read-units say what it cost.
 */
export const handler = authed(async (req) => {
  requireStatsReader(req.caller);
  const period = parseStatsQuery(req.query);
  const store = getStatsStore();
  const cost: ReadCost = { calls: 0, itemsRead: 0, readUnits: 0 };
  // One index read per action, all at once: the cost adds up the same, the wait is the longest one.
  const perAction = await Promise.all(
    statsActions.map((action) => store.eventsOf(action, period.lo, period.hi, cost)),
  );
  const events: AuditEvent[] = perAction.flat();
  // A filing is REGISTRATION by its target state: no lookup needed.
  const ids = events.filter((e) => !(e.action === 'submit' && e.to === 'FILED')).map((e) => e.applicationId);
  const categories = await store.categoriesOf(ids, cost);
  const stats = computeStats(period, events, (id) => categories.get(id));
  return json(200, stats, {
    'x-items-read': String(cost.itemsRead),
    'x-read-units': String(cost.readUnits),
  });
});
