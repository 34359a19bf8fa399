// @ts-nocheck
import type { z } from 'zod/mini';
import { type FieldIssue, ValidationError } from '../domain/errors.ts';

/** Validate `input`, or throw a ValidationError that names every offending field. */
export function parse<S extends z.ZodMiniType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    // Name each unknown field itself, so the client sees exactly what to remove.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
  const fields = [...new Set(issues.map((i) => i.path || '(root)'))].join(', ');
  throw new ValidationError(`Invalid ${what}: ${fields}`, issues);
}
