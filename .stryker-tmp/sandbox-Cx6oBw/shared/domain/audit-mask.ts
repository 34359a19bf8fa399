// @ts-nocheck
import type { AuditEvent } from './types.ts';

/**
 * Applicants' personal data in events: the contact person's name and phone (`applicant.contactName`,
 * `applicant.contactPhone` in a create or edit payload and in its changes). Exports mask them
 * unless the auditor asks otherwise. A masked event no longer hashes to its `hash`.
 */
export const personalFields = {
  contactPhone: maskPhone,
  contactName: maskName,
} as const satisfies Record<string, (value: string) => string>;

/** 13873300000 → 138****0000, 0731-23456789 → 073******6789: the first 3 and last 4 kept when 8 or more. */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  if (chars.length < 8) return '*'.repeat(chars.length);
  return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-4).join('')}`;
}

/** 刘建国 → 刘**: the family name stays, as on Chinese public documents. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

function maskValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const mask = (personalFields as Record<string, ((s: string) => string) | undefined>)[key];
      return [key, mask && typeof v === 'string' ? mask(v) : maskValue(v)];
    }),
  );
}

/** The event with personal fields masked wherever they occur in its payload and changes; a copy. */
export function maskEvent(event: AuditEvent): AuditEvent {
  return {
    ...event,
    payload: maskValue(event.payload),
    changes: maskValue(event.changes) as Record<string, unknown>,
  };
}
