import { hasConflict } from '../domain/decide.ts';
import { ForbiddenError } from '../domain/errors.ts';
import type { Application } from '../domain/types.ts';
import type { ApplicationStore, Key, Page } from '../store/ports.ts';
import { recordRead } from './access-log.ts';
import type { AuthedReq } from './api.ts';
import { load } from './command.ts';
import { seesCommenters } from './comments.ts';
import { json, type Result } from './respond.ts';

/** The most items of the public one application answers with. */
const MAX_ITEMS = 5000;
/** How many a read takes at a time. */
const PAGE = 500;

/** What one list of the public's items on an application reads, says and answers. */
export interface PublicItemList<T> {
  /** The route, as the access-log entry of a read names it. */
  route: string;
  /** Why someone without an official role or the auditor's is refused (403 wrong-role). */
  wrongRole: string;
  /** Why an official of the application's organisation is refused (403 conflict-of-interest). */
  conflict: string;
  /** One page of the items, oldest first. */
  page: (store: ApplicationStore, id: string, limit: number, startKey?: Key) => Promise<Page<T>>;
  /** The answer's body, from the items read and the application. */
  body: (items: T[], app: Application) => Record<string, unknown>;
}

/**
 * GET /applications/{id}/… of what the public sent about an application (its comments, its
 * hearing requests), with names and contacts as given: for officials and the auditor only, 403
 * `wrong-role` for the owner, 403 `conflict-of-interest` for an official of the application's
 * organisation, 404 for another applicant, as for every application route. Reads up to 5,000.
 * A read that returns any item is first one entry of the access log naming the application (the
 * names and contacts are the public's personal data); an empty list holds none and is not logged.
 */
export async function listPublicItems<T>(
  req: AuthedReq,
  store: ApplicationStore,
  list: PublicItemList<T>,
): Promise<Result> {
  const id = req.params.id ?? '';
  const found = await load(store, req, id, undefined);
  if ('replayed' in found) return found.replayed;
  // Names and contacts of the public: never for the applicant, nor an official of its organisation.
  if (!seesCommenters(req.caller)) throw new ForbiddenError('wrong-role', list.wrongRole);
  if (hasConflict(found.loaded.app, req.caller))
    throw new ForbiddenError('conflict-of-interest', list.conflict);
  const items: T[] = [];
  let startKey: Key | undefined;
  do {
    const page = await list.page(store, id, PAGE, startKey);
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey && items.length < MAX_ITEMS);
  await recordRead(req, list.route, items.length > 0 ? [found.loaded.app] : []);
  return json(200, list.body(items, found.loaded.app), { 'cache-control': 'no-store' });
}
