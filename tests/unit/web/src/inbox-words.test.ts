import { beforeAll, describe, expect, it } from 'vitest';
import { entryOf } from '../../../../shared/domain/inbox.ts';
import { type Notification, notificationsFor } from '../../../../shared/domain/notifications.ts';
import { states } from '../../../../shared/domain/types.ts';
import { inboxWords } from '../../../../web/src/words/inbox.ts';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';

/**
 * What the inbox shows a reader of the Chinese console: its own words, and each notification's
 * subject and body as the domain writes them, with no Latin letters (no code, key or id) besides
 * the case and decision numbers; and where each entry leads.
 *
 * The web sources are typed against the DOM library; they are imported by a computed path after
 * localStorage and <html lang> are stubbed (web/src/i18n.ts reads them when loaded).
 */
let entryLink: (entry: { applicationId?: string }) => { href: string; label: string };
let setLang: (lang: 'zh' | 'en') => void;

beforeAll(async () => {
  stubBrowserStorage();
  const i18n = '../../../../web/src/i18n.ts';
  const view = '../../../../web/src/views/inbox.ts';
  ({ setLang } = (await import(/* @vite-ignore */ i18n)) as { setLang: typeof setLang });
  ({ entryLink } = (await import(/* @vite-ignore */ view)) as { entryLink: typeof entryLink });
});

const latin = /[A-Za-z]/;

describe('the inbox words', () => {
  it('every word in both languages, the Chinese without a Latin letter', () => {
    for (const [key, [zh, en]] of Object.entries(inboxWords)) {
      // Placeholders ({n}) are filled in with numbers.
      expect(zh.replace(/\{\w+\}/g, ''), key).not.toMatch(latin);
      expect(zh.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
    }
  });

  it("an entry leads to its case, a calendar reminder to the calendar, in the reader's words", () => {
    setLang('zh');
    expect(entryLink({ applicationId: 'a-1' })).toEqual({ href: '#/app/a-1', label: '打开案件' });
    expect(entryLink({})).toEqual({ href: '#/admin/calendar', label: '打开节假日安排' });
    setLang('en');
    expect(entryLink({ applicationId: 'a-1' }).label).toBe('Open the case');
    setLang('zh');
  });
});

describe("the notifications' Chinese, as the inbox shows it", () => {
  /** Every notification of every step on the way to each state (a report, and a rejected one). */
  const all: { n: Notification; numbers: string[] }[] = [];
  for (const state of states) {
    for (const proposal of ['approve', 'reject'] as const) {
      let trail: ReturnType<typeof driveTo>;
      try {
        trail = driveTo(state, 'REPORT', { proposal });
      } catch {
        continue;
      }
      for (const step of trail.steps) {
        const numbers = [step.app.caseNumber, step.app.decisionNumber].filter((x): x is string => !!x);
        for (const n of notificationsFor(step.event, step.app)) all.push({ n, numbers });
      }
    }
  }

  it('covers the steps that notify', () => {
    const actions = new Set(all.map(({ n }) => n.action));
    for (const action of ['request_supplement', 'accept', 'decline', 'propose_decision', 'approve', 'reject'])
      expect(actions, action).toContain(action);
  });

  it('has no Latin letter besides the case and decision numbers', () => {
    for (const { n, numbers } of all) {
      const entry = entryOf(n, n.at);
      for (const text of [entry.subject.zh, entry.body.zh]) {
        const bare = numbers.reduce((s, number) => s.replaceAll(number, ''), text);
        expect(bare, `${n.action}: ${text}`).not.toMatch(latin);
      }
    }
  });
});
