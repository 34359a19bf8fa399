import { authed } from '../../shared/http/api.ts';
import { commentView } from '../../shared/http/comments.ts';
import { listPublicItems } from '../../shared/http/public-items.ts';
import { getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /applications/{id}/comments: the public's comments on the application's notices, oldest
 * first, with names, contacts and responses: {items, received, answered}. Officials and the
 * auditor only: 403 for the owner and for an official of the application's organisation; 404 for
 * another applicant, as for every application route. A read that returns comments is first one
 * entry of the access log naming the application.
 */
export const handler = authed((req) =>
  listPublicItems(req, getStore(), {
    route: 'GET /applications/{id}/comments',
    wrongRole: "the public's comments are for officials and the auditor",
    conflict: "the public's comments on an application of your own organisation are for other officials",
    page: (store, id, limit, startKey) => store.comments(id, limit, startKey),
    body: (items, app) => ({
      items: items.map(commentView),
      ...(app.comments ?? { received: 0, answered: 0 }),
    }),
  }),
);
