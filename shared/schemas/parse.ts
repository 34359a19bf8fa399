import type { z } from 'zod/mini';
import { type FieldIssue, type IssueParams, ValidationError } from '../domain/errors.ts';

/** The limits of an issue a client may word it with; never the input itself. */
const paramKeys = [
  'expected',
  'maximum',
  'minimum',
  'inclusive',
  'exact',
  'origin',
  'format',
  'values',
  'divisor',
] as const;

/** The type of what was sent, in zod's words (`undefined` when the field is missing). */
function typeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
}

function paramsOf(issue: z.core.$ZodIssue & { input?: unknown }): IssueParams | undefined {
  const raw = issue as unknown as Record<string, unknown>;
  const params: Record<string, IssueParams[string]> = {};
  for (const key of paramKeys) {
    const value = raw[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      params[key] = value;
    else if (typeof value === 'bigint') params[key] = Number(value);
    else if (Array.isArray(value))
      params[key] = value.filter((v) => typeof v === 'string' || typeof v === 'number');
  }
  if (issue.code === 'invalid_type') params.received = typeOf(issue.input);
  // A rule of ours (shared/domain/rules.ts): its name and values, as the refinement gave them.
  if (issue.code === 'custom' && issue.params && typeof issue.params === 'object') {
    for (const [key, value] of Object.entries(issue.params as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        params[key] = value;
      else if (Array.isArray(value))
        params[key] = value.filter((v) => typeof v === 'string' || typeof v === 'number');
    }
  }
  return Object.keys(params).length ? params : undefined;
}

/** Validate `input`, or throw a ValidationError that names every offending field. */
export function parse<S extends z.ZodMiniType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    // Name each unknown field itself, so the client sees exactly what to remove.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        message: 'unknown field',
        code: 'unrecognized_keys',
      }));
    }
    const params = paramsOf(issue);
    return [
      { path: base.join('.'), message: issue.message, code: issue.code, ...(params ? { params } : {}) },
    ];
  });
  const fields = [...new Set(issues.map((i) => i.path || '(root)'))].join(', ');
  throw new ValidationError(`Invalid ${what}: ${fields}`, issues);
}
