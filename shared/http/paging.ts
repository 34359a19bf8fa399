import { cursorKeyRing, verifyingKeys } from '../runtime/secrets-manager.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** The start key of a page, from a cursor that must have been issued for this same query. */
export function startKeyOf(cursor: string | undefined, query: string): Record<string, unknown> | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, query, verifyingKeys(cursorKeyRing()));
}

/** `{items, cursor?}`: the cursor only when there may be more. */
export function pageBody<T>(items: T[], lastKey: Record<string, unknown> | undefined, query: string) {
  return lastKey ? { items, cursor: encodeCursor(lastKey, query, cursorKeyRing().current) } : { items };
}
