import type { FunctionName } from '../shared/http/routes.ts';
import { mainTable } from '../shared/store/table.ts';
import type { TableBinding } from './eia-function.ts';

/** What one function does with the two tables; a function without an entry touches neither. */
export interface FunctionAccess {
  readonly main?: TableBinding;
  readonly idempotency?: TableBinding;
}

const allIndexes = mainTable.globalSecondaryIndexes.map((index) => index.indexName);

/**
 * Read off the handlers and `shared/store/application-store.ts`: `get` is a GetItem,
 * `getWithIdempotency` a TransactGetItems (GetItem on both tables), `commit` a TransactWriteItems of
 * conditional Puts (PutItem), `list` a Query on an index, `events` and `notices` a Query on the table.
 * A new function (a route added to routes.ts) fails synth until it is listed here.
 */
export const functionAccess: Record<FunctionName, FunctionAccess> = {
  // priorResponse reads the idempotency record; commit writes the draft, its event and the record.
  'create-application': {
    main: { access: 'write' },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  'get-application': { main: { access: 'read', reads: ['GetItem'] } },
  // Every list is an index query: by owner, by state, or all.
  'list-applications': { main: { access: 'read', queryIndexes: allIndexes } },
  'list-events': { main: { access: 'read', reads: ['GetItem', 'Query'] } },
  'public-notices': { main: { access: 'read', reads: ['Query'] } },
  // load (GetItem or TransactGetItems), commit, and the record again after losing an idempotency race.
  'take-action': {
    main: { access: 'write', reads: ['GetItem'] },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // PATCH carries no Idempotency-Key: load and commit on the main table only.
  'update-application': { main: { access: 'write', reads: ['GetItem'] } },
  workflow: {},
  openapi: {},
};

export function accessOf(fn: string): FunctionAccess {
  const access = (functionAccess as Record<string, FunctionAccess | undefined>)[fn];
  if (!access) {
    throw new Error(`infra/function-access.ts: declare which table actions function ${fn} uses`);
  }
  return access;
}
