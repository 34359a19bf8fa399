import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';

/**
 * Opaque page cursors: the last key and the query it belongs to, signed with HMAC-SHA256, so a
 * client can neither forge one, edit one, nor reuse one for another query.
 */
function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

export function encodeCursor(lastKey: Record<string, unknown>, query: string, secret: string): string {
  const data = Buffer.from(JSON.stringify({ k: lastKey, q: query })).toString('base64url');
  return `${data}.${sign(data, secret)}`;
}

const invalid = () =>
  new ValidationError('Invalid cursor', [ruleIssue('cursor', 'not a cursor from this query', 'cursor')]);

export function decodeCursor(cursor: string, query: string, secret: string): Record<string, unknown> {
  const [data, mac, extra] = cursor.split('.');
  if (!data || !mac || extra !== undefined || cursor.length > 2048) throw invalid();
  const expected = Buffer.from(sign(data, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  const parsed: unknown = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
  if (!parsed || typeof parsed !== 'object' || !('q' in parsed) || !('k' in parsed) || parsed.q !== query)
    throw invalid();
  return parsed.k as Record<string, unknown>;
}
