import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';

/**
 * Opaque page cursors: the last key and the query it belongs to, signed with HMAC-SHA256, so a
 * client can neither forge one, edit one, nor reuse one for another query. Signed with the current
 * cursor key; verified with the current one, then the previous one (shared/runtime/secrets.ts), so
 * a cursor outlives one rotation of the key.
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

/** The cursor's data when one of `secrets` signed it; undefined for anything else. */
function signedData(cursor: string, secrets: readonly string[]): string | undefined {
  const [data, mac, extra] = cursor.split('.');
  if (!data || !mac || extra !== undefined || cursor.length > 2048) return undefined;
  const given = Buffer.from(mac);
  const signed = secrets.some((secret) => {
    const expected = Buffer.from(sign(data, secret));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return signed ? data : undefined;
}

/** Whether one of `secrets` signed the cursor (whatever its query). */
export function cursorSignedWith(cursor: string, secrets: readonly string[]): boolean {
  return signedData(cursor, secrets) !== undefined;
}

/** The last key of a cursor signed by one of `secrets` (the current key first) for this query. */
export function decodeCursor(
  cursor: string,
  query: string,
  secrets: string | readonly string[],
): Record<string, unknown> {
  const data = signedData(cursor, typeof secrets === 'string' ? [secrets] : secrets);
  if (data === undefined) throw invalid();
  const parsed: unknown = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
  if (!parsed || typeof parsed !== 'object' || !('q' in parsed) || !('k' in parsed) || parsed.q !== query)
    throw invalid();
  return parsed.k as Record<string, unknown>;
}
