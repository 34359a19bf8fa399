import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { usccCheckChar, validateUscc } from '../../../../shared/domain/uscc.ts';
import { CreateApplicationSchema } from '../../../../shared/schemas/common.ts';
import { parse } from '../../../../shared/schemas/parse.ts';

/**
 * The console words every validation issue itself, from its `code` and `params`, with the field's
 * label, in Chinese and in English; never a path, never zod's English in Chinese. Its checks as
 * one types (field-rules.ts, uscc.ts) find what the API finds, on the same samples. The web
 * modules read localStorage and <html lang> when loaded: both are stubbed before they are imported.
 */
type Issue = { path: string; message: string; code?: string; params?: Record<string, unknown> };
let issueLine: (issue: Issue) => string;
let issueWords: (issue: Issue) => string;
let setLang: (lang: 'zh' | 'en') => void;
let usccFault: (code: string) => unknown;
let usccFaultOf: (message: string) => unknown;
let rulesOf: (schema: unknown) => { path: string; required: boolean }[];
let checkValue: (rule: unknown, raw: string, filled?: boolean) => Issue | undefined;

beforeAll(async () => {
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    },
    sessionStorage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined },
    document: { documentElement: { lang: '' } },
  });
  // Computed paths: the modules are typed against the DOM library, these tests against Node's.
  const web = '../../../../web/src/';
  ({ setLang } = await import(/* @vite-ignore */ `${web}i18n.ts`));
  ({ issueLine, issueWords } = await import(/* @vite-ignore */ `${web}issues.ts`));
  ({ usccFault, usccFaultOf } = await import(/* @vite-ignore */ `${web}uscc.ts`));
  ({ rulesOf, checkValue } = await import(/* @vite-ignore */ `${web}field-rules.ts`));
});

const valid = (prefix: string) => `${prefix}${usccCheckChar(prefix)}`;
const ORG = valid('91430281MA4L12345');
const good = {
  category: 'REPORT_FORM',
  project: { name: '陶瓷废料综合利用项目', location: '醴陵市', industry: '陶瓷', investmentCny: 1000 },
  applicant: { orgName: '醴陵陶瓷有限公司', orgCode: ORG, contactName: '王芳', contactPhone: '13800138000' },
};

/** The issues the API itself answers for `body` (shared/schemas/parse.ts). */
function apiIssues(body: unknown): Issue[] {
  try {
    parse(CreateApplicationSchema, body);
  } catch (e) {
    if (e instanceof ValidationError) return (e.issues ?? []) as Issue[];
    throw e;
  }
  return [];
}

const zhOnly = (s: string) => {
  // Chinese: no Latin words (a USCC's own characters aside) and no dotted path.
  expect(s).not.toMatch(/[A-Za-z]{2,}/);
  expect(s).not.toMatch(/\w\.\w/);
};

describe('each code in words', () => {
  const cases: [Issue, string, string][] = [
    [
      {
        path: 'project.name',
        message: '',
        code: 'invalid_type',
        params: { expected: 'string', received: 'undefined' },
      },
      '项目名称：此项必填，请填写。',
      'Project name: This is required: please fill it in.',
    ],
    [
      { path: 'project.name', message: '', code: 'too_big', params: { origin: 'string', maximum: 200 } },
      '项目名称：最多 200 个字。',
      'Project name: At most 200 characters.',
    ],
    [
      { path: 'project.name', message: '', code: 'too_small', params: { origin: 'string', minimum: 1 } },
      '项目名称：此项必填，请填写。',
      'Project name: This is required: please fill it in.',
    ],
    [
      {
        path: 'project.investmentCny',
        message: '',
        code: 'too_small',
        params: { origin: 'number', minimum: 0 },
      },
      '总投资（元）：不能小于 0。',
      'Investment (CNY): Must be at least 0.',
    ],
    [
      {
        path: 'project.investmentCny',
        message: '',
        code: 'too_big',
        params: { origin: 'number', maximum: 5 },
      },
      '总投资（元）：不能大于 5。',
      'Investment (CNY): Must be at most 5.',
    ],
    [
      {
        path: 'project.investmentCny',
        message: '',
        code: 'invalid_type',
        params: { expected: 'int', received: 'string' },
      },
      '总投资（元）：请填写数字。',
      'Investment (CNY): Please enter a number.',
    ],
    [
      { path: 'materials', message: '', code: 'too_big', params: { origin: 'array', maximum: 50 } },
      '材料：最多 50 项。',
      'Materials: At most 50 items.',
    ],
    [
      { path: 'applicant.contactPhone', message: '', code: 'invalid_format', params: { format: 'regex' } },
      '联系电话：请填写 11 位手机号，或带区号的固定电话（如 0731-23456789）。',
      'Phone: Enter an 11-digit mobile number, or a landline with its area code (e.g. 0731-23456789).',
    ],
    [
      { path: 'category', message: '', code: 'invalid_value', params: { values: ['REPORT', 'REPORT_FORM'] } },
      '文件类型：请从以下选择：',
      'Category: Choose one of: ',
    ],
    [
      { path: 'project.colour', message: 'unknown field', code: 'unrecognized_keys' },
      '项目信息 · colour：这一项不能填写，请删去。',
      'Project › colour: This cannot be filled in: please remove it.',
    ],
    [
      {
        path: 'applicant.orgCode',
        message: 'Unified Social Credit Code check character should be 7',
        code: 'custom',
      },
      '统一社会信用代码：校验位不符',
      'Unified Social Credit Code: The check character does not match',
    ],
  ];
  it.each(cases)('%j', (issue, zh, en) => {
    setLang('zh');
    expect(issueLine(issue).startsWith(zh)).toBe(true);
    setLang('en');
    expect(issueLine(issue).startsWith(en)).toBe(true);
  });

  it('never shows the API’s English in Chinese, even for a rule it has no words for', () => {
    setLang('zh');
    expect(issueWords({ path: 'x', message: 'each material code may appear once', code: 'custom' })).toBe(
      '此项填写有误，请检查。',
    );
    setLang('en');
    expect(issueWords({ path: 'x', message: 'each material code may appear once', code: 'custom' })).toBe(
      'each material code may appear once',
    );
  });

  it('words what the API answers for an invalid application, never as a path or in English', () => {
    const issues = apiIssues({
      ...good,
      project: { ...good.project, name: '醴'.repeat(201), location: undefined },
      applicant: {
        ...good.applicant,
        orgCode: `${ORG.slice(0, 17)}${ORG.endsWith('1') ? '2' : '1'}`,
        contactPhone: '12',
      },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['applicant.contactPhone', 'applicant.orgCode', 'project.location', 'project.name'].sort(),
    );
    setLang('zh');
    for (const issue of issues) zhOnly(issueLine(issue));
    setLang('en');
    for (const issue of issues)
      expect(issueLine(issue)).not.toMatch(/\b(project|applicant)\.|expected|received/);
  });
});

describe('the console’s checks are the API’s', () => {
  const samples = [
    ORG,
    valid('91430200MA4L0000A'),
    ORG.toLowerCase(),
    ORG.slice(0, 17),
    `${ORG}0`,
    `${ORG.slice(0, 17)}${ORG.endsWith('1') ? '2' : '1'}`,
    `${ORG.slice(0, 4)}I${ORG.slice(5)}`,
    `91AB0281MA4L12345${'0'}`,
    '',
    '统一社会信用代码统一社会信用代码统一',
  ];
  it.each(samples)('USCC %s: same verdict and same fault', (code) => {
    const api = validateUscc(code);
    const web = usccFault(code);
    expect(web === undefined).toBe(api.ok);
    if (!api.ok) expect(usccFaultOf(api.reason)).toEqual(web);
  });

  it('finds in the form what the API finds in the request, from the same JSON Schema', () => {
    const schema = z.toJSONSchema(CreateApplicationSchema, { io: 'input' });
    const rules = rulesOf(schema);
    const rule = (path: string) => rules.find((r) => r.path === path);
    expect(rule('project.name')?.required).toBe(true);
    expect(rule('project.description')?.required).toBe(false);
    expect(rule('preparedBy.orgName')?.required).toBe(false);
    const bad = {
      'project.name': '醴'.repeat(201),
      'project.location': '',
      'project.investmentCny': '-1',
      'applicant.orgCode': ORG.toLowerCase(),
      'applicant.contactPhone': '12345',
    };
    for (const [path, value] of Object.entries(bad)) {
      const issue = checkValue(rule(path), value);
      const [group, name] = path.split('.') as ['project' | 'applicant', string];
      const typed = name === 'investmentCny' ? Number(value) : value === '' ? undefined : value;
      const fromApi = apiIssues({ ...good, [group]: { ...good[group], [name]: typed } });
      expect(fromApi).toHaveLength(1);
      for (const lang of ['zh', 'en'] as const) {
        setLang(lang);
        expect(issue && issueLine(issue)).toBe(issueLine(fromApi[0] as Issue));
      }
    }
    expect(checkValue(rule('project.name'), good.project.name)).toBeUndefined();
    expect(checkValue(rule('applicant.orgCode'), ORG)).toBeUndefined();
    // The consultancy is optional, but named at all it needs its code.
    expect(checkValue(rule('preparedBy.orgCode'), '')).toBeUndefined();
    expect(checkValue(rule('preparedBy.orgCode'), '', true)?.code).toBe('invalid_type');
  });
});
