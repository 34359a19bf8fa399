// @ts-nocheck
import { env } from '../runtime/config.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** The start key of a page, from a cursor that must have been issued for this same query. */
export function startKeyOf(cursor: string | undefined, query: string): Record<string, unknown> | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, query, env().CURSOR_SECRET);
}

/** `{items, cursor?}`: the cursor only when there may be more. */
export function pageBody<T>(items: T[], lastKey: Record<string, unknown> | undefined, query: string) {
  return lastKey ? { items, cursor: encodeCursor(lastKey, query, env().CURSOR_SECRET) } : { items };
}
