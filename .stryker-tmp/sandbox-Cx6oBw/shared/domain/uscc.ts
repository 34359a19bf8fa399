/**
 * Unified Social Credit Code (统一社会信用代码, GB 32100-2015): the 18-character identifier of
 * every organisation that can apply. Checking it up front catches typos before a case officer
 * spends time on an application from an organisation that does not exist.
 */
// @ts-nocheck


// 31 characters: I, O, Z, S and V are left out because they are easily mistaken for 1, 0, 2, 5, U.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccResult = { ok: true } | { ok: false; reason: string };

function charError(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    if (!CHARSET.includes(ch)) {
      return `character '${ch}' at position ${i + 1} is not allowed (only 0-9 and A-Z without I, O, S, V, Z)`;
    }
  }
  return undefined;
}

function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** The check character (position 18) for 17 valid characters; for generating test and demo codes. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('USCC prefix must be 17 characters');
  const bad = charError(first17);
  if (bad) throw new RangeError(`USCC prefix: ${bad}`);
  return checkChar(first17);
}

export function validateUscc(code: string): UsccResult {
  if (code.length !== 18) return { ok: false, reason: `must be 18 characters (got ${code.length})` };
  // Uppercase-only: the code is printed in capitals on the business licence and stored as printed.
  if (/[a-z]/.test(code)) return { ok: false, reason: 'must be in uppercase letters' };
  const bad = charError(code);
  if (bad) return { ok: false, reason: bad };
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return { ok: false, reason: 'positions 3-8 (administrative division code) must be digits' };
  }
  const expected = checkChar(code.slice(0, 17));
  if (code.charAt(17) !== expected) return { ok: false, reason: `check character should be ${expected}` };
  return { ok: true };
}
