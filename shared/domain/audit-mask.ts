import type { AuditEvent } from './types.ts';

/**
 * Applicants' personal data in events: the contact person's name and phone (`applicant.contactName`,
 * `applicant.contactPhone` in a create or edit payload and in its changes). Exports mask them
 * unless the auditor asks otherwise; so are the e-mail addresses of invited staff in the bureau's
 * stream (`email`). A masked event no longer hashes to its `hash`.
 */
export const personalFields = {
  contactPhone: maskPhone,
  contactName: maskName,
  email: maskEmail,
} as const satisfies Record<string, (value: string) => string>;

/** 13873300000 → 138****0000, 0731-23456789 → 073******6789: the first 3 and last 4 kept when 8 or more. */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  if (chars.length < 8) return '*'.repeat(chars.length);
  return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-4).join('')}`;
}

/** li.ming@liling.gov.cn → l******@liling.gov.cn: the first character and the domain stay. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat([...email].length);
  const local = [...email.slice(0, at)];
  return `${local[0]}${'*'.repeat(Math.max(local.length - 1, 1))}${email.slice(at)}`;
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

/** A bureau event (an invitation names the invitee's e-mail) with personal fields masked; a copy. */
export function maskBureauEvent<E extends { payload: unknown; changes: Record<string, unknown> }>(
  event: E,
): E {
  return {
    ...event,
    payload: maskValue(event.payload),
    changes: maskValue(event.changes) as Record<string, unknown>,
  };
}
