// @ts-nocheck
import { ValidationError } from '../domain/errors.ts';
import { dayOf } from './keys.ts';

/**
 * Which key or index serves an audit query. Pure: no AWS, so the choice is tested on its own.
 *
 * Every path reads one partition (or, for a time range alone, one partition per UTC day), with the
 * time range as a key condition on the index sort key `<at>#<applicationId>#<seq>`. The filters the
 * key cannot serve are applied by DynamoDB after the read (a FilterExpression): they cost the items
 * of that partition's time range, never the table.
 */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly applicationId?: string;
  /** Inclusive lower bound: an ISO instant in UTC, as events' `at`. */
  readonly lo?: string;
  /** Exclusive upper bound: an ISO instant in UTC. */
  readonly hi?: string;
}

export type Order = 'asc' | 'desc';

/** From most to least selective: one application's trail is tens of events, a day's are many. */
export const planKinds = ['application', 'actor', 'action', 'day'] as const;
export type PlanKind = (typeof planKinds)[number];

export interface Plan {
  readonly kind: PlanKind;
  readonly filter: AuditFilter;
  readonly order: Order;
  /** Day plans: the first and last UTC day to walk, in reading order; absent when there is none. */
  readonly days?: { readonly first: string; readonly last: string };
}

/** Every path that can answer `filter` (a day walk needs a lower time bound). */
export function feasiblePlans(filter: AuditFilter, order: Order, now: Date): Plan[] {
  const plans: Plan[] = [];
  for (const kind of planKinds) {
    if (kind === 'application' && filter.applicationId === undefined) continue;
    if (kind === 'actor' && filter.actor === undefined) continue;
    if (kind === 'action' && filter.action === undefined) continue;
    if (kind === 'day') {
      if (filter.lo === undefined) continue;
      const days = daysOf(filter.lo, filter.hi, now, order);
      plans.push(days ? { kind, filter, order, days } : { kind, filter, order });
      continue;
    }
    plans.push({ kind, filter, order });
  }
  return plans;
}

/** The most selective path: application, else actor, else action, else the day walk. */
export function choosePlan(filter: AuditFilter, order: Order, now: Date): Plan {
  const [best] = feasiblePlans(filter, order, now);
  if (!best) {
    throw new ValidationError('Invalid query string: from', [
      {
        path: 'from',
        message:
          'required when neither actor, action nor applicationId is given: events are found by time one day at a time',
      },
    ]);
  }
  return best;
}

/** The UTC days a range touches, in reading order; without `to` it ends today (no event is later). */
function daysOf(lo: string, hi: string | undefined, now: Date, order: Order) {
  const first = dayOf(lo);
  const last = dayOf(new Date(hi === undefined ? now.getTime() : Date.parse(hi) - 1).toISOString());
  if (first > last) return undefined;
  return order === 'asc' ? { first, last } : { first: last, last: first };
}

/** The day after `day` in reading order, or undefined past the plan's last day. */
export function nextDay(plan: Plan, day: string): string | undefined {
  if (!plan.days || day === plan.days.last) return undefined;
  const step = plan.order === 'asc' ? 86_400_000 : -86_400_000;
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + step).toISOString().slice(0, 10);
}
