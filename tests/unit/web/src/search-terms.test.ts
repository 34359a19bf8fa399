import { beforeAll, describe, expect, it } from 'vitest';
import { findTerms, MAX_FIND_TERMS } from '../../../../shared/domain/find.ts';

/**
 * The console's list search (web/src/search-terms.ts) folds words exactly as the API does
 * (shared/domain/find.ts), so it refuses what the API would refuse; its words and filters ride in
 * the hash and come back from it unchanged (a reload, going back).
 */
type Module = typeof import('../../../../web/src/search-terms.ts');
let web: Module;

beforeAll(async () => {
  // A computed path: the console's modules are typed against the DOM library, these tests against Node's.
  const path = '../../../../web/src/search-terms.ts';
  web = (await import(/* @vite-ignore */ path)) as Module;
});

describe('the console’s search words', () => {
  it.each([
    '陶瓷',
    ' 陶瓷\u3000二期 ',
    '醴环评〔2026〕17号',
    'ＬＬＨＳ－２０２６ abc ABC',
    '〔 〕 - ·',
    '王芳 陈静 赵志刚 李明 刘建国 黄秀英',
    'é e\u0301 Ⅻ ① ｶ',
  ])('fold as the API folds them: %s', (q) => {
    expect(web.searchTerms(q)).toEqual(findTerms(q));
  });

  it('allow as many words as the API', () => {
    expect(web.MAX_WORDS).toBe(MAX_FIND_TERMS);
  });
});

describe('the hash of a list', () => {
  it('carries the words and filters, and gives them back', () => {
    const filters = { q: '瓷城 陶瓷&=?#', state: 'APPROVED', category: 'REPORT_FORM' };
    const hash = web.hashOf('all', filters);
    expect(hash.startsWith('#/all?')).toBe(true);
    expect(web.filtersOfHash(hash)).toEqual(filters);
  });

  it('is the plain list without filters, and an empty hash query is no filter', () => {
    expect(web.hashOf('queue', { q: '', state: '', category: '' })).toBe('#/queue');
    expect(web.filtersOfHash('#/mine')).toEqual({ q: '', state: '', category: '' });
  });
});
