import { randomUUID } from 'node:crypto';
import { beijingDate } from '../../shared/domain/calendar.ts';
import {
  commentsOn,
  commentWindowOpen,
  type PublicComment,
  receiveComment,
} from '../../shared/domain/comments.ts';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import { open } from '../../shared/http/api.ts';
import {
  afterKeyRace,
  idempotencyRecord,
  loadKeyed,
  priorResponse,
  publicIdempotencyOf,
} from '../../shared/http/command.ts';
import { commentInput, untilCommitted } from '../../shared/http/comments.ts';
import { limitPublicWrite } from '../../shared/http/public-limit.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import { IdempotencyRaceError } from '../../shared/store/errors.ts';

/**
 * POST /public/notices/{noticeId}/comments: anyone, without signing in, comments on a notice while
 * its window is open (the acceptance notice until its last comment day, the proposed decision until
 * the last day of its notice): 202 {commentId, receivedAt}. The comment is kept beside the
 * application, in the same transaction as the `receive_comment` event of its trail (the notice, the
 * comment's id, and the name and contact given, masked for all but officials and auditors; never
 * the text) and the notice with its new comment count. The answer is the same whoever commented
 * before, under whatever name. 404 for an unknown notice, 409
 * comment-period-closed outside the window, 400 naming the field for a bad text, name or contact,
 * 429 too-many-requests once the caller's address has sent its window's share of public writes.
 *
 * An optional Idempotency-Key (a random value the form makes once per form instance) is kept, scoped
 * to the notice, in the same transaction as the comment: a retry with the same key and body gets the
 * first 202 again (`idempotent-replayed: true`), also after the window has closed, and stores
 * nothing; the same key with another body is 422 idempotency-key-reused; while the first request
 * is still being written, 409 in-flight.
 */
export const handler = open(async (req) => {
  // Counted first, whatever follows, replays too: 429 once this address has spent its budget for
  // the window. Telling a replay apart takes a read, which the budget is there to bound.
  await limitPublicWrite(req);
  const store = getStore();
  const idem = publicIdempotencyOf(req);
  const prior = await priorResponse(store, idem, req.now);
  if (prior) return prior;
  const input = commentInput(req.body);
  const noticeId = req.params.noticeId ?? '';
  const notice = await store.noticeById(noticeId);
  if (!notice) throw new NotFoundError('not-found', 'no notice has this id');
  if (!commentWindowOpen(notice, beijingDate(req.now))) {
    throw new ConflictError(
      'comment-period-closed',
      notice.endsOn && (notice.kind === 'ACCEPTANCE' || notice.kind === 'PROPOSED_DECISION')
        ? `this notice took comments from ${notice.publishedOn} until ${notice.endsOn}`
        : 'this notice takes no comments',
    );
  }
  const receivedAt = req.now.toISOString();
  // Sortable by time, unique whatever arrives in the same millisecond.
  const commentId = `${receivedAt.replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
  const comment: PublicComment = {
    commentId,
    applicationId: notice.applicationId,
    noticeId,
    noticeKind: notice.kind,
    receivedAt,
    ...input,
  };
  const answer = json(202, { commentId, receivedAt }, { 'cache-control': 'no-store' });
  try {
    return await untilCommitted(async () => {
      // With the key's record in the same read: a request with the same key that won meanwhile
      // (this one lost to it and runs again) is answered with its response.
      const { loaded, replayed } = await loadKeyed(store, notice.applicationId, idem, req.now);
      if (replayed) return replayed;
      if (!loaded) throw new NotFoundError('not-found', 'no notice has this id');
      if (loaded.app.state === 'WITHDRAWN') {
        throw new ConflictError(
          'comment-period-closed',
          'the application this notice is about was withdrawn',
        );
      }
      const step = receiveComment(loaded.app, comment, { now: req.now, requestId: req.requestId });
      // The notice again, as it is now (read after the application: a change of it in between
      // changes the application too, and this commit loses and runs again), with its count.
      const current = await store.noticeById(noticeId, { consistent: true });
      if (!current) throw new NotFoundError('not-found', 'no notice has this id');
      const counted = { ...current, commentCount: commentsOn(step.app, noticeId) };
      await store.commit({
        ...stepChange(step, loaded.headHash),
        comment,
        notices: [counted],
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
