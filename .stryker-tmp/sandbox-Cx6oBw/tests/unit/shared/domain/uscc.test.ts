// @ts-nocheck
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usccCheckChar, validateUscc } from '../../../../shared/domain/uscc.ts';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const DIGITS = '0123456789';

describe('validateUscc', () => {
  it('accepts a known valid code', () => {
    /*
     * 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 with M=21, Y=30 and weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28:
     * 9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 420 + 0 + 0 + 0 + 8 + 0 + 0 + 900 + 112 = 1640
     * 1640 mod 31 = 28 → 31 - 28 = 3
     */
    expect(validateUscc('91350100M000100Y43')).toEqual({ ok: true });
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('accepts generated codes, including check characters 0 and letters', () => {
    for (const prefix of ['91430281MA4L00000', '12430281000000000', '52430281MA4PABCD1']) {
      expect(validateUscc(prefix + usccCheckChar(prefix))).toEqual({ ok: true });
    }
    expect(usccCheckChar('91430281MA4L00000')).toBe('Y');
    expect(usccCheckChar('52430281MA4PABCD1')).toBe('9');
    // One less at position 17 (weight 28) makes the sum 1640 - 28 = 1612 = 52 × 31: c = 31 → '0'.
    expect(usccCheckChar('91350100M000100Y3')).toBe('0');
    expect(validateUscc('91350100M000100Y30')).toEqual({ ok: true });
  });

  it('rejects the wrong length', () => {
    expect(validateUscc('91350100M000100Y4')).toEqual({
      ok: false,
      reason: 'must be 18 characters (got 17)',
    });
    expect(validateUscc('91350100M000100Y433')).toMatchObject({ ok: false, reason: /18 characters/ });
    expect(validateUscc('')).toMatchObject({ ok: false, reason: /18 characters/ });
  });

  it.each(['I', 'O', 'Z', 'S', 'V', '-', ' '])('rejects the character %j', (ch) => {
    const code = `91350100M${ch}00100Y43`;
    expect(validateUscc(code)).toMatchObject({ ok: false, reason: /position 10 is not allowed/ });
  });

  it('rejects lowercase and says so', () => {
    expect(validateUscc('91350100m000100y43')).toEqual({ ok: false, reason: 'must be in uppercase letters' });
  });

  it('requires digits in the administrative division code (positions 3-8)', () => {
    const prefix = '91A50100M000100Y4';
    expect(validateUscc(prefix + usccCheckChar(prefix))).toMatchObject({
      ok: false,
      reason: /positions 3-8/,
    });
  });

  it('names the expected check character', () => {
    expect(validateUscc('91350100M000100Y44')).toEqual({ ok: false, reason: 'check character should be 3' });
    expect(validateUscc('91430281MA4L000000')).toEqual({ ok: false, reason: 'check character should be Y' });
  });
});

describe('usccCheckChar', () => {
  it('rejects bad prefixes', () => {
    expect(() => usccCheckChar('91350100M000100Y')).toThrow(RangeError);
    expect(() => usccCheckChar('91350100M000100YI')).toThrow(/position 17/);
  });
});

describe('properties', () => {
  const pick = (set: string) => fc.constantFrom(...set.split(''));
  const prefix = fc
    .tuple(
      fc.array(pick(CHARSET), { minLength: 2, maxLength: 2 }),
      fc.array(pick(DIGITS), { minLength: 6, maxLength: 6 }),
      fc.array(pick(CHARSET), { minLength: 9, maxLength: 9 }),
    )
    .map(([a, b, c]) => [...a, ...b, ...c].join(''));

  it('every prefix plus its check character is valid', () => {
    fc.assert(
      fc.property(prefix, (p) => {
        expect(validateUscc(p + usccCheckChar(p))).toEqual({ ok: true });
      }),
    );
  });

  it('changing any one character makes the code invalid', () => {
    const edit = fc.record({
      p: prefix,
      pos: fc.integer({ min: 0, max: 17 }),
      ch: fc.constantFrom(...`${CHARSET}IOZSVa `.split('')),
    });
    fc.assert(
      fc.property(edit, ({ p, pos, ch }) => {
        const code = p + usccCheckChar(p);
        fc.pre(code.charAt(pos) !== ch);
        const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
        expect(validateUscc(changed).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
