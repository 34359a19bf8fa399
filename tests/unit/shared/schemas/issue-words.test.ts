/**
 * Field issues carry their zod code and limits, and read in Chinese for a caller whose
 * Accept-Language puts Chinese first (shared/schemas/parse.ts, issue-words.ts, http/respond.ts).
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { problem } from '../../../../shared/http/respond.ts';
import { wantsChinese, zhIssueMessage } from '../../../../shared/schemas/issue-words.ts';
import { parse } from '../../../../shared/schemas/parse.ts';

const Body = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  investmentCny: z.number().check(z.positive()),
  category: z.enum(['REPORT', 'REPORT_FORM']),
  email: z.optional(z.email()),
  conditions: z.optional(z.array(z.string()).check(z.minLength(1))),
});

function issuesOf(input: unknown) {
  try {
    parse(Body, input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
  }
  throw new Error('expected a validation error');
}

describe('parse: code and limits on each issue, never the input', () => {
  it('names the code and the limits of each field', () => {
    const error = issuesOf({
      name: 'x'.repeat(201),
      investmentCny: 'lots',
      category: 'BIG',
      email: 'not-an-address',
      conditions: [],
      extra: 1,
    });
    const byPath = Object.fromEntries((error.issues ?? []).map((i) => [i.path, i]));
    expect(byPath.name).toMatchObject({ code: 'too_big', params: { maximum: 200, origin: 'string' } });
    expect(byPath.investmentCny).toMatchObject({
      code: 'invalid_type',
      params: { expected: 'number', received: 'string' },
    });
    expect(byPath.category).toMatchObject({
      code: 'invalid_value',
      params: { values: ['REPORT', 'REPORT_FORM'] },
    });
    expect(byPath.email).toMatchObject({ code: 'invalid_format', params: { format: 'email' } });
    expect(byPath.conditions).toMatchObject({ code: 'too_small', params: { minimum: 1, origin: 'array' } });
    expect(byPath.extra).toMatchObject({ code: 'unrecognized_keys', message: 'unknown field' });
    // What was sent is not echoed back.
    expect(JSON.stringify(error.issues)).not.toContain('lots');
    expect(JSON.stringify(error.issues)).not.toContain('not-an-address');
  });

  it('a missing field is invalid_type received undefined', () => {
    const error = issuesOf({ investmentCny: 1, category: 'REPORT' });
    expect(error.issues).toContainEqual(
      expect.objectContaining({
        path: 'name',
        code: 'invalid_type',
        params: { expected: 'string', received: 'undefined' },
      }),
    );
  });
});

describe('zhIssueMessage', () => {
  it.each([
    [{ code: 'invalid_type', params: { expected: 'string', received: 'undefined' } }, '必填'],
    [{ code: 'invalid_type', params: { expected: 'number', received: 'string' } }, '应为数字，而不是文字'],
    [{ code: 'too_big', params: { maximum: 200, origin: 'string', inclusive: true } }, '最多 200 个字符'],
    [{ code: 'too_big', params: { maximum: 10, origin: 'array', inclusive: true } }, '最多 10 项'],
    [{ code: 'too_big', params: { maximum: 100, origin: 'number', inclusive: true } }, '不能大于 100'],
    [{ code: 'too_small', params: { minimum: 1, origin: 'string', inclusive: true } }, '不能为空'],
    [{ code: 'too_small', params: { minimum: 18, origin: 'string', inclusive: true } }, '至少 18 个字符'],
    [{ code: 'too_small', params: { minimum: 1, origin: 'array', inclusive: true } }, '至少需要一项'],
    [{ code: 'too_small', params: { minimum: 0, origin: 'number', inclusive: false } }, '须大于 0'],
    [{ code: 'invalid_format', params: { format: 'email' } }, '电子邮件地址格式不正确'],
    [
      { code: 'invalid_value', params: { values: ['REPORT', 'REPORT_FORM'] } },
      '应为以下之一：REPORT、REPORT_FORM',
    ],
    [{ code: 'unrecognized_keys' }, '不是可填写的字段，请删去'],
  ])('%j → %s', (issue, zh) => {
    expect(zhIssueMessage({ ...issue, message: 'English' })).toBe(zh);
  });

  it('keeps the English message of an issue it cannot word', () => {
    expect(zhIssueMessage({ message: 'must be a valid USCC' })).toBe('must be a valid USCC');
    expect(zhIssueMessage({ code: 'custom', message: 'must be a valid USCC' })).toBe('must be a valid USCC');
  });
});

describe('wantsChinese', () => {
  it.each([
    ['zh', true],
    ['zh-CN,zh;q=0.9,en;q=0.8', true],
    ['en-US,en;q=0.9,zh-CN;q=0.8', false],
    ['en;q=0.5, zh-CN', true],
    ['zh;q=0, en', false],
    ['', false],
    [undefined, false],
    ['fr, zh', false],
  ])('%s → %s', (header, expected) => {
    expect(wantsChinese(header)).toBe(expected);
  });
});

describe('problem in Chinese', () => {
  const error = issuesOf({ name: '', investmentCny: 1, category: 'REPORT' });

  it('words the title, the detail and each issue in Chinese, keeping path and code', () => {
    const res = problem(error, '/applications', true);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({
      title: '请求有误',
      detail: '以下内容有误：name',
      issues: [{ path: 'name', message: '不能为空', code: 'too_small' }],
    });
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.headers.vary).toBe('Accept-Language');
  });

  it('stays in English otherwise', () => {
    const body = JSON.parse(problem(error, '/applications').body);
    expect(body.title).toBe('Invalid request');
    expect(body.issues[0].message).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
