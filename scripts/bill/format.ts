import type { Bill, PricedLine } from './compute.ts';

const SYMBOL = { USD: '$', CNY: '¥' } as const;

function quantity(n: number): string {
  if (n === 0) return '0';
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 1) return n.toFixed(1);
  return n.toPrecision(2);
}

export function money(n: number | undefined, currency: 'USD' | 'CNY'): string {
  if (n === undefined) return 'not offered';
  return `${SYMBOL[currency]}${n.toFixed(2)}`;
}

function unitPrice(line: PricedLine, currency: 'USD' | 'CNY'): string {
  if (line.unitPrice === undefined) return '—';
  const p = line.unitPrice;
  const text = p >= 0.01 ? p.toFixed(4).replace(/0{1,2}$/, '') : p.toPrecision(3);
  return `${SYMBOL[currency]}${text}${line.estimated ? ' est.' : ''}`;
}

/** Columns: text ones left-aligned, figures right-aligned. */
function table(rows: readonly string[][], right: ReadonlySet<number>): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * An itemised bill: each line's quantity, unit, unit price and monthly cost, then the totals at
 * list price and after the account's always-free allowances. `also` adds a second currency's column
 * for the same lines (us-east-1 USD beside China CNY).
 */
export function formatBill(title: string, bill: Bill, also?: Bill): string {
  const header = ['', 'quantity', 'unit', 'unit price', `${bill.currency}/month`, 'note'];
  if (also) header.splice(5, 0, `${also.currency}/month`);
  const rows: string[][] = [header];
  let group = '';
  bill.lines.forEach((line, i) => {
    if (line.group !== group) {
      group = line.group;
      rows.push([`[${group}]`]);
    }
    const row = [
      `  ${line.name}`,
      quantity(line.quantity),
      line.unit,
      unitPrice(line, bill.currency),
      money(line.cost, bill.currency),
      line.note ?? '',
    ];
    if (also) row.splice(5, 0, money(also.lines[i]?.cost, also.currency));
    rows.push(row);
  });
  const totals = [
    `Total ${money(bill.total, bill.currency)} a month at list prices` +
      (also
        ? ` (${money(also.total, also.currency)} at ${also.currency === 'USD' ? 'us-east-1' : 'China'} prices)`
        : ''),
    `      ${money(bill.totalAfterFree, bill.currency)} after the account's always-free allowances`,
  ];
  if (bill.fixed > 0 || bill.variable > 0) {
    totals.unshift(
      `Fixed ${money(bill.fixed, bill.currency)}, variable ${money(bill.variable, bill.currency)}`,
    );
  }
  const right = new Set(also ? [1, 3, 4, 5] : [1, 3, 4]);
  return [`== ${title}`, table(rows, right), ...totals].join('\n');
}
