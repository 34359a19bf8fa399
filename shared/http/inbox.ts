import * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { type InboxEntry, MAX_READ_IDS, sortKeyOfId } from '../domain/inbox.ts';
import { ruleIssue } from '../domain/rules.ts';

/** An entry as GET /inbox answers it: the notification's words in both languages, and whether it is read. */
export function inboxEntryView(entry: InboxEntry & { read: boolean }) {
  return {
    id: entry.id,
    ...(entry.applicationId ? { applicationId: entry.applicationId } : {}),
    action: entry.action,
    at: entry.at,
    subject: entry.subject,
    body: entry.body,
    ...(entry.deadline ? { deadline: entry.deadline } : {}),
    ...(entry.provisional ? { provisional: true } : {}),
    read: entry.read,
    ...(entry.readAt ? { readAt: entry.readAt } : {}),
  };
}

/** The body of POST /inbox/read: the entries to mark read, or all of them. */
export const InboxReadSchema = z.strictObject({
  ids: z.optional(
    z
      .array(z.string().check(z.minLength(1), z.maxLength(300)))
      .check(z.minLength(1), z.maxLength(MAX_READ_IDS)),
  ),
  all: z.optional(z.literal(true)),
});

/** The sort keys the body names, or 'all'; a body naming neither or both, or an id no entry can have, is refused. */
export function entriesToRead(body: z.infer<typeof InboxReadSchema>): string[] | 'all' {
  if ((body.ids === undefined) === (body.all === undefined)) {
    throw new ValidationError('Give either ids or all', [
      ruleIssue(
        body.ids === undefined ? 'ids' : 'all',
        'give either ids (the entries to mark read) or all: true, not both',
        'ids-or-all',
      ),
    ]);
  }
  if (body.all) return 'all';
  const ids = body.ids ?? [];
  const issues = ids.flatMap((id, i) =>
    sortKeyOfId(id) === undefined ? [ruleIssue(`ids.${i}`, 'not the id of an inbox entry', 'inbox-id')] : [],
  );
  if (issues.length > 0)
    throw new ValidationError(`Invalid request body: ${issues.map((i) => i.path).join(', ')}`, issues);
  return ids.map((id) => sortKeyOfId(id) ?? '');
}
