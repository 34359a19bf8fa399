import type { FieldIssue, IssueParams } from './errors.ts';

/**
 * The rules a field issue can name beyond zod's own codes. Such an issue has `code: 'custom'` and
 * `params: { rule, ...values }` (docs/http-api.md#errors): a client words it from the rule's name
 * and its values (material codes, dates, counts), never from the English `message`. The API's
 * Chinese words are in shared/schemas/rule-words.ts, the console's in web/src/words/issues.ts;
 * a test checks that both word every name here.
 */
export const ruleNames = [
  // Applications and acts (shared/domain/decide.ts, workflow.ts).
  'materials-missing',
  'items-unanswered',
  'item-listed-twice',
  'unknown-material',
  'material-once',
  'file-attached-once',
  'reject-needs-reasons',
  'conditions-differ',
  'conditions-none-noticed',
  'milestone-order',
  'facts-frozen',
  'own-org',
  'walk-in-org',
  'org-fixed',
  'category-fixed',
  'nothing-to-change',
  'comment-period-open',
  'comments-unanswered',
  'comments-unanswered-decision',
  'hearing-too-soon',
  'hearing-too-late',
  // Files (shared/http/material-check.ts, shared/schemas/uploads.ts).
  'upload-unknown',
  'bytes-missing',
  'size-differs',
  'sha-differs',
  'type-mismatch',
  'no-file-type',
  'type-not-taken',
  'scan-pending',
  'scan-infected',
  'file-name-path',
  'file-name-space',
  'file-name-dots',
  // Text (shared/schemas/text.ts).
  'broken-char',
  'control-chars',
  'single-line',
  'bidi-chars',
  // Request form (shared/http).
  'json',
  'json-object',
  'json-number',
  'json-depth',
  'idempotency-key',
  'idempotency-key-reused',
  'if-match',
  'cursor',
  'query-date',
  'query-instant',
  'query-empty',
  'query-too-long',
  'from-after-to',
  'period-too-long',
  'limit-range',
  'ids-or-all',
  'inbox-id',
  // Staff, configuration, calendar (admin).
  'email-taken',
  'directory-refused',
  'group-once',
  'applicant-not-official',
  'applicant-needs-org',
  'own-account',
  'last-admin',
  'patch-empty',
  'material-defined-twice',
  'material-not-defined',
  'material-listed-twice',
  'commitment-over-limit',
  'prefix-taken',
  'file-type-twice',
  'calendar-year',
  'calendar-date',
  'date-not-in-year',
  'workday-is-holiday',
] as const;

export type RuleName = (typeof ruleNames)[number];

/** The `params` of a rule's issue: its name and the values a client may word it with. */
export const ruleParams = (rule: RuleName, values: IssueParams = {}): IssueParams => ({ rule, ...values });

/** A field issue that breaks `rule`: the English `message` for the API, code and params for a client. */
export function ruleIssue(
  path: string,
  message: string,
  rule: RuleName,
  values: IssueParams = {},
): FieldIssue {
  return { path, message, code: 'custom', params: ruleParams(rule, values) };
}
