import * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { parse } from '../schemas/parse.ts';
import { textFault } from '../schemas/text.ts';

/** Page size: 1 to 100, 20 when absent. */
export const LimitParam = z.optional(
  z.string().check(z.regex(/^(100|[1-9]\d?)$/, 'must be a whole number from 1 to 100')),
);
export const CursorParam = z.optional(z.string().check(z.maxLength(2048)));

export function pageLimit(limit: string | undefined): number {
  return limit ? Number(limit) : 20;
}

/**
 * Query strings are checked like bodies: unknown parameters are refused, every issue named. Every
 * value is one line of text first (shared/schemas/text.ts): no control, line-break, direction or
 * broken characters in a search, an actor or anything else a query carries.
 */
export function parseQuery<S extends z.ZodMiniType>(schema: S, query: Record<string, string>): z.infer<S> {
  const issues = Object.entries(query).flatMap(([name, value]) => {
    const fault = typeof value === 'string' ? textFault(value, 'line') : undefined;
    return fault ? [{ path: name, message: fault.message, code: 'custom', params: fault.params }] : [];
  });
  if (issues.length > 0)
    throw new ValidationError(`Invalid query string: ${issues.map((i) => i.path).join(', ')}`, issues);
  return parse(schema, query, 'query string');
}
