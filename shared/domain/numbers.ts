import { createHash } from 'node:crypto';
import type { IsoDate } from './calendar.ts';
import { formatNumber, type NumberSeries } from './documents.ts';

/**
 * Numbers. The case number is derived from the application id and the date, so that a replay of
 * the events yields the same number and no counter item has to be written. The numbers of the
 * written documents (a decision's `醴环评〔2026〕17号`) are counted instead: per series and year,
 * sequential, gapless and never reused (docs/documents.md#document-numbers).
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

function code(id: string, salt: string): string {
  const digest = createHash('sha256').update(`${salt}:${id}`).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[(digest[i] ?? 0) % 32];
  return out;
}

export type NumberKind = 'case';
const prefix: Record<NumberKind, string> = { case: 'LLHS' };

/** e.g. LLHS-2026-7F3K2Q9M (40 bits: a clash within a year's few thousand is about one in a million): LLHS 醴陵环审受理. */
export function documentNumber(kind: NumberKind, id: string, isoDate: string): string {
  return `${prefix[kind]}-${isoDate.slice(0, 4)}-${code(id, kind)}`;
}

/** The counter of one series in one year: item `COUNTER` / `<series>#<year>` (shared/store/keys.ts). */
export const counterId = (series: NumberSeries, year: number) => `${series}#${year}`;

/** The year a document issued on `issuedOn` (Beijing) is numbered in. */
export const yearOf = (issuedOn: IsoDate) => Number(issuedOn.slice(0, 4));

/**
 * The values the act's counters held when read, by counterId: the act takes the next number.
 * A counter never read counts as 0 (its first number is 1); the write is conditioned on the value
 * read, so a stale value makes the act retry rather than take a number twice.
 */
export type CounterValues = Readonly<Record<string, number>>;

/** The number an act takes: the next after the value read, formatted with its series' prefix. */
export function nextNumber(
  prefixes: Record<NumberSeries, string>,
  series: NumberSeries,
  year: number,
  counters: CounterValues | undefined,
): { n: number; number: string; read: number } {
  const read = counters?.[counterId(series, year)] ?? 0;
  const n = read + 1;
  return { n, number: formatNumber(prefixes[series], year, n), read };
}
