import { isOwner } from '../domain/decide.ts';
import type { Application, Caller } from '../domain/types.ts';
import { getAuditStore } from '../runtime/clients.ts';

/**
 * Reads of applicants' personal data (the contact person's name and phone in `applicant`, the
 * applicant's own name as the actor of their steps) by anyone but the owner: officials and the
 * auditor. Each such read is one entry of the access log (GET /audit/access-log), written before
 * the answer is given and naming every application the answer holds. A failed entry fails the
 * read (503 with Retry-After when DynamoDB is busy): a log that a read can skip records nothing
 * anyone can rely on.
 */

/** Whether the caller reading the application is logged: everyone but its owner (and, for a walk-in, the owner's organisation). */
export const logsRead = (app: Application, caller: Caller): boolean => !isOwner(app, caller);

/**
 * One access-log entry for a read that returns `apps` to the caller: the ids of those that are not
 * the caller's own, in the order returned, and the same as people name them (case number, project). Nothing is written when there are none (the owner's
 * reads, an empty page). One write per request, whatever the page's size.
 */
export async function recordRead(
  req: { caller: Caller; now: Date; requestId: string },
  route: string,
  apps: readonly Application[],
  filter?: Record<string, string>,
): Promise<void> {
  const read = apps.filter((app) => logsRead(app, req.caller));
  if (read.length === 0) return;
  const applicationIds = read.map((app) => app.id);
  const applications = read.map((app) => ({
    id: app.id,
    ...(app.caseNumber ? { caseNumber: app.caseNumber } : {}),
    projectName: app.project.name,
  }));
  await getAuditStore().recordAccess({
    kind: 'PERSONAL_DATA_READ',
    at: req.now.toISOString(),
    requestId: req.requestId,
    actor: { id: req.caller.id, name: req.caller.name, roles: [...req.caller.roles] },
    route,
    applicationIds,
    applications,
    ...(filter && Object.keys(filter).length > 0 ? { filter } : {}),
  });
}
