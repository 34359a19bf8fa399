// @ts-nocheck
import { chain } from './audit-chain.ts';
import type { Step } from './decide.ts';
import { type Notification, notificationsFor } from './notifications.ts';
import type { Application, AuditEvent, Notice } from './types.ts';

/** What one step writes in its transaction: the application, its chained event, notice and outbox. */
export interface StepChange {
  app: Application;
  event: AuditEvent;
  notice?: Notice;
  outbox?: Notification[];
}

/**
 * A step ready to commit, for a request and the sweeper alike: its event linked to the trail's
 * head (`prevHash`), and the notifications that event owes.
 */
export function stepChange(step: Step, prevHash: string): StepChange {
  const event = chain(step.event, prevHash);
  const outbox = notificationsFor(event, step.app);
  return {
    app: step.app,
    event,
    ...(step.notice ? { notice: step.notice } : {}),
    ...(outbox.length ? { outbox } : {}),
  };
}
