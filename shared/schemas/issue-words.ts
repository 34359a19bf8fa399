import type { FieldIssue, IssueParams } from '../domain/errors.ts';
import { zhRuleMessage } from './rule-words.ts';

/**
 * A field issue in Chinese, from its `code` and `params` (docs/http-api.md#errors): what a person
 * must change, in the words of a form ("最多 200 个字符"), not zod's ("数值过大：期望 string <=200").
 * A rule's issue (`custom`, params.rule) in its own words (rule-words.ts). An issue without a
 * code, or of a code or rule not worded here, keeps its English message.
 */
export function zhIssueMessage(issue: Pick<FieldIssue, 'code' | 'params' | 'message'>): string {
  const p: IssueParams = issue.params ?? {};
  const num = (key: string) => (typeof p[key] === 'number' || typeof p[key] === 'string' ? p[key] : '');
  switch (issue.code) {
    case 'invalid_type':
      if (p.received === 'undefined') return '必填';
      return `应为${typeWord(String(p.expected ?? ''))}，而不是${typeWord(String(p.received ?? ''))}`;
    case 'too_big': {
      const or = p.inclusive === false ? '须小于' : '不能大于';
      if (p.origin === 'string') return `最多 ${num('maximum')} 个字符`;
      if (p.origin === 'array' || p.origin === 'set') return `最多 ${num('maximum')} 项`;
      return `${or} ${num('maximum')}`;
    }
    case 'too_small': {
      if (p.origin === 'string') return Number(p.minimum) <= 1 ? '不能为空' : `至少 ${num('minimum')} 个字符`;
      if (p.origin === 'array' || p.origin === 'set')
        return Number(p.minimum) <= 1 ? '至少需要一项' : `至少 ${num('minimum')} 项`;
      return `${p.inclusive === false ? '须大于' : '不能小于'} ${num('minimum')}`;
    }
    case 'invalid_format':
      return formatWord(String(p.format ?? ''));
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values : [];
      return values.length === 1 ? `应为 ${values[0]}` : `应为以下之一：${values.join('、')}`;
    }
    case 'unrecognized_keys':
      return '不是可填写的字段，请删去';
    case 'not_multiple_of':
      return `应为 ${num('divisor')} 的整数倍`;
    default:
      // A rule of ours (`custom` with params.rule, shared/domain/rules.ts).
      return zhRuleMessage(issue.params) ?? issue.message;
  }
}

function typeWord(type: string): string {
  const words: Record<string, string> = {
    string: '文字',
    number: '数字',
    int: '整数',
    boolean: '是或否',
    array: '列表',
    object: '一组字段',
    null: '空值',
    undefined: '空',
    nan: '非数字',
  };
  return words[type] ?? type;
}

function formatWord(format: string): string {
  const words: Record<string, string> = {
    email: '电子邮件地址格式不正确',
    url: '网址格式不正确',
    uuid: '编号格式不正确',
    date: '应为日期，如 2026-03-02',
    datetime: '应为带时区的日期时间，如 2026-03-02T09:30:00+08:00',
    time: '应为时间，如 09:30',
    regex: '格式不正确',
  };
  return words[format] ?? '格式不正确';
}

/** Whether the caller asked for Chinese: the first language of `Accept-Language` (by q) is zh. */
export function wantsChinese(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((r) => /^\s*q=([\d.]+)\s*$/.exec(r)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranked[0]?.tag ?? '';
  return first === 'zh' || first.startsWith('zh-');
}
