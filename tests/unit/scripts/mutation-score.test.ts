import { describe, expect, it } from 'vitest';
import { type Report, type ReportMutant, summarise } from '../../../scripts/mutation-score.ts';

const source = [
  'function guard(missing: string[]) {',
  "  if (missing.length) throw new RuleError('rule', `missing: ${missing.join(', ')}`);",
  "  return missing.length ? 'materials are missing' : undefined;",
  '}',
  "const refusal = { message: 'listed twice', path: 'items' };",
  "const masked = `${chars.join('')}***`;",
  "const years = xs.join(', ');",
  'view.note = `Calendar for ${years} not yet published`;',
  'const number = `LLHP-${year.slice(0, 4)}`;',
].join('\n');

/** A mutant of the `nth` occurrence of `text` in the source. */
function mutant(text: string, status: string, mutatorName = 'StringLiteral', nth = 0): ReportMutant {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = source.indexOf(text, at + 1);
  if (at < 0) throw new Error(`${text} is not in the source`);
  const position = (offset: number) => {
    const before = source.slice(0, offset).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
  return {
    id: `${text}#${nth}`,
    mutatorName,
    status,
    location: { start: position(at), end: position(at + text.length) },
  };
}

function classify(mutants: ReportMutant[]) {
  const report: Report = { files: { 'x.ts': { source, mutants } } };
  return summarise(report);
}

describe('the mutation score', () => {
  it('counts as message text only the string literals that are read as messages', () => {
    const { messages } = classify([
      mutant("'rule'", 'Survived'),
      mutant("`missing: ${missing.join(', ')}`", 'Survived'),
      mutant("', '", 'Survived'),
      mutant("'materials are missing'", 'Killed'),
      mutant("'listed twice'", 'Survived'),
      mutant("'items'", 'Killed'),
      mutant("''", 'Survived'),
      mutant("', '", 'Survived', 'StringLiteral', 1),
      mutant('`Calendar for ${years} not yet published`', 'Killed'),
      mutant('year.slice(0, 4)', 'Survived', 'MethodExpression'),
    ]);
    expect(messages.map((m) => m.original)).toEqual([
      "`missing: ${missing.join(', ')}`",
      "', '",
      "'listed twice'",
      "', '",
      '`Calendar for ${years} not yet published`',
    ]);
  });

  it('does not count other mutators inside a message as message text', () => {
    const { messages, survivors } = classify([mutant('missing.length', 'Survived', 'ConditionalExpression')]);
    expect(messages).toEqual([]);
    expect(survivors).toHaveLength(1);
  });

  it('scores detected over detected and undetected, leaving out errors, and lists the logic survivors', () => {
    const { all, survivors } = classify([
      mutant("'rule'", 'Killed'),
      mutant("'items'", 'Timeout'),
      mutant("'materials are missing'", 'Survived'),
      mutant('year.slice(0, 4)', 'NoCoverage', 'MethodExpression'),
      mutant("''", 'CompileError'),
      mutant("'listed twice'", 'Survived'),
    ]);
    expect(all.total).toEqual({ mutants: 6, detected: 2, undetected: 3, score: 40 });
    expect(all.logic).toEqual({ mutants: 5, detected: 2, undetected: 2, score: 50 });
    expect(all.message).toEqual({ mutants: 1, detected: 0, undetected: 1, score: 0 });
    expect(survivors.map((s) => [s.line, s.original, s.status])).toEqual([
      [3, "'materials are missing'", 'Survived'],
      [9, 'year.slice(0, 4)', 'NoCoverage'],
    ]);
  });
});
