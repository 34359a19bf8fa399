import { authed } from '../../shared/http/api.ts';
import { hearingRequestView } from '../../shared/http/hearings.ts';
import { listPublicItems } from '../../shared/http/public-items.ts';
import { getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /applications/{id}/hearing-requests: the interested parties' hearing requests, oldest first,
 * with their names, contacts and reasons (the case officer phones those who left no e-mail address):
 * {items}. Officials and the auditor only: 403 for the owner and for an official of the
 * application's organisation; 404 for another applicant, as for every application route. A read
 * that returns requests is first one entry of the access log naming the application.
 */
export const handler = authed((req) =>
  listPublicItems(req, getStore(), {
    route: 'GET /applications/{id}/hearing-requests',
    wrongRole: 'hearing requests are for officials and the auditor',
    conflict: 'the hearing requests on an application of your own organisation are for other officials',
    page: (store, id, limit, startKey) => store.hearingRequests(id, limit, startKey),
    body: (items) => ({ items: items.map(hearingRequestView) }),
  }),
);
