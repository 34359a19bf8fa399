import { randomUUID } from 'node:crypto';
import { beijingDate } from '../../shared/domain/calendar.ts';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.ts';
import {
  type HearingRequest,
  hearingWindowRefusal,
  receiveHearingRequest,
} from '../../shared/domain/hearings.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import { open } from '../../shared/http/api.ts';
import {
  afterKeyRace,
  idempotencyRecord,
  loadKeyed,
  priorResponse,
  publicIdempotencyOf,
} from '../../shared/http/command.ts';
import { untilCommitted } from '../../shared/http/comments.ts';
import { hearingRequestInput } from '../../shared/http/hearings.ts';
import { limitPublicWrite } from '../../shared/http/public-limit.ts';
import { json } from '../../shared/http/respond.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';
import { IdempotencyRaceError } from '../../shared/store/errors.ts';

/**
 * POST /public/notices/{noticeId}/hearing-requests: an interested party, without signing in, asks
 * for a hearing on a proposed decision while its hearing window is open (the notice's first day
 * through the proposal's hearing deadline): 202 {hearingRequestId, receivedAt}. The request is kept
 * beside the application, in the same transaction as its event: the first request on the proposal
 * moves the case to HEARING and pauses the clock (`request_hearing` by the public), a later one is
 * counted (`receive_hearing_request`). The trail records the name and contact, never the reason.
 * 404 for an unknown notice, 409 hearing-window-closed outside the window, 400 naming the field,
 * 429 once the caller's address has sent its window's share of public writes (with comments).
 *
 * An optional Idempotency-Key (a random value the form makes once per form instance) is kept, scoped
 * to the notice, in the same transaction as the request: a retry with the same key and body gets
 * the first 202 again (`idempotent-replayed: true`) and stores nothing; the same key with another
 * body is 422 idempotency-key-reused; while the first request is still being written, 409 in-flight.
 */
export const handler = open(async (req) => {
  // Counted first, whatever follows, replays too: 429 once this address has spent its budget for
  // the window. Telling a replay apart takes a read, which the budget is there to bound.
  await limitPublicWrite(req);
  const store = getStore();
  const idem = publicIdempotencyOf(req);
  const prior = await priorResponse(store, idem, req.now);
  if (prior) return prior;
  const input = hearingRequestInput(req.body);
  const noticeId = req.params.noticeId ?? '';
  const notice = await store.noticeById(noticeId);
  if (!notice) throw new NotFoundError('not-found', 'no notice has this id');
  const receivedAt = req.now.toISOString();
  // Sortable by time, unique whatever arrives in the same millisecond.
  const hearingRequestId = `${receivedAt.replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
  const request: HearingRequest = {
    hearingRequestId,
    applicationId: notice.applicationId,
    noticeId,
    receivedAt,
    ...input,
  };
  const calendar = await getCalendar();
  const answer = json(202, { hearingRequestId, receivedAt }, { 'cache-control': 'no-store' });
  try {
    return await untilCommitted(async () => {
      // With the key's record in the same read: a request with the same key that won meanwhile
      // (this one lost to it and runs again) is answered with its response.
      const { loaded, replayed } = await loadKeyed(store, notice.applicationId, idem, req.now);
      if (replayed) return replayed;
      if (!loaded) throw new NotFoundError('not-found', 'no notice has this id');
      const refusal = hearingWindowRefusal(loaded.app, notice, beijingDate(req.now));
      if (refusal) throw new ConflictError('hearing-window-closed', refusal);
      const { config, configVersion } = await configFor(loaded.app);
      const step = receiveHearingRequest(loaded.app, request, {
        now: req.now,
        requestId: req.requestId,
        calendar,
        config,
        configVersion,
      });
      await store.commit({
        ...stepChange(step, loaded.headHash, calendar, config),
        hearingRequest: request,
        ...(idem ? { idempotency: idempotencyRecord(idem, answer, receivedAt) } : {}),
      });
      return answer;
    });
  } catch (error) {
    // Another request with the same key won the write, or is being written: its answer, or 409.
    if (idem && error instanceof IdempotencyRaceError) return afterKeyRace(store, idem, req.now);
    throw error;
  }
});
