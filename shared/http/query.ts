import * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { ruleParams } from '../domain/rules.ts';
import { parse } from '../schemas/parse.ts';
import { textFault } from '../schemas/text.ts';

/** Page size: 1 to 100, 20 when absent. */
export const LimitParam = z.optional(
  z.string().check(z.regex(/^(100|[1-9]\d?)$/, 'must be a whole number from 1 to 100')),
);
/**
 * Search text (`q`): not empty, at most `max` characters; each refusal carries its rule, so that the
 * console words it (control characters are refused for every query value by parseQuery too).
 */
export const SearchTextParam = (max: number) =>
  z.optional(
    z.string().check(
      z.refine((s) => !/[\p{Cc}\p{Cs}]/u.test(s), {
        message: 'must not contain control characters',
        params: ruleParams('control-chars'),
      }),
      z.refine((s) => s.trim().length > 0, {
        message: 'must not be empty',
        params: ruleParams('query-empty'),
      }),
      z.refine((s) => [...s.trim()].length <= max, {
        message: `must be at most ${max} characters`,
        params: ruleParams('query-too-long', { max }),
      }),
    ),
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
