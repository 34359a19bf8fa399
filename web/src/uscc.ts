/**
 * The Unified Social Credit Code (统一社会信用代码) checked as one types: the same algorithm as
 * the API's (GB 32100-2015: 18 characters of 31, positions 3-8 digits, a check character), with
 * what is wrong as data, so that the console words it in its own language. A unit test runs this
 * and the API's check on the same samples.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccFault =
  | { fault: 'length'; length: number }
  | { fault: 'lowercase' }
  | { fault: 'char'; char: string; position: number }
  | { fault: 'region' }
  | { fault: 'check'; expected: string };

function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** What is wrong with `code`, in the order the API checks it; undefined when it is a valid code. */
export function usccFault(code: string): UsccFault | undefined {
  if (code.length !== 18) return { fault: 'length', length: code.length };
  if (/[a-z]/.test(code)) return { fault: 'lowercase' };
  for (let i = 0; i < code.length; i++) {
    const char = code.charAt(i);
    if (!CHARSET.includes(char)) return { fault: 'char', char, position: i + 1 };
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { fault: 'region' };
  const expected = checkChar(code.slice(0, 17));
  return code.charAt(17) === expected ? undefined : { fault: 'check', expected };
}

/** The API's English reason for a refused code (shared/domain/uscc.ts), as the same data. */
export function usccFaultOf(message: string): UsccFault | undefined {
  const length = /must be 18 characters \(got (\d+)\)/.exec(message);
  if (length) return { fault: 'length', length: Number(length[1]) };
  if (/must be in uppercase letters/.test(message)) return { fault: 'lowercase' };
  const char = /character '(.)' at position (\d+) is not allowed/u.exec(message);
  if (char) return { fault: 'char', char: char[1] ?? '', position: Number(char[2]) };
  if (/positions 3-8/.test(message)) return { fault: 'region' };
  const check = /check character should be (\S)/.exec(message);
  if (check) return { fault: 'check', expected: check[1] ?? '' };
  return undefined;
}
