import { beforeAll, describe, expect, it } from 'vitest';
import { documentKinds, publicKinds } from '../../../../shared/domain/documents.ts';
import { scanStatuses } from '../../../../shared/domain/uploads.ts';
import {
  failureKey,
  knownProblems,
  problemKey,
  publicFileKinds,
  uploadIssueKey,
} from '../../../../web/src/files.ts';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';

/**
 * Every sentence the file pages look up exists in both languages (web/src/i18n.ts reads
 * localStorage and sets <html lang> when loaded, so both are stubbed before it is imported).
 */
let tr: (key: string, fallback?: string) => string;
let setLang: (lang: 'zh' | 'en') => void;

beforeAll(async () => {
  stubBrowserStorage();
  const path = '../../../../web/src/i18n.ts';
  // A computed path: the module is typed against the DOM library, these tests against Node's.
  ({ tr, setLang } = (await import(/* @vite-ignore */ path)) as {
    tr: typeof tr;
    setLang: typeof setLang;
  });
});

const keys = () => [
  ...(['network', 'expired', 'changed', 'refused', 'server', 'hash', 'announce'] as const).map(failureKey),
  ...knownProblems.map((p) => problemKey(p) ?? ''),
  ...scanStatuses.map((s) => `scan_${s}`),
  ...documentKinds.map((k) => `doc_${k}`),
  ...['fileName', 'sizeBytes', 'contentType', 'code', 'sha256'].map((f) => uploadIssueKey(f) ?? ''),
];

describe('the words of the file pages', () => {
  it.each(['zh', 'en'] as const)('are all there in %s', (lang) => {
    setLang(lang);
    const missing = keys().filter((k) => tr(k, '\u0000') === '\u0000');
    expect(missing).toEqual([]);
  });

  it('say the local scan status in words', () => {
    setLang('zh');
    expect(tr('scan_SKIPPED')).toBe('未扫描（此处没有病毒扫描服务）');
    setLang('en');
    expect(tr('scan_SKIPPED')).toBe('not scanned (no virus scanning here)');
    expect(tr('docPending')).toBe('being prepared');
  });

  it('know the same public kinds as the API', () => {
    expect([...publicFileKinds].sort()).toEqual([...publicKinds].sort());
  });
});
