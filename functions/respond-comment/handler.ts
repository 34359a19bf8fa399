import { checkResponder, respondToComment } from '../../shared/domain/comments.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { authed } from '../../shared/http/api.ts';
import { commit, load } from '../../shared/http/command.ts';
import { commentView, responseInput } from '../../shared/http/comments.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';

/**
 * POST /applications/{id}/comments/{commentId}/response {"response"}: the case officer answers one
 * public comment, once (409 comment-already-answered after): the response is set on the comment in
 * the same transaction as the `respond_to_comment` event of the trail. 200 {comment, event}.
 * 404 for a comment of another application.
 */
export const handler = authed(async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const commentId = req.params.commentId ?? '';
  const found = await load(store, req, id, undefined);
  if ('replayed' in found) return found.replayed;
  const { app, headHash } = found.loaded;
  checkResponder(app, req.caller);
  const response = responseInput(req.body);
  const comment = commentId.length <= 64 ? await store.comment(id, commentId) : undefined;
  if (!comment) throw new NotFoundError('not-found', `application ${id} has no comment ${commentId}`);
  const step = respondToComment(app, comment, response, req.caller, {
    now: req.now,
    requestId: req.requestId,
  });
  const answered = { ...comment, response, respondedAt: step.event.at, respondedBy: req.caller.id };
  return commit(
    store,
    req,
    step,
    headHash,
    undefined,
    ({ event }) => json(200, { comment: commentView(answered), event }, { 'cache-control': 'no-store' }),
    undefined,
    undefined,
    { commentAnswered: answered },
  );
});
