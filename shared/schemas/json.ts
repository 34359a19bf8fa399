import canonicalize from 'canonicalize';
import { type FieldIssue, ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';

/** Deeper than any request body of the API nests (materials: 3 levels), by a wide margin. */
export const MAX_JSON_DEPTH = 32;

/**
 * The first thing in a parsed JSON body that JSON can parse but canonical JSON (RFC 8785) cannot
 * hold: a number out of range (`1e400` parses as Infinity), or nesting so deep that walking it
 * would exhaust the stack. Iterative, so that it cannot overflow itself.
 */
export function jsonIssue(value: unknown): FieldIssue | undefined {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: v, path } = next;
    if (typeof v === 'number' && !Number.isFinite(v))
      return ruleIssue(path.join('.'), 'must be a number within the range of a double', 'json-number');
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH)
      return ruleIssue(path.join('.'), `nests deeper than ${MAX_JSON_DEPTH} levels`, 'json-depth', {
        max: MAX_JSON_DEPTH,
      });
    for (const [key, item] of Object.entries(v)) stack.push({ value: item, path: [...path, key] });
  }
  return undefined;
}

/** `value` as canonical JSON (RFC 8785), or a 400 naming what keeps it from being one. */
export function canonicalJson(value: unknown, what = 'request body'): string {
  const issue = jsonIssue(value);
  if (issue) throw new ValidationError(`Invalid ${what}: ${issue.path || '(root)'}`, [issue]);
  return canonicalize(value) ?? '';
}
