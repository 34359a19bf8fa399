/**
 * A rule's issue carries `code: 'custom'` and `params.rule` with its values, so that a client can
 * word it; the API's own message stays English, and reads in Chinese for a caller whose
 * Accept-Language puts Chinese first (shared/domain/rules.ts, shared/schemas/rule-words.ts).
 */

import { describe, expect, it } from 'vitest';
import { editApplication } from '../../../../shared/domain/decide.ts';
import { AppError, ValidationError } from '../../../../shared/domain/errors.ts';
import { ruleIssue, ruleNames } from '../../../../shared/domain/rules.ts';
import { checkIfMatch } from '../../../../shared/http/command.ts';
import { problem } from '../../../../shared/http/respond.ts';
import { MaterialsSchema } from '../../../../shared/schemas/common.ts';
import { parse } from '../../../../shared/schemas/parse.ts';
import { zhRuleMessage, zhRuleWords } from '../../../../shared/schemas/rule-words.ts';
import { at, callers, DEFAULT_START, driveTo, material, workingDay } from '../domain/fixtures.ts';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const bodyOf = (error: AppError, zh: boolean) =>
  JSON.parse(String(problem(error, undefined, zh).body)) as {
    issues: { path: string; message: string; code?: string; params?: Record<string, unknown> }[];
  };

describe('rules: code and values on the issue', () => {
  it('a refused revision names the missing materials as data, and in Chinese by their names', () => {
    const app = driveTo('REVISION_REQUIRED').app;
    const error = thrown(() =>
      editApplication(app, { materials: [material('APPLICATION_LETTER', 2)] }, callers.owner, {
        now: at(workingDay(DEFAULT_START, 4)),
        requestId: 'r',
      }),
    );
    const en = bodyOf(error, false).issues[0];
    expect(en?.code).toBe('custom');
    expect(en?.params?.rule).toBe('materials-missing');
    expect(en?.params?.codes).toContain('PUBLIC_VERSION');
    expect(en?.message).toMatch(/^required: /);
    const zh = bodyOf(error, true).issues[0];
    expect(zh?.message).toMatch(/^缺少必需的申报材料：.*环境影响评价文件公开版本/);
    expect(zh?.message).not.toMatch(/[A-Za-z]/);
  });

  it('a refinement of a schema carries its rule through parse', () => {
    const error = thrown(() =>
      parse(MaterialsSchema, [material('EIA_DOCUMENT'), material('EIA_DOCUMENT', 2)]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    const issue = bodyOf(error, false).issues[0];
    expect(issue).toMatchObject({ code: 'custom', params: { rule: 'material-once' } });
    expect(bodyOf(error, true).issues[0]?.message).toBe('每种材料只能出现一次');
  });

  it('a header issue says what to do, in Chinese', () => {
    const draft = driveTo('DRAFT').app;
    const req = { header: (n: string) => (n === 'if-match' ? 'v3' : undefined) } as never;
    const error = thrown(() => checkIfMatch(req, draft));
    expect(bodyOf(error, false).issues[0]).toMatchObject({
      path: 'header.If-Match',
      params: { rule: 'if-match' },
    });
    expect(bodyOf(error, true).issues[0]?.message).toBe('页面版本信息无效，请刷新页面后重试');
  });

  it('words the values it is given (conditions differing from the notice)', () => {
    const issue = ruleIssue('conditions', 'English', 'conditions-differ', { count: 2, date: '2026-03-06' });
    expect(zhRuleMessage(issue.params)).toContain('2026-03-06 拟批准公示的 2 项条件');
  });

  it('has Chinese words for every rule, and none for a name it does not know', () => {
    for (const rule of ruleNames) {
      const words = zhRuleWords[rule]({ codes: ['EIA_DOCUMENT'], code: 'EIA_DOCUMENT', fileName: 'a.pdf' });
      expect(words, rule).toMatch(/[\u4e00-\u9fff]/);
      expect(words, rule).not.toMatch(/undefined|\{/);
    }
    expect(zhRuleMessage({ rule: 'no-such-rule' })).toBeUndefined();
    expect(zhRuleMessage(undefined)).toBeUndefined();
  });
});
