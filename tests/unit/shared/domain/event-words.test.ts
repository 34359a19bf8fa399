import { describe, expect, it } from 'vitest';
import {
  actionWord,
  beijingTime,
  roleWord,
  stateWord,
  stateWords,
  stepWords,
} from '../../../../shared/domain/event-words.ts';
import { states } from '../../../../shared/domain/types.ts';
import { workflow } from '../../../../shared/domain/workflow.ts';

describe('event words', () => {
  it('names every state and every workflow action in both languages', () => {
    for (const state of states) {
      expect(stateWords[state].zh).not.toMatch(/[A-Za-z_]/);
      expect(stateWord(state, 'en')).not.toBe(state);
    }
    for (const [name, def] of Object.entries(workflow)) {
      expect(actionWord(name, 'zh')).toBe(def.zh);
      expect(actionWord(name, 'en')).toBe(def.en);
    }
    for (const [step, words] of Object.entries(stepWords)) {
      expect(actionWord(step, 'zh')).toBe(words.zh);
      expect(words.zh).not.toMatch(/[A-Za-z_]/);
    }
  });

  it('keeps an unknown code as it is, and no state as an empty cell', () => {
    expect(actionWord('something_new', 'zh')).toBe('something_new');
    expect(stateWord(null, 'zh')).toBe('');
    expect(stateWord('ODD', 'en')).toBe('ODD');
  });

  it('names the public apart from the system it acts through', () => {
    expect(roleWord({ id: 'public', role: 'system' }, 'zh')).toBe('公众');
    expect(roleWord({ id: 'sweeper', role: 'system' }, 'zh')).toBe('系统');
    expect(roleWord({ id: 'u1', role: 'clerk' }, 'en')).toBe('Clerk');
  });

  it.each([
    ['2026-03-02T01:30:00.000Z', '2026-03-02 09:30:00'],
    ['2026-03-01T16:00:00.000Z', '2026-03-02 00:00:00'],
    ['2026-12-31T23:59:59.999Z', '2027-01-01 07:59:59'],
    ['2026-07-01T09:30:00+08:00', '2026-07-01 09:30:00'],
  ])('writes %s in Beijing time as %s', (instant, expected) => {
    expect(beijingTime(instant)).toBe(expected);
  });
});
