import { beijingDate } from '../../shared/domain/calendar.ts';
import { commentsOn } from '../../shared/domain/comments.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { hearingRequestsOpenUntil } from '../../shared/domain/hearings.ts';
import { open } from '../../shared/http/api.ts';
import { json } from '../../shared/http/respond.ts';
import { noticeView } from '../../shared/http/view.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /public/notices/{noticeId}: one notice for anyone, as the list shows it, with where to read
 * on: the public version (公开版本) once the application's acceptance is published, and its decision
 * document once the decision's PDF is stored. `commentsOpenUntil` is the last day of the period the
 * public may answer in (the acceptance notice's comment days, the proposed decision's notice days),
 * `commentCount` how many comments came in on this notice (0 for kinds that take none), and
 * `hearingRequestsOpenUntil`, on a proposed decision while interested parties may ask for a
 * hearing on it, the last day they may; `hearing {at, place}` once the hearing on that proposal is
 * scheduled and until it is held (hearings are held in public, Administrative Licensing Law art. 48).
 * 404 for any id that names no notice.
 */
export const handler = open(async (req) => {
  const store = getStore();
  const noticeId = req.params.noticeId ?? '';
  const notice = await store.noticeById(noticeId);
  if (!notice) throw new NotFoundError('not-found', 'no notice has this id');
  const app = (await store.get(notice.applicationId))?.app;
  const calendar = await getCalendar();
  const published = app?.acceptance?.noticePublishedOn;
  const accepted = published !== undefined && published <= beijingDate(req.now);
  const decision = app?.documents?.find(
    (d) => (d.kind === 'APPROVAL' || d.kind === 'REJECTION') && d.sha256 !== undefined,
  );
  const answerable = notice.kind === 'ACCEPTANCE' || notice.kind === 'PROPOSED_DECISION';
  const path = encodeURIComponent(noticeId);
  const hearingsUntil = app ? hearingRequestsOpenUntil(app, notice) : undefined;
  const scheduled =
    app?.state === 'HEARING' &&
    notice.kind === 'PROPOSED_DECISION' &&
    notice.publishedAt === app.proposal?.proposedAt
      ? app.hearing?.scheduled
      : undefined;
  return json(
    200,
    {
      ...noticeView(notice, calendar),
      // The application's own count (the notice item's copy of it is what the list shows).
      commentCount: app ? commentsOn(app, noticeId) : (notice.commentCount ?? 0),
      ...(answerable && notice.endsOn ? { commentsOpenUntil: notice.endsOn } : {}),
      ...(hearingsUntil ? { hearingRequestsOpenUntil: hearingsUntil } : {}),
      ...(scheduled ? { hearing: { at: scheduled.at, place: scheduled.place } } : {}),
      links: {
        ...(accepted ? { publicVersion: `/public/notices/${path}/public-version` } : {}),
        ...(decision
          ? {
              decisionNumber: decision.number,
              decisionDocument: `/public/documents/${encodeURIComponent(decision.number)}/file`,
              verify: `/public/documents/${encodeURIComponent(decision.number)}`,
            }
          : {}),
      },
    },
    { 'cache-control': 'public, max-age=60' },
  );
});
