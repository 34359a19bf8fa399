import { chain } from './audit-chain.ts';
import type { WorkCalendar } from './calendar.ts';
import type { WorkflowConfig } from './config.ts';
import type { IssuedDocument, Step } from './decide.ts';
import { type Notification, notificationsFor } from './notifications.ts';
import type { Application, AuditEvent, Notice } from './types.ts';

/** What one step writes in its transaction: the application, its chained event, notice and outbox. */
export interface StepChange {
  app: Application;
  event: AuditEvent;
  notice?: Notice;
  outbox?: Notification[];
  /** The calendar its dates were counted on: the store counts the index dates on it too. */
  calendar?: WorkCalendar;
  /** The configuration the application follows: the store counts the index dates by it too. */
  config?: WorkflowConfig;
  /** The written document the step issues: the store takes its number and puts it in the outbox. */
  issued?: IssuedDocument;
}

/**
 * A step ready to commit, for a request and the sweeper alike: its event linked to the trail's
 * head (`prevHash`), and the notifications that event owes.
 */
export function stepChange(
  step: Step,
  prevHash: string,
  calendar?: WorkCalendar,
  config?: WorkflowConfig,
): StepChange {
  const event = chain(step.event, prevHash);
  const outbox = notificationsFor(event, step.app, calendar);
  return {
    ...(calendar ? { calendar } : {}),
    ...(config ? { config } : {}),
    app: step.app,
    event,
    ...(step.notice ? { notice: step.notice } : {}),
    ...(outbox.length ? { outbox } : {}),
    ...(step.issued ? { issued: step.issued } : {}),
  };
}
