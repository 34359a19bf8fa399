// @ts-nocheck
import { createHash } from 'node:crypto';

/**
 * Case, decision and receipt numbers. Derived from the application id and the date, so that a
 * replay of the events yields the same numbers and no counter item has to be written.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

function code(id: string, salt: string): string {
  const digest = createHash('sha256').update(`${salt}:${id}`).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[(digest[i] ?? 0) % 32];
  return out;
}

export type NumberKind = 'case' | 'decision' | 'receipt';
const prefix: Record<NumberKind, string> = { case: 'LLHS', decision: 'LLHP', receipt: 'LLBA' };

/** e.g. LLHS-2026-7F3K2Q9M (40 bits: a clash within a year's few thousand is about one in a million): LLHS 醴陵环审受理, LLHP 环评批复, LLBA 登记表备案. */
export function documentNumber(kind: NumberKind, id: string, isoDate: string): string {
  return `${prefix[kind]}-${isoDate.slice(0, 4)}-${code(id, kind)}`;
}
