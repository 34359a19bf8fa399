import type { PublicComment } from '../../shared/domain/comments.ts';
import { hasConflict } from '../../shared/domain/decide.ts';
import { ForbiddenError } from '../../shared/domain/errors.ts';
import { authed } from '../../shared/http/api.ts';
import { load } from '../../shared/http/command.ts';
import { commentView, seesCommenters } from '../../shared/http/comments.ts';
import { json } from '../../shared/http/respond.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import type { Key } from '../../shared/store/ports.ts';

/** The most comments one application answers with. */
const MAX_COMMENTS = 5000;

/**
 * GET /applications/{id}/comments: the public's comments on the application's notices, oldest
 * first, with names, contacts and responses: {items, received, answered}. Officials and the
 * auditor only: 403 for the owner and for an official of the application's organisation; 404 for
 * another applicant, as for every application route.
 */
export const handler = authed(async (req) => {
  const id = req.params.id ?? '';
  const store = getStore();
  const found = await load(store, req, id, undefined);
  if ('replayed' in found) return found.replayed;
  // Commenters' names and contacts: never for the applicant, nor an official of its organisation.
  if (!seesCommenters(req.caller)) {
    throw new ForbiddenError('wrong-role', "the public's comments are for officials and the auditor");
  }
  if (hasConflict(found.loaded.app, req.caller)) {
    throw new ForbiddenError(
      'conflict-of-interest',
      "the public's comments on an application of your own organisation are for other officials",
    );
  }
  const items: PublicComment[] = [];
  let startKey: Key | undefined;
  do {
    const page = await store.comments(id, 500, startKey);
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey && items.length < MAX_COMMENTS);
  const counts = found.loaded.app.comments ?? { received: 0, answered: 0 };
  return json(200, { items: items.map(commentView), ...counts }, { 'cache-control': 'no-store' });
});
