/**
 * CSV (RFC 4180) that a spreadsheet opens without running anything: a cell that a spreadsheet would
 * take as a formula (starting with = + - @, a tab or a carriage return, or their full-width forms
 * ＝ ＋ － ＠ that some input methods produce) gets a leading single quote. A cell that already
 * starts with a quote gets one more, so reading back is always "drop one leading quote if present".
 */
// @ts-nocheck

const formulaStart = /^[=+\-@\t\r'＝＋－＠]/u;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = typeof value === 'string' && formulaStart.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
