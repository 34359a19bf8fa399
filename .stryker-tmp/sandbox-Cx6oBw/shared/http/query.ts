// @ts-nocheck
import * as z from 'zod/mini';
import { parse } from '../schemas/parse.ts';

/** Page size: 1 to 100, 20 when absent. */
export const LimitParam = z.optional(
  z.string().check(z.regex(/^(100|[1-9]\d?)$/, 'must be a whole number from 1 to 100')),
);
export const CursorParam = z.optional(z.string().check(z.maxLength(2048)));

export function pageLimit(limit: string | undefined): number {
  return limit ? Number(limit) : 20;
}

/** Query strings are checked like bodies: unknown parameters are refused, every issue named. */
export function parseQuery<S extends z.ZodMiniType>(schema: S, query: Record<string, string>): z.infer<S> {
  return parse(schema, query, 'query string');
}
