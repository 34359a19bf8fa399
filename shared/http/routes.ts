/**
 * Every route of the API and the function that serves it. The local server dispatches from this
 * list and CDK builds the REST API's definition from it, so both serve exactly the same API.
 * A function lives in `functions/<fn>/handler.ts` and exports `handler`.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  readonly method: HttpMethod;
  /** API Gateway route path, with `{name}` path parameters. */
  readonly path: string;
  readonly fn: string;
  /** false: public, no token needed. */
  readonly auth: boolean;
}

export const routes = [
  { method: 'POST', path: '/applications', fn: 'create-application', auth: true },
  { method: 'GET', path: '/applications', fn: 'list-applications', auth: true },
  { method: 'GET', path: '/applications/{id}', fn: 'get-application', auth: true },
  { method: 'PATCH', path: '/applications/{id}', fn: 'update-application', auth: true },
  { method: 'DELETE', path: '/applications/{id}', fn: 'delete-application', auth: true },
  { method: 'POST', path: '/applications/{id}/actions/{action}', fn: 'take-action', auth: true },
  { method: 'GET', path: '/applications/{id}/events', fn: 'list-events', auth: true },
  { method: 'POST', path: '/applications/{id}/uploads', fn: 'create-upload', auth: true },
  { method: 'GET', path: '/applications/{id}/materials', fn: 'list-materials', auth: true },
  { method: 'GET', path: '/applications/{id}/materials/{code}', fn: 'get-material', auth: true },
  { method: 'GET', path: '/applications/{id}/documents', fn: 'list-documents', auth: true },
  { method: 'GET', path: '/applications/{id}/documents/{documentId}', fn: 'get-document', auth: true },
  { method: 'GET', path: '/applications/{id}/comments', fn: 'list-comments', auth: true },
  {
    method: 'POST',
    path: '/applications/{id}/comments/{commentId}/response',
    fn: 'respond-comment',
    auth: true,
  },
  { method: 'GET', path: '/applications/{id}/hearing-requests', fn: 'list-hearing-requests', auth: true },
  { method: 'GET', path: '/audit/events', fn: 'audit-events', auth: true },
  { method: 'GET', path: '/audit/applications/{id}/verify', fn: 'audit-verify', auth: true },
  { method: 'GET', path: '/audit/digests', fn: 'audit-digests', auth: true },
  { method: 'GET', path: '/audit/access-log', fn: 'audit-access-log', auth: true },
  { method: 'GET', path: '/audit/bureau/events', fn: 'audit-bureau-events', auth: true },
  { method: 'GET', path: '/audit/bureau/verify', fn: 'audit-bureau-verify', auth: true },
  { method: 'GET', path: '/stats', fn: 'stats', auth: true },
  { method: 'GET', path: '/inbox', fn: 'inbox', auth: true },
  { method: 'POST', path: '/inbox/read', fn: 'inbox-read', auth: true },
  { method: 'GET', path: '/admin/calendar', fn: 'admin-calendar', auth: true },
  { method: 'PUT', path: '/admin/calendar/{year}', fn: 'admin-calendar-year', auth: true },
  { method: 'GET', path: '/admin/config', fn: 'admin-config', auth: true },
  { method: 'PUT', path: '/admin/config', fn: 'admin-update-config', auth: true },
  { method: 'GET', path: '/admin/users', fn: 'admin-users', auth: true },
  { method: 'POST', path: '/admin/users', fn: 'admin-invite-user', auth: true },
  { method: 'PATCH', path: '/admin/users/{id}', fn: 'admin-update-user', auth: true },
  { method: 'GET', path: '/public/notices', fn: 'public-notices', auth: false },
  { method: 'GET', path: '/public/notices/{noticeId}', fn: 'public-notice', auth: false },
  { method: 'GET', path: '/public/notices/{noticeId}/public-version', fn: 'public-version', auth: false },
  { method: 'POST', path: '/public/notices/{noticeId}/comments', fn: 'public-comment', auth: false },
  {
    method: 'POST',
    path: '/public/notices/{noticeId}/hearing-requests',
    fn: 'public-hearing-request',
    auth: false,
  },
  { method: 'GET', path: '/public/documents/{number}', fn: 'public-document', auth: false },
  { method: 'GET', path: '/public/documents/{number}/file', fn: 'public-document-file', auth: false },
  { method: 'GET', path: '/workflow', fn: 'workflow', auth: false },
  { method: 'GET', path: '/openapi.json', fn: 'openapi', auth: false },
] as const satisfies readonly RouteDef[];

export type FunctionName = (typeof routes)[number]['fn'];
