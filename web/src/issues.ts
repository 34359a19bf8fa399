import { type Key, lang, t, tr } from './i18n.ts';
import { type UsccFault, usccFaultOf } from './uscc.ts';
import { materialName } from './workflow.ts';

/**
 * The API's validation issues in the console's words. Each issue carries `code` and `params`
 * (docs/http-api.md#errors): the console words it from them in its own language, and names the
 * field by its label (`project.name` → 项目名称), never by its path. The same words serve the
 * checks the console makes itself as one types (field-rules.ts).
 */
export interface Issue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export function issueField(path: string): string {
  // A header is no field of the form: its issue says what to do (reload), without a label.
  if (!path || path.startsWith('header.')) return '';
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

/** A message without a code (the public routes' own checks, older answers) in the console's words. */
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
  if (/ holds a broken character|well-formed Unicode/.test(message)) return t('issueBroken');
  const uscc = usccFaultOf(message);
  if (uscc) return usccWords(uscc);
  // Chinese asked for and the words are not: a sentence of the console's own, never English nor
  // a code ("required: EIA_DOCUMENT").
  if (lang() === 'zh' && /[A-Za-z]{2,}/.test(message) && !/[\u4e00-\u9fff]/.test(message))
    return t('issueInvalid');
  return message;
}

/** What is wrong with a Unified Social Credit Code, in words. */
export function usccWords(f: UsccFault): string {
  switch (f.fault) {
    case 'length':
      return t('issueUsccLength', { n: f.length });
    case 'lowercase':
      return t('issueUsccUpper');
    case 'char':
      return t('issueUsccChar', { c: f.char, n: f.position });
    case 'region':
      return t('issueUsccRegion');
    case 'check':
      return t('issueUsccCheck', { c: f.expected });
  }
}

const lastSegment = (path: string) => path.split('.').at(-1) ?? '';
const num = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '?');

/** A value the API lists (an enum) by its name in the console, when it has one. */
const valueWord = (v: unknown) => {
  const s = String(v);
  return tr(`enum.${s}`, tr(`cat_${s}`, tr(`st_${s}`, s)));
};

/** One issue in the console's words, from its `code` and `params`; without a code, from its message. */
export function issueWords(issue: Issue): string {
  const p = issue.params ?? {};
  const field = lastSegment(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (p.received === undefined || p.received === 'undefined' || p.received === 'null')
        return t('issueRequired');
      if (p.expected === 'number' || p.expected === 'int') return t('issueNumber');
      if (p.expected === 'array') return t('issueList');
      return t('issueText');
    }
    case 'too_big': {
      if (p.origin === 'string') return t('issueTooLong', { n: num(p.maximum) });
      if (p.origin === 'array' || p.origin === 'set') return t('issueTooMany', { n: num(p.maximum) });
      return t(p.inclusive === false ? 'issueBelow' : 'issueAtMost', { n: num(p.maximum) });
    }
    case 'too_small': {
      if (p.origin === 'string')
        return Number(p.minimum) <= 1 ? t('issueRequired') : t('issueTooShort', { n: num(p.minimum) });
      if (p.origin === 'array' || p.origin === 'set')
        return Number(p.minimum) <= 1 ? t('issueOneItem') : t('issueTooFew', { n: num(p.minimum) });
      return t(p.inclusive === false ? 'issueAbove' : 'issueAtLeast', { n: num(p.minimum) });
    }
    case 'invalid_format': {
      // An official's phone (the staff page) is a mobile only: it receives SMS notifications.
      if (field === 'phone') return t('issueMobile');
      if (field === 'contactPhone') return t('issuePhone');
      const key = `issueFormat_${String(p.format ?? '')}`;
      return tr(key, t('issueFormat'));
    }
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values : [];
      // A material's code (an attachment's, for one): by its name.
      if (field === 'code')
        return t('issueOneOf', {
          v: values.map((v) => materialName(String(v))).join(lang() === 'zh' ? '、' : ', '),
        });
      return t('issueOneOf', { v: values.map(valueWord).join(lang() === 'zh' ? '、' : ', ') });
    }
    case 'unrecognized_keys':
      return t('issueUnknownField');
    case 'not_multiple_of':
      return t('issueMultipleOf', { n: num(p.divisor) });
    default:
      // `custom`: the field's own rule, a USCC's (checked here, or by the API and known by its message).
      if (p.uscc && typeof p.uscc === 'object') return usccWords(p.uscc as UsccFault);
      return ruleWords(p) ?? headerWords(issue.path) ?? issueMessage(issue.message);
  }
}

const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
const materials = (v: unknown) =>
  list(v)
    .map(materialName)
    .join(lang() === 'zh' ? '、' : ', ');
const fileType = (v: unknown) => tr(`fileType_${String(v)}`, String(v ?? ''));

/**
 * A rule's issue (`custom` with `params.rule`, the API's shared/domain/rules.ts) in the console's
 * words, web/src/words/issues.ts: material codes by their names, a milestone by its name, a file
 * type in words; undefined for a rule the console does not know.
 */
export function ruleWords(p: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof p.rule !== 'string') return undefined;
  const key = `rule_${p.rule}`;
  if (tr(key, '') === '') return undefined;
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number') values[k] = v;
  const file = p.code === undefined ? '' : materialName(String(p.code));
  return t(key as Key, {
    ...values,
    materials: materials(p.codes),
    material: file,
    file:
      p.fileName === undefined
        ? file
        : `${file}${lang() === 'zh' ? '（' : ' ('}${String(p.fileName)}${lang() === 'zh' ? '）' : ')'}`,
    m: p.next === undefined ? '' : tr(`enum.${String(p.next)}`, String(p.next)),
    type: fileType(p.type),
    claimed: fileType(p.claimed),
  });
}

/** An issue of a header (an older answer without a rule): what to do, the page being out of date. */
function headerWords(path: string): string | undefined {
  if (path === 'header.Idempotency-Key') return t('rule_idempotency-key');
  if (path.startsWith('header.')) return t('rule_if-match');
  return undefined;
}

/** Rules about the act or the page as a whole: their sentence says it all, without a field's label. */
const wholeRules = new Set([
  'comment-period-open',
  'comments-unanswered',
  'comments-unanswered-decision',
  'cursor',
  'limit-range',
  'ids-or-all',
  'inbox-id',
  'json',
  'json-object',
  'json-depth',
]);

/** One issue as a line: the field's label, then what is wrong with it. */
export function issueLine(issue: Issue): string {
  const field = wholeRules.has(String(issue.params?.rule)) ? '' : issueField(issue.path);
  const message = issueWords(issue);
  return field ? `${field}${lang() === 'zh' ? '：' : ': '}${message}` : message;
}
