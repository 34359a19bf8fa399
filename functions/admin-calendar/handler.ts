import { mergeYears } from '../../shared/domain/calendar-years.ts';
import { requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { storedYears } from '../../shared/runtime/calendar.ts';

/**
 * GET /admin/calendar: every year the service counts on, the seed's and the bureau's, each with
 * its holidays, adjusted working days and where they came from (`source`: seed or bureau; a
 * bureau year has its version, who entered it and when, and `pendingRecompute` until the next
 * sweep has recounted the open applications' dates). Read afresh: one Query.
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const years = mergeYears(await storedYears());
  return json(200, { years });
});
