/**
 * The bodies of the comment routes (shared/http/comments.ts): a comment's text and the case
 * officer's response each take 1 to 5,000 characters, counted as characters, and are refused
 * empty, blank, one longer, with a control character, or with a field they do not have: 400
 * naming each field.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { commentInput, responseInput } from '../../../../shared/http/comments.ts';
import { refusal } from '../domain/fixtures.ts';

const paths = (fn: () => unknown) => (refusal(fn, ValidationError, 400).issues ?? []).map((i) => i.path);

describe('a comment', () => {
  it('takes exactly 5,000 characters (an emoji is one), trimmed, and refuses 5,001', () => {
    expect(commentInput({ text: ` ${'💥'.repeat(5000)} ` }).text).toBe('💥'.repeat(5000));
    expect(paths(() => commentInput({ text: '醴'.repeat(5001) }))).toEqual(['text']);
  });

  it('keeps the name and contact when given, and leaves them out when not', () => {
    expect(commentInput({ text: '意见', name: ' 王五 ', contact: '13800000000' })).toEqual({
      text: '意见',
      name: '王五',
      contact: '13800000000',
    });
    expect(commentInput({ text: '意见' })).toEqual({ text: '意见' });
  });

  it('names every bad field at once, and a body that is no object', () => {
    expect(
      paths(() => commentInput({ text: '  ', name: 'x'.repeat(101), contact: 'a\u0007', from: 'x' })),
    ).toEqual(['text', 'name', 'contact', 'from']);
    for (const body of [null, [], '意见', 3]) expect(paths(() => commentInput(body))).toEqual(['']);
  });
});

describe('a response', () => {
  it('takes exactly 5,000 characters, trimmed', () => {
    expect(responseInput({ response: ` ${'答'.repeat(5000)}\n` })).toBe('答'.repeat(5000));
  });

  it.each([
    [{ response: '' }, ['response']],
    [{ response: ' \n ' }, ['response']],
    [{ response: '答'.repeat(5001) }, ['response']],
    [{ response: '已采纳\u0000' }, ['response']],
    [{ response: 42 }, ['response']],
    [{}, ['response']],
    [{ response: '已采纳', commentId: 'other' }, ['commentId']],
    [null, ['response']],
  ] as const)('refuses %j naming %j', (body, expected) => {
    expect(paths(() => responseInput(body))).toEqual(expected);
  });
});
