import type { DocumentContent } from '../../shared/documents/render.ts';
import type { WorkCalendar } from '../../shared/domain/calendar.ts';
import { viewClock } from '../../shared/domain/clock.ts';
import type { WorkflowConfig } from '../../shared/domain/config.ts';
import type { DocumentRef } from '../../shared/domain/documents.ts';
import { provisionalMark } from '../../shared/domain/provisional.ts';
import type { Application } from '../../shared/domain/types.ts';

/** `${base}/#/verify/<number>`: what the QR code of a document opens (the console's verification page). */
export function verifyUrl(base: string, number: string): string {
  return `${base.replace(/\/+$/, '')}/#/verify/${encodeURIComponent(number)}`;
}

/**
 * What the document of `ref` says, from the application as it stood right after the act that
 * issued it (its trail replayed to the act's seq): rendering it later, or again, gives the same
 * words. Only the organisation's name and code: no contact person, no phone.
 */
export function documentContent(
  ref: DocumentRef,
  app: Application,
  config: WorkflowConfig,
  calendar: WorkCalendar,
  base: string,
): DocumentContent {
  const common = {
    number: ref.number,
    issuedOn: ref.issuedOn,
    ...(app.caseNumber ? { caseNumber: app.caseNumber } : {}),
    category: app.category,
    project: {
      name: app.project.name,
      location: app.project.location,
      industry: app.project.industry,
      investmentCny: app.project.investmentCny,
    },
    applicant: { orgName: app.applicant.orgName, orgCode: app.applicant.orgCode },
    verifyUrl: verifyUrl(base, ref.number),
  };
  switch (ref.kind) {
    case 'ACCEPTANCE_NOTICE': {
      const clock = app.clockState;
      if (!clock) throw new Error(`${ref.documentId}: the application has no review clock`);
      const dueOn = viewClock(clock, ref.issuedOn, calendar).dueDate;
      const mark = provisionalMark({ dueOn: { from: clock.startedOn, to: dueOn } }, calendar);
      return {
        ...common,
        kind: 'ACCEPTANCE_NOTICE',
        receivedOn: app.receivedOn ?? app.acceptance?.acceptedOn ?? ref.issuedOn,
        limitDays: clock.limitDays,
        dayType: clock.dayType,
        dueOn,
        ...(mark ? { provisional: mark.provisionalNote } : {}),
        ...(app.acceptance?.deemed ? { deemed: true } : {}),
      };
    }
    case 'SUPPLEMENT_NOTICE':
      return {
        ...common,
        kind: 'SUPPLEMENT_NOTICE',
        items: (app.supplement?.items ?? []).map((i) => ({
          code: i.code,
          name: config.materials.find((m) => m.code === i.code)?.zh ?? i.code,
          reason: i.reason,
        })),
      };
    case 'NOT_ACCEPTED_DECISION':
      return {
        ...common,
        kind: 'NOT_ACCEPTED_DECISION',
        reasons: app.declineReason ? [app.declineReason] : [],
      };
    case 'APPROVAL':
      return {
        ...common,
        kind: 'APPROVAL',
        conditions: app.decision?.conditions ?? [],
        // The public's comments on its notices, each considered by the case officer's response.
        comments: { received: app.comments?.received ?? 0, considered: app.comments?.answered ?? 0 },
      };
    case 'REJECTION':
      return { ...common, kind: 'REJECTION', reasons: app.decision?.reasons ?? [] };
    case 'FILING_RECEIPT':
      return { ...common, kind: 'FILING_RECEIPT', receiptNumber: app.receiptNumber ?? ref.number };
  }
}
