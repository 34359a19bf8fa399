import { beforeAll, describe, expect, it } from 'vitest';
import { scanReasons, scanStatuses } from '../../../../shared/domain/uploads.ts';
import { scanReasons as consoleReasons, scanKey } from '../../../../web/src/files.ts';
import { scanWords } from '../../../../web/src/words/scan.ts';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';

/**
 * Why a file was not scanned, as the console says it beside each version: every reason the API
 * may give in words in both languages, the Chinese without a Latin letter (no code shown); a
 * version without a reason (recorded before reasons were kept) shows the plain "not scanned".
 *
 * web/src/i18n.ts reads localStorage and sets <html lang> when loaded: both are stubbed first.
 */
let tr: (key: string, fallback?: string) => string;
let setLang: (lang: 'zh' | 'en') => void;

beforeAll(async () => {
  stubBrowserStorage();
  const path = '../../../../web/src/i18n.ts';
  // A computed path: the module is typed against the DOM library, these tests against Node's.
  ({ tr, setLang } = (await import(/* @vite-ignore */ path)) as { tr: typeof tr; setLang: typeof setLang });
});

const latin = /[A-Za-z]/;
const missing = '\u0000';

describe('the words for a file not scanned', () => {
  it('the console knows exactly the reasons the API gives', () => {
    expect([...consoleReasons].sort()).toEqual([...scanReasons].sort());
  });

  it.each(scanReasons)('%s is worded in Chinese (no Latin letter) and in English', (reason) => {
    const key = scanKey({ scan: 'SKIPPED', scanReason: reason });
    expect(key).toBe(`scanReason_${reason}`);
    setLang('zh');
    const zh = tr(key, missing);
    expect(zh).not.toBe(missing);
    expect(zh).not.toMatch(latin);
    expect(zh.startsWith('未扫描')).toBe(true);
    setLang('en');
    const en = tr(key, missing);
    expect(en).not.toBe(missing);
    expect(en.startsWith('not scanned')).toBe(true);
    // No code: neither the key nor a hyphenated reason ("failed" or "local" may be plain words).
    expect(en).not.toContain('scanReason');
    if (reason.includes('-')) expect(en).not.toContain(reason);
  });

  it('each reason has words of its own, different from the others and from the plain status', () => {
    for (const lang of ['zh', 'en'] as const) {
      setLang(lang);
      const words = scanReasons.map((r) => tr(`scanReason_${r}`));
      expect(new Set(words).size).toBe(scanReasons.length);
      expect(words).not.toContain(tr('scan_SKIPPED'));
    }
    expect(Object.keys(scanWords).sort()).toEqual(scanReasons.map((r) => `scanReason_${r}`).sort());
  });

  it('says where the region offers no scanning, in the words an official reads', () => {
    setLang('zh');
    expect(tr(scanKey({ scan: 'SKIPPED', scanReason: 'not-offered-in-region' }))).toBe(
      '未扫描（本区域不提供病毒扫描服务）',
    );
    setLang('en');
    expect(tr(scanKey({ scan: 'SKIPPED', scanReason: 'not-offered-in-region' }))).toBe(
      'not scanned (no virus scanning is offered in this region)',
    );
  });

  it('a version without a reason, or with one this console does not know, shows the plain status', () => {
    expect(scanKey({ scan: 'SKIPPED' })).toBe('scan_SKIPPED');
    expect(scanKey({ scan: 'SKIPPED', scanReason: 'something-new' })).toBe('scan_SKIPPED');
    expect(scanKey({ scan: 'SKIPPED', scanReason: 'toString' })).toBe('scan_SKIPPED');
    setLang('zh');
    expect(tr(scanKey({ scan: 'SKIPPED' }))).toBe('未扫描（此处没有病毒扫描服务）');
  });

  it('a verdict shows the verdict, whatever reason a record may carry', () => {
    for (const scan of scanStatuses.filter((s) => s !== 'SKIPPED')) {
      expect(scanKey({ scan, scanReason: 'failed' })).toBe(`scan_${scan}`);
    }
  });
});
