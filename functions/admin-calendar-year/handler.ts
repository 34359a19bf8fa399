import { beijingDate } from '../../shared/domain/calendar.ts';
import { mergeYears, seedYears } from '../../shared/domain/calendar-years.ts';
import { checkVersionMatch, requireAdmin } from '../../shared/http/admin.ts';
import { authed } from '../../shared/http/api.ts';
import { PreconditionFailedError } from '../../shared/http/errors.ts';
import { json } from '../../shared/http/respond.ts';
import { recordBureauChange } from '../../shared/runtime/bureau.ts';
import { forgetCalendar, storedYears } from '../../shared/runtime/calendar.ts';
import { parseCalendarYear } from '../../shared/schemas/calendar.ts';
import { ConcurrentChangeError } from '../../shared/store/errors.ts';

/**
 * PUT /admin/calendar/{year} {"holidays": [...], "workdays": [...]}: the year as the State Council
 * published it, replacing the seed's or an earlier entry. Validated (400 naming the field, nothing
 * stored), then the year and its `set_calendar_year` event in the bureau stream in one
 * transaction, marked pending: the next sweep recounts every open application's dates on it.
 * If-Match "<version>" (the year's version from GET; "0" for a year never entered) guards against
 * overwriting another admin's entry (412). A concurrent change that wins after the check is 412
 * with If-Match (the tag is stale now), else 409, as on the application routes.
 */
export const handler = authed(async (req) => {
  requireAdmin(req.caller);
  const thisYear = Number(beijingDate(req.now).slice(0, 4));
  const { year, holidays, workdays } = parseCalendarYear(req.params.year ?? '', req.body, thisYear);
  const current = (await storedYears()).find((y) => y.year === year);
  const version = current?.version ?? 0;
  checkVersionMatch(req.header('if-match'), version, "the year's");
  const seed = seedYears[String(year)];
  const before = current
    ? { holidays: current.holidays, workdays: current.workdays, source: 'bureau' }
    : seed
      ? { holidays: seed.holidays, workdays: seed.workdays, source: 'seed' }
      : null;
  const at = req.now.toISOString();
  try {
    const event = await recordBureauChange({
      action: 'set_calendar_year',
      actor: { id: req.caller.id, role: 'admin', name: req.caller.name },
      at,
      subject: `calendar/${year}`,
      payload: { year, holidays, workdays },
      changes: { before, after: { holidays, workdays } },
      requestId: req.requestId,
      record: {
        kind: 'calendar',
        id: String(year),
        version: version + 1,
        body: { holidays, workdays },
        updatedAt: at,
        updatedBy: req.caller.id,
        pending: true,
      },
    });
    forgetCalendar();
    const view = mergeYears(await storedYears()).find((y) => y.year === year);
    return json(200, { year: view, event }, { etag: `"${version + 1}"` });
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError)) throw error;
    const ifMatch = req.header('if-match')?.trim();
    if (error.staleVersion && ifMatch && ifMatch !== '*') {
      throw new PreconditionFailedError(
        'stale-version',
        `If-Match ${ifMatch} no longer names the current version: the calendar for ${year} was changed by another request first`,
      );
    }
    throw new ConcurrentChangeError(
      `the calendar for ${year} was changed by another request at the same time; reload it and retry`,
      error.staleVersion,
    );
  }
});
