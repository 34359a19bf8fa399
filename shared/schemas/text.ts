import * as z from 'zod/mini';
import type { IssueParams } from '../domain/errors.ts';
import { type RuleName, ruleParams } from '../domain/rules.ts';

/**
 * What a text field may hold (docs/http-api.md#text): every field that takes text is either one
 * line (a name, a place, a file name, a search) or several (a reason, an opinion, a comment).
 *
 * Refused in both: C0 controls (NUL, ESC, …) other than tab, line feed and carriage return, DEL,
 * C1 controls (U+0080–U+009F, NEL included), the bidi controls that reorder what a reader sees
 * (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, the marks U+200E, U+200F and
 * U+061C) and lone surrogates (half a character, not storable as UTF-8). One line also refuses
 * tab, line feed, carriage return and the Unicode line and paragraph separators (U+2028, U+2029).
 *
 * Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are taken in text: they reorder nothing,
 * and the joiners are part of emoji sequences and of some scripts' spelling. File names refuse
 * them too (shared/schemas/uploads.ts), where a name must read as what it is.
 */
export type TextKind = 'line' | 'lines';

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A text's first fault: the rule it breaks and the English words for it. */
export interface TextFault {
  rule: RuleName;
  message: string;
  /** The first offending character, as U+XXXX (never the character itself). */
  params: IssueParams;
}

const at = (s: string, re: RegExp): string => {
  const index = s.search(re);
  const code = s.codePointAt(index) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** What keeps `s` from being stored and shown as `kind` text, or undefined when nothing does. */
export function textFault(s: string, kind: TextKind): TextFault | undefined {
  if (LONE_SURROGATE.test(s))
    return {
      rule: 'broken-char',
      message: 'must be well-formed Unicode text (no unpaired surrogate)',
      params: ruleParams('broken-char', { char: at(s, LONE_SURROGATE) }),
    };
  if (CONTROL.test(s))
    return {
      rule: 'control-chars',
      message: `must not contain control characters (${at(s, CONTROL)})`,
      params: ruleParams('control-chars', { char: at(s, CONTROL) }),
    };
  if (kind === 'line' && LINE_BREAK.test(s))
    return {
      rule: 'single-line',
      message: `must be one line: no line breaks or tabs (${at(s, LINE_BREAK)})`,
      params: ruleParams('single-line', { char: at(s, LINE_BREAK) }),
    };
  if (BIDI.test(s))
    return {
      rule: 'bidi-chars',
      message: `must not contain characters that change the text's direction (${at(s, BIDI)})`,
      params: ruleParams('bidi-chars', { char: at(s, BIDI) }),
    };
  return undefined;
}

/** A zod check: `kind` text (see above), as a `custom` issue naming its rule. */
export const plainText = (kind: TextKind) =>
  z.superRefine((s: string, ctx) => {
    const fault = textFault(s, kind);
    if (fault) ctx.addIssue({ code: 'custom', message: fault.message, params: fault.params, input: s });
  });
