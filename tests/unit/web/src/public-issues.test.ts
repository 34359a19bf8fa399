import { beforeAll, describe, expect, it } from 'vitest';
import { textIssue } from '../../../../shared/domain/comments.ts';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';

/**
 * What the public routes refuse in a comment, a hearing request or a response is said beside the
 * field in the console's words, never in the API's English (web/src/i18n.ts reads localStorage
 * and sets <html lang> when loaded, so both are stubbed before it is imported).
 */
let issueMessage: (message: string) => string;
let setLang: (lang: 'zh' | 'en') => void;

beforeAll(async () => {
  stubBrowserStorage();
  // Computed paths: the modules are typed against the DOM library, these tests against Node's.
  const i18n = '../../../../web/src/i18n.ts';
  const issues = '../../../../web/src/issues.ts';
  ({ setLang } = (await import(/* @vite-ignore */ i18n)) as { setLang: typeof setLang });
  ({ issueMessage } = (await import(/* @vite-ignore */ issues)) as { issueMessage: typeof issueMessage });
});

// Each way a text field of the public routes is refused, as the API words it.
const refused = {
  missing: textIssue('text', undefined, 10, true),
  notText: textIssue('text', 42, 10, true),
  empty: textIssue('text', '   ', 10, true),
  tooLong: textIssue('text', '醴'.repeat(11), 10, true),
  control: textIssue('text', 'a\u0007b', 10, true),
  broken: textIssue('text', 'a\uD800b', 10, true),
};

describe('the public forms’ refusals', () => {
  it('cover every way the API refuses a text', () => {
    for (const issue of Object.values(refused)) expect(issue).toBeDefined();
  });

  it.each(Object.entries(refused))('say “%s” in Chinese', (_, issue) => {
    setLang('zh');
    const words = issueMessage(issue?.message ?? '');
    expect(words).not.toBe(issue?.message);
    expect(words).toMatch(/[\u4e00-\u9fff]/);
    expect(words).not.toMatch(/\btext\b/);
  });

  it('name the limit when a text is too long', () => {
    setLang('zh');
    expect(issueMessage(refused.tooLong?.message ?? '')).toBe('最多 10 个字。');
  });
});
