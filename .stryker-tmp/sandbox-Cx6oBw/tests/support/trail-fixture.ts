// @ts-nocheck
import { chain, GENESIS } from '../../shared/domain/audit-chain.ts';
import { createApplication, decide, editApplication } from '../../shared/domain/decide.ts';
import type { Application, AuditEvent } from '../../shared/domain/types.ts';
import { eventItem } from '../../shared/store/keys.ts';
import { APP_ID, callerOf, clerk, createBody, owner } from '../unit/functions/fixtures.ts';

export interface Trail {
  app: Application;
  events: AuditEvent[];
  headHash: string;
  /** The event items exactly as the store writes them (with their audit index keys). */
  items: Record<string, unknown>[];
}

/**
 * A trail built by the domain itself: create, `edits` edits of the draft, submit, accept, an hour
 * apart from 9 June 2025 01:00 UTC.
 */
export function trail(edits = 2, id = APP_ID): Trail {
  const start = Date.parse('2025-06-09T01:00:00.000Z');
  const at = (n: number) => ({ now: new Date(start + n * 3_600_000), requestId: `req-${n}` });
  const first = createApplication(createBody(), callerOf(owner), { ...at(0), id });
  let app = first.app;
  const events = [chain(first.event, GENESIS)];
  const push = (step: { app: Application; event: Parameters<typeof chain>[0] }) => {
    events.push(chain(step.event, events.at(-1)?.hash ?? GENESIS));
    app = step.app;
  };
  for (let i = 0; i < edits; i++) {
    push(
      editApplication(
        app,
        { project: { description: `revision ${i + 1}` } },
        callerOf(owner),
        at(events.length),
      ),
    );
  }
  push(decide(app, 'submit', callerOf(owner), {}, at(events.length)));
  push(decide(app, 'accept', callerOf(clerk), {}, at(events.length)));
  return { app, events, headHash: events.at(-1)?.hash ?? GENESIS, items: events.map(eventItem) };
}
