import { describe, expect, it } from 'vitest';
import {
  accessExportWords,
  accessReadWords,
  conditionsText,
  otherReadWords,
} from '../../../../shared/domain/access-words.ts';
import { accessLogWords, accessReadKeys } from '../../../../web/src/words/access-log.ts';

/**
 * The access log says what was read in the same words on the console's page
 * (web/src/words/access-log.ts) and in the API's spreadsheet (shared/domain/access-words.ts).
 */
describe('access log words', () => {
  it('name the same routes, in the same words, in both languages', () => {
    expect(Object.keys(accessReadKeys).sort()).toEqual(Object.keys(accessReadWords).sort());
    for (const [route, key] of Object.entries(accessReadKeys)) {
      const words = accessReadWords[route];
      expect(accessLogWords[key], route).toEqual([words?.zh, words?.en]);
    }
    expect(accessLogWords.accessRead_other).toEqual([otherReadWords.zh, otherReadWords.en]);
  });

  it('name the exports alike', () => {
    for (const format of ['csv', 'ndjson', 'other'] as const) {
      const words = accessExportWords[format];
      expect(accessLogWords[`accessExport_${format}`], format).toEqual([words?.zh, words?.en]);
    }
  });
});

describe('conditionsText', () => {
  it('reads the conditions in words, without the page size', () => {
    expect(conditionsText({ state: 'ACCEPTED', q: '醴陵', limit: '20' }, 'zh')).toBe(
      '状态=已受理；关键词=醴陵',
    );
    expect(conditionsText({ category: 'REPORT_FORM', cursor: 'given' }, 'en')).toBe(
      'Category=EIA report form; Page=a following page',
    );
    expect(conditionsText({ state: 'UNDER_REVIEW,HEARING', mine: 'true' }, 'zh')).toBe(
      '状态=审查中、听证；我的申请=是',
    );
  });

  it('keeps an unknown key by its name, and says nothing for no conditions', () => {
    expect(conditionsText({ other: 'x' }, 'zh')).toBe('other=x');
    expect(conditionsText(undefined, 'zh')).toBe('');
    expect(conditionsText({ limit: '20' }, 'en')).toBe('');
  });
});
