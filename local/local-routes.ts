import { now, resetNow, setNow } from '../shared/runtime/now.ts';
import { issueDocumentsBetween } from './documents.ts';
import { deliverInboxBetween } from './inbox.ts';
import { json, type LocalResponse, problem } from './problem.ts';
import { type LocalIssuer, parseTokenSubject, TokenRequestError } from './tokens.ts';
import type { LocalUserDirectory } from './user-directory.ts';

/**
 * Routes only the local server has (never deployed, no token needed), keyed `METHOD /path`.
 * Later work adds `POST /local/sweep` and `GET /local/outbox` by setting entries on the server's
 * `localRoutes` map or passing `localRoutes` to createLocalServer.
 */
export interface LocalRouteRequest {
  /** The parsed JSON body; undefined when the body is empty. */
  readonly body: unknown;
  readonly query: URLSearchParams;
}

export type LocalRoute = (request: LocalRouteRequest) => Promise<LocalResponse> | LocalResponse;
export type LocalRoutes = Map<string, LocalRoute>;

/** Thrown by a local route for a bad request; the server answers problem+json naming `field`. */
export class LocalRouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'LocalRouteError';
  }
}

export function toProblem(error: LocalRouteError | TokenRequestError): LocalResponse {
  if (error instanceof TokenRequestError)
    return problem(400, error.message, { fields: { field: error.field } });
  return problem(
    error.status,
    error.message,
    error.field === undefined ? {} : { fields: { field: error.field } },
  );
}

export function defaultLocalRoutes(
  issuer: LocalIssuer,
  directory?: Pick<LocalUserDirectory, 'get'>,
): LocalRoutes {
  return new Map<string, LocalRoute>([
    [
      'POST /local/token',
      async ({ body }) => {
        const subject = parseTokenSubject(body);
        // Cognito signs nobody in whose account is disabled; neither does its stand-in.
        const user = await directory?.get(subject.sub);
        if (user && !user.enabled)
          throw new LocalRouteError(
            403,
            `the account ${subject.sub} is disabled: an admin can enable it again`,
            'sub',
          );
        return json(200, { token: await issuer.issue(subject) });
      },
    ],
    ['GET /local/clock', () => clockResponse()],
    ['POST /local/clock', ({ body }) => moveClock(body)],
    ['POST /local/sweep', async () => json(200, await sweepOnce())],
    ['GET /local/outbox', ({ query }) => listOutbox(query)],
  ]);
}

/**
 * The notifications that would have been sent (the transactional outbox), newest first; `limit`
 * (1 to 100, default 50). Imported on first use, like the sweeper.
 */
export async function listOutbox(query: URLSearchParams): Promise<LocalResponse> {
  const raw = query.get('limit');
  const limit = raw === null ? 50 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new LocalRouteError(400, 'limit: expected an integer from 1 to 100', 'limit');
  }
  const { getStore } = await import('../shared/runtime/clients.ts');
  const page = await getStore().outbox(limit);
  return json(200, { items: page.items });
}

/**
 * Runs the sweeper once, now (by the handlers' clock): what the schedule does every 15 minutes in
 * AWS. Imported on first use, so that the handlers' environment is set before the store reads it.
 */
export async function sweepOnce() {
  const [{ runSweep }, { getBureauStore, getDigestStore, getStore }] = await Promise.all([
    import('../functions/sweeper/run.ts'),
    import('../shared/runtime/clients.ts'),
  ]);
  const startedAt = now().toISOString();
  const report = await runSweep(getStore(), now(), getDigestStore(), getBureauStore());
  // The acceptance notices of deemed acceptances, issued before the answer (./documents.ts).
  await issueDocumentsBetween(startedAt, now().toISOString());
  // Its notifications, in the inboxes of the users they name (./inbox.ts).
  await deliverInboxBetween(startedAt, now().toISOString());
  return report;
}

// A full timestamp with its offset: a bare date or local time would be read in the server's zone.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `{"now": "2025-03-02T09:00:00+08:00"}` sets the handlers' clock to that instant, from where it
 * keeps ticking; `{"now": null}` goes back to the real clock. Moving backwards is allowed (tests
 * rewind between cases), so nothing here guarantees that time only grows: the domain must not rely
 * on it. Tokens keep real time and do not expire when the clock moves.
 */
function moveClock(body: unknown): LocalResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LocalRouteError(400, 'expected a JSON object {"now": "<ISO 8601 timestamp>"}', 'body');
  }
  const unknown = Object.keys(body).find((k) => k !== 'now');
  if (unknown !== undefined) throw new LocalRouteError(400, `${unknown}: unknown field`, unknown);
  const value = 'now' in body ? body.now : undefined;
  if (value === null) {
    resetNow();
    return clockResponse();
  }
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new LocalRouteError(
      400,
      'now: an ISO 8601 timestamp with offset is required, e.g. "2025-03-02T09:00:00+08:00" (null: real time)',
      'now',
    );
  }
  setNow(new Date(value));
  return clockResponse();
}

function clockResponse(): LocalResponse {
  return json(200, { now: now().toISOString() });
}
