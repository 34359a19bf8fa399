import { beforeAll, describe, expect, it } from 'vitest';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';

/** The working days left of a clock, as the queue and the case page show them. */
let remainingDays: (n: number) => string;
let setLang: (lang: 'zh' | 'en') => void;

beforeAll(async () => {
  stubBrowserStorage();
  const path = '../../../../web/src/i18n.ts';
  // A computed path: the module is typed against the DOM library, these tests against Node's.
  ({ remainingDays, setLang } = (await import(/* @vite-ignore */ path)) as {
    remainingDays: typeof remainingDays;
    setLang: typeof setLang;
  });
});

describe('remainingDays', () => {
  it('says how far past the limit a case is, never a negative figure', () => {
    setLang('zh');
    expect(remainingDays(5)).toBe('5');
    expect(remainingDays(0)).toBe('0');
    expect(remainingDays(-14)).toBe('已超期 14 个工作日');
    setLang('en');
    expect(remainingDays(-1)).toBe('1 working days over');
    expect(remainingDays(-14)).not.toContain('-');
  });
});
