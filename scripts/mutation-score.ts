/**
 * The mutation score of `npm run test:mutation`, total and without message text, from Stryker's
 * JSON report (reports/mutation/mutation.json) into reports/mutation/summary.json.
 *
 * A mutant is message text when it is a StringLiteral mutant of a literal that is only read as
 * text (docs/mutation-testing.md): the message argument of an error constructor, the value of a
 * `message`, `reason`, `note`, `zh` or `en` property or assignment, the reason given to
 * `broken(…)`, the name `parse(…)` puts in its message, or a non-empty `.join()` separator whose
 * result only ends up in such text. Every other mutant is logic, including a guard's whole refusal
 * text: emptied, it lets the action through.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Position {
  line: number;
  column: number;
}

export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: Position; end: Position };
}

export interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

export interface Tally {
  mutants: number;
  detected: number;
  undetected: number;
  /** detected / (detected + undetected), in per cent; compile and runtime errors and ignored mutants do not count. */
  score: number | null;
}

export interface FileSummary {
  total: Tally;
  message: Tally;
  logic: Tally;
}

export interface Listed {
  file: string;
  line: number;
  mutator: string;
  original: string;
  replacement: string;
  status: string;
}

const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);
const messageProperties = new Set(['message', 'reason', 'note', 'zh', 'en']);
/** Functions that take text: `broken(seq, reason)`, and `parse(schema, input, what)`, which names `what` in its message. */
const messageArgument: Record<string, number> = { broken: 1, parse: 2 };
/** The errors of shared/domain/errors.ts that take (type, detail): the first is a problem-type slug. */
const typeFirst = new Set(['ForbiddenError', 'NotFoundError', 'ConflictError', 'RuleError']);

function propertyName(name: ts.PropertyName | ts.MemberName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Whether `node` is itself a message expression (not whether it lies inside one). */
function isMessagePosition(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isNewExpression(parent) && parent.arguments && ts.isIdentifier(parent.expression)) {
    const name = parent.expression.text;
    const index = parent.arguments.indexOf(node as ts.Expression);
    if (!name.endsWith('Error') || index < 0) return false;
    return index === (typeFirst.has(name) ? 1 : 0);
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    return messageProperties.has(propertyName(parent.name) ?? '');
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === node &&
    ts.isPropertyAccessExpression(parent.left)
  ) {
    return messageProperties.has(parent.left.name.text);
  }
  if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression)) {
    const index = parent.arguments.indexOf(node as ts.Expression);
    return index === messageArgument[parent.expression.text];
  }
  return false;
}

function withinMessage(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
    if (isMessagePosition(n)) return true;
    if (ts.isFunctionLike(n) || ts.isBlock(n)) return false;
  }
  return false;
}

/** A `.join(', ')` separator whose joined list is only read in message text. */
function isMessageSeparator(literal: ts.StringLiteral): boolean {
  const call = literal.parent;
  if (!literal.text || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) {
    return false;
  }
  if (call.expression.name.text !== 'join' || call.arguments[0] !== literal) return false;
  if (withinMessage(call)) return true;
  // A template inside a guard's refusal: the separator changes the wording, never whether it refuses.
  if (ts.isTemplateSpan(call.parent)) return hasText(call.parent.parent);
  const declaration = call.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  const uses: ts.Identifier[] = [];
  const scope = declaration.parent.parent.parent;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === name && n !== declaration.name) uses.push(n);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return uses.length > 0 && uses.every(withinMessage);
}

/** A template with literal text of its own is never empty, so only its wording depends on the parts. */
function hasText(template: ts.TemplateExpression): boolean {
  return template.head.text.length > 0 || template.templateSpans.some((s) => s.literal.text.length > 0);
}

function offset(source: ts.SourceFile, p: Position): number {
  return source.getPositionOfLineAndCharacter(p.line - 1, p.column - 1);
}

/** The node the mutant replaced: the outermost node that spans exactly its location. */
function mutatedNode(source: ts.SourceFile, mutant: ReportMutant): ts.Node | undefined {
  const start = offset(source, mutant.location.start);
  const end = offset(source, mutant.location.end);
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.getStart(source) > start || n.getEnd() < end) return;
    if (n.getStart(source) === start && n.getEnd() === end) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

export function isMessageText(source: ts.SourceFile, mutant: ReportMutant): boolean {
  if (mutant.mutatorName !== 'StringLiteral') return false;
  const node = mutatedNode(source, mutant);
  if (!node) return false;
  if (ts.isStringLiteral(node) && isMessageSeparator(node)) return true;
  return withinMessage(node);
}

function tally(mutants: readonly ReportMutant[]): Tally {
  const d = mutants.filter((m) => detected.has(m.status)).length;
  const u = mutants.filter((m) => undetected.has(m.status)).length;
  return {
    mutants: mutants.length,
    detected: d,
    undetected: u,
    score: d + u === 0 ? null : Math.round((1000 * d) / (d + u)) / 10,
  };
}

export function summarise(report: Report): {
  files: Record<string, FileSummary>;
  all: FileSummary;
  /** Logic mutants not detected. */
  survivors: Listed[];
  /** Every mutant counted as message text, so that the count can be checked. */
  messages: Listed[];
} {
  const files: Record<string, FileSummary> = {};
  const all = { message: [] as ReportMutant[], logic: [] as ReportMutant[] };
  const survivors: Listed[] = [];
  const messages: Listed[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files).sort()) {
    const ast = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    const message = mutants.filter((m) => isMessageText(ast, m));
    const logic = mutants.filter((m) => !message.includes(m));
    files[file] = { total: tally(mutants), message: tally(message), logic: tally(logic) };
    all.message.push(...message);
    all.logic.push(...logic);
    const listed = (m: ReportMutant): Listed => ({
      file,
      line: m.location.start.line,
      mutator: m.mutatorName,
      original: source.slice(offset(ast, m.location.start), offset(ast, m.location.end)),
      replacement: m.replacement ?? '',
      status: m.status,
    });
    survivors.push(...logic.filter((l) => undetected.has(l.status)).map(listed));
    messages.push(...message.map(listed));
  }
  return {
    files,
    all: {
      total: tally([...all.message, ...all.logic]),
      message: tally(all.message),
      logic: tally(all.logic),
    },
    survivors: survivors.sort(byPlace),
    messages: messages.sort(byPlace),
  };
}

const byPlace = (a: Listed, b: Listed) => a.file.localeCompare(b.file) || a.line - b.line;

function brief(m: Listed): string {
  const short = (text: string) => text.replace(/\s+/g, ' ').slice(0, 60);
  return `  ${m.file}:${m.line} ${m.mutator} ${m.status}: ${short(m.original)} → ${short(m.replacement)}`;
}

function row(name: string, s: FileSummary): string {
  const pct = (t: Tally) => (t.score === null ? 'n/a' : `${t.score.toFixed(1)}%`).padStart(7);
  return `${name.padEnd(34)} ${String(s.total.mutants).padStart(5)} ${pct(s.total)} ${String(s.logic.mutants).padStart(5)} ${pct(s.logic)} ${String(s.logic.undetected).padStart(5)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--messages');
  if (unknown.length > 0) {
    // `npm run test:mutation -- --force` lands here, after Stryker has run without it.
    console.error(
      `${unknown.join(' ')}: options are Stryker's; run npx stryker run ${unknown.join(' ')} && npx tsx scripts/mutation-score.ts`,
    );
    process.exit(2);
  }
  const input = args.find((a) => !a.startsWith('-')) ?? 'reports/mutation/mutation.json';
  const report = JSON.parse(readFileSync(input, 'utf8')) as Report;
  const summary = { generatedAt: new Date().toISOString(), report: input, ...summarise(report) };
  writeFileSync('reports/mutation/summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `${'file'.padEnd(34)} ${'all'.padStart(5)} ${'score'.padStart(7)} ${'logic'.padStart(5)} ${'score'.padStart(7)} ${'left'.padStart(5)}`,
  );
  for (const [file, s] of Object.entries(summary.files)) console.log(row(file, s));
  console.log(row('all files', summary.all));
  console.log(`\nLogic mutants not detected (${summary.survivors.length}):`);
  for (const s of summary.survivors) console.log(brief(s));
  if (args.includes('--messages')) {
    console.log(`\nMessage text (${summary.messages.length}):`);
    for (const m of summary.messages) console.log(brief(m));
  }
  console.log('\nreports/mutation/summary.json written');
}
