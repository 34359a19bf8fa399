import type { AuditEvent } from './types.ts';

/**
 * Applicants' personal data in events: the contact person's name and phone (`applicant.contactName`,
 * `applicant.contactPhone` in a create or edit payload and in its changes). Exports mask them
 * unless the auditor asks otherwise; so are the e-mail addresses of invited staff in the bureau's
 * stream (`email`), and the names and contacts the public left (maskPublicContacts). A masked
 * event no longer hashes to its `hash`.
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

/**
 * The event with applicants' personal data masked wherever it occurs: the contact fields in its
 * payload and changes (at any depth), the name of an applicant who acted (`actor.name`, the
 * export's actor column: 刘**), and the public's names and contacts; a copy. Officials' and the
 * system's names stay: they act in office. The actor's account id stays too (what `actor=`
 * filters by; it names nobody).
 */
export function maskEvent(event: AuditEvent): AuditEvent {
  return maskPublicContacts({
    ...event,
    actor:
      event.actor.role === 'applicant' ? { ...event.actor, name: maskName(event.actor.name) } : event.actor,
    payload: maskValue(event.payload),
    changes: maskValue(event.changes) as Record<string, unknown>,
  });
}

/** Who the public is in the trail (shared/domain/comments.ts publicActor). */
const PUBLIC_ACTOR_ID = 'public';

/** One plain e-mail address and nothing else: no words of the person's beside it, in its domain. */
const LONE_EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/;
/** A phone number: digits, with spaces, dashes, brackets and a leading +. */
const LONE_PHONE = /^\+?[\d\s()-]+$/;

/**
 * A contact the public left: an e-mail address masked as one (l*****@x.cn), a phone number as one
 * (138****0000), and any other text (a name beside a number, a WeChat id) wholly, one * a
 * character: the first and last characters of free text may be the person's name.
 */
export function maskContact(contact: string): string {
  const text = contact.trim();
  if (LONE_EMAIL.test(text)) return maskEmail(text);
  if (LONE_PHONE.test(text)) return maskPhone(text);
  return '*'.repeat([...text].length);
}

/**
 * The public's own words in an event of theirs (a comment, a hearing request, actor `public`):
 * `name` and `contact` at the top of its payload, as the commenter or requester gave them. Only
 * officials and auditors read them; everyone else, the applicant above all, gets them masked
 * (刘**, l*****@x.cn, 138****0000). Any other event is returned as it is.
 *
 * Like every masked event, the copy no longer hashes to its `hash`: the trail is verified on the
 * stored events (GET /audit/applications/{id}/verify, shared/domain/audit-verify.ts), never on
 * what a caller was shown.
 */
export function maskPublicContacts(event: AuditEvent): AuditEvent {
  const payload = event.payload;
  if (event.actor.id !== PUBLIC_ACTOR_ID || payload === null || typeof payload !== 'object') return event;
  if (Array.isArray(payload)) return event;
  const { name, contact } = payload as Record<string, unknown>;
  if (typeof name !== 'string' && typeof contact !== 'string') return event;
  return {
    ...event,
    payload: {
      ...payload,
      ...(typeof name === 'string' ? { name: maskName(name) } : {}),
      ...(typeof contact === 'string' ? { contact: maskContact(contact) } : {}),
    },
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
