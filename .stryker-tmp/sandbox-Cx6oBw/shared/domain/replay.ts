// @ts-nocheck
import type { Application, UnsignedEvent } from './types.ts';

/** One event applied to the application before it: its changes, then state, version and time. */
export function applyChanges(app: Application | undefined, event: UnsignedEvent): Application {
  const next: Record<string, unknown> = { ...app };
  for (const [key, value] of Object.entries(event.changes)) {
    if (value === null || value === undefined) delete next[key];
    else next[key] = value;
  }
  next.state = event.to;
  next.version = event.seq;
  next.updatedAt = event.at;
  return next as unknown as Application;
}

/** Rebuild an application from its events alone; refuses a trail with a gap or from another application. */
export function replay(events: readonly UnsignedEvent[]): Application {
  let app: Application | undefined;
  for (const [i, event] of events.entries()) {
    if (event.seq !== i + 1) throw new Error(`event ${i + 1} is missing (found seq ${event.seq})`);
    if (app && event.applicationId !== app.id)
      throw new Error(`event ${event.seq} belongs to ${event.applicationId}`);
    if ((app?.state ?? null) !== event.from)
      throw new Error(`event ${event.seq} starts from ${event.from}, not ${app?.state}`);
    app = applyChanges(app, event);
  }
  if (!app) throw new Error('no events');
  return app;
}
