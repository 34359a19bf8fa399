import { setTimeout as sleep } from 'node:timers/promises';
import type { PublicComment } from '../domain/comments.ts';
import { MAX_COMMENT_CHARS, textIssue } from '../domain/comments.ts';
import { ValidationError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Caller } from '../domain/types.ts';
import { ConcurrentChangeError, CounterConflictError } from '../store/errors.ts';

/** The longest name and contact a commenter may leave, in characters. */
export const MAX_NAME_CHARS = 100;
export const MAX_CONTACT_CHARS = 200;

/** A comment's body, checked: 400 naming each field that is wrong or unknown. */
export function commentInput(body: unknown): { text: string; name?: string; contact?: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('Invalid comment: the body must be a JSON object', [
      ruleIssue('', 'expected {"text", "name"?, "contact"?}', 'json-object'),
    ]);
  }
  const b = body as Record<string, unknown>;
  const issues = [
    textIssue('text', b.text, MAX_COMMENT_CHARS, true),
    textIssue('name', b.name, MAX_NAME_CHARS, false, 'line'),
    textIssue('contact', b.contact, MAX_CONTACT_CHARS, false, 'line'),
    ...Object.keys(b)
      .filter((k) => !['text', 'name', 'contact'].includes(k))
      .map((k) => ({ path: k, message: `${k} is not a field of a comment`, code: 'unrecognized_keys' })),
  ].filter((i) => i !== undefined);
  if (issues.length) {
    throw new ValidationError(`Invalid comment: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
  const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
  const name = trim(b.name);
  const contact = trim(b.contact);
  return { text: trim(b.text) ?? '', ...(name ? { name } : {}), ...(contact ? { contact } : {}) };
}

/** The response's body, checked: `response` 1–5,000 characters, nothing else. */
export function responseInput(body: unknown): string {
  const b =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const issues = [
    textIssue('response', b.response, MAX_COMMENT_CHARS, true),
    ...Object.keys(b)
      .filter((k) => k !== 'response')
      .map((k) => ({ path: k, message: `${k} is not a field of a response`, code: 'unrecognized_keys' })),
  ].filter((i) => i !== undefined);
  if (issues.length) {
    throw new ValidationError(`Invalid response: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
  return String(b.response).trim();
}

/** Whether the caller may read commenters' names and contacts: officials and auditors. */
export function seesCommenters(caller: Caller): boolean {
  return caller.roles.some((r) => r === 'clerk' || r === 'reviewer' || r === 'approver' || r === 'auditor');
}

/** A comment as the API shows it. */
export function commentView(c: PublicComment) {
  return {
    commentId: c.commentId,
    noticeId: c.noticeId,
    noticeKind: c.noticeKind,
    receivedAt: c.receivedAt,
    text: c.text,
    ...(c.name ? { name: c.name } : {}),
    ...(c.contact ? { contact: c.contact } : {}),
    ...(c.response !== undefined
      ? { response: c.response, respondedAt: c.respondedAt, respondedBy: c.respondedBy }
      : {}),
  };
}

/** Tries per comment: every comment is one more event on the same trail, so comments queue. */
export const COMMENT_ATTEMPTS = 60;

/**
 * Runs `attempt` until its commit is not beaten by another change of the same application,
 * waiting a random few milliseconds (growing) between tries; the last loss is thrown (409).
 */
export async function untilCommitted<T>(attempt: () => Promise<T>, attempts = COMMENT_ATTEMPTS): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || error instanceof CounterConflictError || n >= attempts)
        throw error;
      await sleep(Math.random() * Math.min(200, 10 * n));
    }
  }
}
