import { beforeAll, describe, expect, it } from 'vitest';
import { decisionBlock, proposalBlock, textIssue } from '../../../../shared/domain/comments.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { createApplication, decide, editApplication } from '../../../../shared/domain/decide.ts';
import { AppError, type FieldIssue, type IssueParams } from '../../../../shared/domain/errors.ts';
import { scheduleRefusal } from '../../../../shared/domain/hearings.ts';
import { type RuleName, ruleIssue, ruleNames } from '../../../../shared/domain/rules.ts';
import { checkIfMatch, idempotencyOf } from '../../../../shared/http/command.ts';
import { problemTypes } from '../../../../shared/http/openapi-problems.ts';
import { actionPayloads } from '../../../../shared/schemas/actions.ts';
import { MaterialsSchema } from '../../../../shared/schemas/common.ts';
import { parse } from '../../../../shared/schemas/parse.ts';
import { FileNameSchema } from '../../../../shared/schemas/uploads.ts';
import {
  at,
  callers,
  createBody,
  DEFAULT_START,
  driveTo,
  material,
  ORG_CODE,
  OTHER_ORG_CODE,
  workingDay,
} from '../../shared/domain/fixtures.ts';

/**
 * Every rule the API can refuse with (shared/domain/rules.ts) and every problem type it answers
 * (shared/http/openapi-problems.ts) has the console's own words, in Chinese and in English: the
 * issues are made by the API's own code where a unit can make them, from a sample otherwise, and
 * run through web/src/issues.ts as the console shows them. The web modules read localStorage and
 * <html lang> when loaded: both are stubbed before they are imported.
 */
type Issue = { path: string; message: string; code?: string; params?: Record<string, unknown> };
let issueLine: (issue: Issue) => string;
let issueWords: (issue: Issue) => string;
let setLang: (lang: 'zh' | 'en') => void;
let t: (key: string, params?: Record<string, string | number>) => string;
let tr: (key: string, fallback?: string) => string;
let problemKey: (type: string) => string | undefined;

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
  ({ setLang, t, tr } = await import(/* @vite-ignore */ `${web}i18n.ts`));
  ({ issueLine, issueWords } = await import(/* @vite-ignore */ `${web}issues.ts`));
  ({ problemKey } = await import(/* @vite-ignore */ `${web}files.ts`));
  const { useWorkflow } = await import(/* @vite-ignore */ `${web}workflow.ts`);
  // The material names as GET /workflow gives them.
  useWorkflow({
    states: [],
    terminalStates: [],
    editableStates: [],
    categories: [],
    actions: [],
    materials: defaultConfig.materials,
    required: {},
  });
});

/** The issues of what `fn` throws (it must throw an AppError). */
function issuesOf(fn: () => unknown): FieldIssue[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.issues ?? [];
    throw error;
  }
  throw new Error('expected a refusal');
}

const req = (headers: Record<string, string>) =>
  ({
    header: (name: string) => headers[name],
    body: {},
    caller: callers.owner,
    event: { requestContext: { http: { method: 'POST' } }, rawPath: '/applications' },
  }) as never;

/** Issues the API's own code makes, by the rule they name. */
function madeByTheApi(): FieldIssue[] {
  const revision = driveTo('REVISION_REQUIRED').app;
  const later = at(workingDay(DEFAULT_START, 4));
  const notice = driveTo('PUBLIC_NOTICE').app;
  const approved = driveTo('APPROVED').app;
  const supplement = driveTo('SUPPLEMENT_REQUIRED').app;
  const draft = driveTo('DRAFT').app;
  const opts = { now: later, requestId: 'req-words' };
  return [
    ...issuesOf(() =>
      editApplication(revision, { materials: [material('APPLICATION_LETTER', 2)] }, callers.owner, opts),
    ),
    ...issuesOf(() => editApplication(revision, { project: { name: '另一个名称' } }, callers.owner, opts)),
    ...issuesOf(() => editApplication(revision, { category: 'REPORT_FORM' }, callers.owner, opts)),
    ...issuesOf(() =>
      decide(driveTo('UNDER_REVIEW').app, 'propose_decision', callers.reviewer, { proposal: 'reject' }, opts),
    ),
    ...issuesOf(() =>
      decide(
        notice,
        'approve',
        callers.approver,
        { conditions: ['另一项条件'] },
        { now: at(workingDay(DEFAULT_START, 12)), requestId: 'r' },
      ),
    ),
    ...issuesOf(() =>
      decide(approved, 'record_milestone', callers.reviewer, { milestone: 'COMPLETION_ACCEPTED' }, opts),
    ),
    ...issuesOf(() =>
      decide(supplement, 'resubmit', callers.owner, { materials: [material('EIA_DOCUMENT', 2)] }, opts),
    ),
    ...issuesOf(() =>
      decide(
        driveTo('SUBMITTED').app,
        'request_supplement',
        callers.clerk,
        {
          items: [
            { code: 'PUBLIC_VERSION', reason: '甲' },
            { code: 'PUBLIC_VERSION', reason: '乙' },
          ],
        },
        opts,
      ),
    ),
    ...issuesOf(() =>
      createApplication(
        { ...createBody('REPORT'), onBehalfOf: { orgName: '另一家单位', orgCode: OTHER_ORG_CODE } },
        callers.clerk,
        { ...opts, id: 'walk-in' },
      ),
    ),
    ...issuesOf(() => createApplication(createBody('REPORT'), callers.otherApplicant, { ...opts, id: 'x' })),
    ...issuesOf(() => editApplication(draft, {}, callers.owner, opts)),
    ...issuesOf(() => parse(MaterialsSchema, [material('EIA_DOCUMENT'), material('EIA_DOCUMENT', 2)])),
    ...issuesOf(() => {
      const file = { ...material('EXPERT_OPINION'), code: 'EXPERT_OPINION' };
      parse(actionPayloads.record_expert_opinion, {
        opinion: '可行',
        conclusion: 'PASS',
        attachments: [file, { ...file, fileName: '副本.pdf' }],
      });
    }),
    ...issuesOf(() => parse(FileNameSchema, 'a/b.pdf')),
    ...issuesOf(() => parse(FileNameSchema, ' 报告.pdf')),
    ...issuesOf(() => parse(FileNameSchema, '..')),
    ...issuesOf(() => idempotencyOf(req({ 'idempotency-key': '页面 key' }))),
    ...issuesOf(() => checkIfMatch(req({ 'if-match': 'version 3' }), draft)),
    ...[
      textIssue('text', 'a\u0001b', 10, true),
      textIssue('text', '\ud800', 10, true),
      textIssue('name', 'a\nb', 10, true, 'line'),
      textIssue('text', 'a\u202eb', 10, true),
      proposalBlock({ acceptance: notice.acceptance } as never, '2026-01-01', 0),
      proposalBlock({}, '2026-01-01', 2),
      decisionBlock(1),
      scheduleRefusal({}, '2026-01-02T09:30:00+08:00', '2026-01-01', undefined as never),
    ].flatMap((i) =>
      i
        ? [
            ruleIssue(
              i.path,
              i.message,
              (i as { rule: RuleName }).rule ?? 'control-chars',
              (i as { params?: IssueParams }).params ?? {},
            ),
          ]
        : [],
    ),
  ];
}

/** Values for the rules a unit cannot make without storage, a directory or an admin's body. */
const file = { code: 'EIA_DOCUMENT', fileName: '环评报告书.pdf' };
const samples: Partial<Record<RuleName, [string, IssueParams]>> = {
  'unknown-material': ['materials.0.code', { code: 'NO_SUCH', known: ['EIA_DOCUMENT'] }],
  'upload-unknown': ['materials.0', file],
  'bytes-missing': ['materials.0', file],
  'size-differs': ['materials.0', file],
  'sha-differs': ['materials.0', file],
  'type-mismatch': ['materials.0', { ...file, claimed: 'PDF', found: 'ZIP' }],
  'no-file-type': ['materials.0', file],
  'type-not-taken': ['materials.0', { ...file, type: 'ZIP' }],
  'scan-pending': ['materials.0', file],
  'scan-infected': ['materials.0', file],
  'hearing-too-late': ['at', { holdBy: '2026-05-01', days: 20, day: '2026-05-09' }],
  json: ['', {}],
  'json-object': ['', {}],
  'json-number': ['project.investmentCny', {}],
  'json-depth': ['', { max: 32 }],
  'idempotency-key-reused': ['header.Idempotency-Key', {}],
  cursor: ['cursor', {}],
  'query-date': ['from', {}],
  'query-instant': ['from', {}],
  'query-empty': ['q', {}],
  'query-too-long': ['q', { max: 100 }],
  'from-after-to': ['from', {}],
  'period-too-long': ['to', { max: 366 }],
  'limit-range': ['limit', { max: 1000 }],
  'ids-or-all': ['ids', {}],
  'inbox-id': ['ids.0', {}],
  'email-taken': ['email', {}],
  'directory-refused': ['email', {}],
  'group-once': ['groups', {}],
  'applicant-not-official': ['groups', {}],
  'applicant-needs-org': ['orgCode', {}],
  'own-account': ['groups', {}],
  'last-admin': ['enabled', {}],
  'patch-empty': ['', {}],
  'material-defined-twice': ['materials.3.code', { code: 'EIA_DOCUMENT' }],
  'material-not-defined': ['required.REPORT.0', { code: 'EIA_DOCUMENT' }],
  'material-listed-twice': ['required.REPORT.1', { code: 'EIA_DOCUMENT' }],
  'commitment-over-limit': ['limits.REPORT.commitmentDays', { days: 70, limit: 60 }],
  'prefix-taken': ['numberPrefixes.APPROVAL', { prefix: '醴环', series: 'CASE' }],
  'file-type-twice': ['uploads.types', {}],
  'calendar-year': ['path.year', { from: 2024, to: 2028 }],
  'calendar-date': ['holidays.0', {}],
  'date-not-in-year': ['holidays.0', { date: '2027-01-01', year: 2026 }],
  'workday-is-holiday': ['workdays.0', { date: '2026-02-15' }],
  'org-fixed': ['applicant.orgCode', {}],
  'conditions-none-noticed': ['conditions', { count: 0, date: '2026-03-06' }],
};

/** The admin's rules: their pages name the configuration's own keys (a series, a category), so only the words are checked. */
const adminRules: readonly RuleName[] = [
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
];

function everyRuleIssue(): FieldIssue[] {
  const made = madeByTheApi();
  const sampled = Object.entries(samples).map(([rule, [path, values]]) =>
    ruleIssue(path, 'English only', rule as RuleName, values),
  );
  return [...made, ...sampled];
}

/** What may stay Latin in Chinese: a USCC, a file's own name, a file type's name, a date's digits. */
const allowed = [
  ORG_CODE,
  OTHER_ORG_CODE,
  '环评报告书.pdf',
  '副本.pdf',
  '.pdf',
  /\b(PDF|OFD|Word|Excel|JPEG|PNG|ZIP)\b/g,
];
const strip = (s: string) => allowed.reduce<string>((acc, a) => acc.replaceAll(a, ''), s);

describe('the API’s rules in the console’s words', () => {
  const issues = everyRuleIssue();

  it('makes an issue of every rule, each with its code and rule name', () => {
    const named = new Set(issues.map((i) => i.params?.rule));
    expect(ruleNames.filter((r) => !named.has(r))).toEqual([]);
    for (const i of issues) expect(i.code).toBe('custom');
  });

  it('words every one in Chinese: no Latin letters, no code, no vague fallback', () => {
    setLang('zh');
    const vague = t('issueInvalid');
    for (const issue of issues) {
      const admin = adminRules.includes(issue.params?.rule as RuleName);
      const line = admin ? issueWords(issue) : issueLine(issue);
      expect.soft(strip(line), `${String(issue.params?.rule)}: ${line}`).not.toMatch(/[A-Za-z]/);
      expect(line, String(issue.params?.rule)).not.toContain(vague);
      expect(line).not.toMatch(/[{}]/);
    }
  });

  it('words every one in English, never with a placeholder or the bare code', () => {
    setLang('en');
    for (const issue of issues) {
      const line = issueLine(issue);
      expect(line.length).toBeGreaterThan(5);
      expect(line).not.toMatch(/[{}]|\b[A-Z]{2,}_[A-Z_]+\b/);
    }
  });

  it('names missing materials by their names (a refused revision)', () => {
    const issue = issues.find((i) => i.params?.rule === 'materials-missing');
    setLang('zh');
    expect(issueLine(issue as Issue)).toContain('环境影响评价文件');
    setLang('en');
    expect(issueLine(issue as Issue)).toContain('EIA document');
  });

  it('says what to do about a header, without naming it', () => {
    setLang('zh');
    const key = issues.find((i) => i.path === 'header.Idempotency-Key') as Issue;
    expect(issueLine(key)).toBe('页面已过期，请刷新后重试。');
    expect(issueLine({ path: 'header.If-Match', message: 'expected "<version>"' })).toBe(
      '页面已过期，请刷新后重试。',
    );
  });

  it('never shows an older answer’s code or English in Chinese', () => {
    setLang('zh');
    const line = issueLine({ path: 'materials', message: 'required: EIA_REPORT, PUBLIC_VERSION' });
    expect(line).not.toMatch(/[A-Za-z]/);
  });
});

describe('every problem type has a console sentence', () => {
  const types = [...Object.keys(problemTypes), 'internal'];
  it.each(['zh', 'en'] as const)('in %s', (lang) => {
    setLang(lang);
    for (const type of types) {
      const key = problemKey(type);
      expect(key, type).toBeDefined();
      const sentence = tr(key as string, '');
      expect(sentence, type).not.toBe('');
      if (lang === 'zh') expect(strip(sentence), type).not.toMatch(/[A-Za-z]/);
    }
  });
});
