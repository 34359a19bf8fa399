// @ts-nocheck
import { beijingDate } from '../domain/calendar.ts';
import { viewClock } from '../domain/clock.ts';
import { allowedActions, canEdit } from '../domain/decide.ts';
import type { Application, Caller } from '../domain/types.ts';

/** An application as the API shows it to `caller`: the clock computed for today, and what they may do. */
export function applicationView(app: Application, caller: Caller, now: Date) {
  const { clockState, id, state, category, version, ...rest } = app;
  return {
    id,
    state,
    category,
    version,
    ...rest,
    ...(clockState ? { clock: viewClock(clockState, beijingDate(now)) } : {}),
    allowedActions: allowedActions(app, caller, { now }),
    canEdit: canEdit(app, caller),
  };
}

export const etag = (app: Pick<Application, 'version'>) => `"${app.version}"`;
