import { lang, t, tr } from './i18n.ts';

/**
 * The API's validation issues in the console's words: a field path (`project.location`,
 * `items.0.reason`) becomes the field's label, and the validator's usual English for a missing,
 * empty or mistyped value becomes a sentence of the console's own. Any other message is shown as
 * the API wrote it (it is about that field's own rule, e.g. a check digit).
 */
export function issueField(path: string): string {
  if (!path) return '';
  if (tr(path, '') !== '') return tr(path);
  const parts: string[] = [];
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment)) {
      // `items.0` is the first item: numbered from 1, as the form numbers them.
      parts.push(String(Number(segment) + 1));
      continue;
    }
    parts.push(tr(`field.${segment}`, segment));
  }
  return parts.join(lang() === 'zh' ? ' · ' : ' › ');
}

export function issueMessage(message: string): string {
  if (/received undefined|received null|^required$/i.test(message)) return t('issueRequired');
  if (/expected string to have >=1 characters|expected array to have >=1 items/i.test(message))
    return t('issueRequired');
  if (/expected number|received NaN/i.test(message)) return t('issueNumber');
  const tooLong = /expected string to have <=(\d+) characters/i.exec(message);
  if (tooLong?.[1]) return t('issueTooLong', { n: tooLong[1] });
  // The public routes' own checks (a comment, a hearing request, a response).
  if (/ must not be empty$| must be text$/.test(message)) return t('issueRequired');
  const over = / must be at most (\d+) characters/.exec(message);
  if (over?.[1]) return t('issueTooLong', { n: over[1] });
  if (/ must not contain control characters$/.test(message)) return t('issueControl');
  if (/ holds a broken character/.test(message)) return t('issueBroken');
  return message;
}

/** One issue as a line: the field's label, then what is wrong with it. */
export function issueLine(issue: { path: string; message: string }): string {
  const field = issueField(issue.path);
  const message = issueMessage(issue.message);
  return field ? `${field}${lang() === 'zh' ? '：' : ': '}${message}` : message;
}
