import { type HearingRequest, isEmailAddress } from '../../shared/domain/hearings.ts';
import type { Notification, Recipient } from '../../shared/domain/notifications.ts';
import { mobileNumber } from './channels/phone.ts';

/**
 * The notifier's core (issue 5 part 3), against two ports: who the recipients are (the user
 * directory) and how a message leaves (the mailer). Pure of AWS; the handler plugs in Cognito and
 * SES. One message per address, so that no recipient sees another's address.
 */
export interface Directory {
  /** The addresses of a user (by `sub`), of a role's group, or of an organisation's applicants. */
  addressesOf(recipient: Recipient): Promise<string[]>;
  /**
   * Their mobile numbers (+86…), where the directory knows them: for the SMS channel
   * (functions/notifier/channels/sms-delivery.ts). Absent: the directory knows none.
   */
  phonesOf?(recipient: Recipient): Promise<string[]>;
}

/** Where the hearing requests of an application are read (the application store). */
export interface HearingRequests {
  hearingRequests(
    applicationId: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ items: HearingRequest[]; lastKey?: Record<string, unknown> }>;
}

/**
 * The directory, and for `hearingRequesters` the contacts of the application's hearing requests
 * (those of the current hearing, `since` its first request, or the one `hearingRequestId`)
 * that are e-mail addresses (read when sending, so they never travel in the outbox or on the bus);
 * those who left a phone number are texted on the SMS channel, else phoned by the case officer.
 */
export function withHearingRequesters(directory: Directory, requests: HearingRequests): Directory {
  // The contacts of the requests a recipient names that `pick` turns into an address or a number.
  const contacts = async (
    recipient: Extract<Recipient, { kind: 'hearingRequesters' }>,
    pick: (contact: string) => string | undefined,
  ): Promise<string[]> => {
    const found: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await requests.hearingRequests(recipient.applicationId, 500, startKey);
      for (const r of page.items) {
        if (recipient.since !== undefined && r.receivedAt < recipient.since) continue;
        if (recipient.hearingRequestId !== undefined && r.hearingRequestId !== recipient.hearingRequestId)
          continue;
        const contact = pick(r.contact);
        if (contact !== undefined) found.push(contact);
      }
      startKey = page.lastKey;
    } while (startKey);
    return found;
  };
  return {
    async addressesOf(recipient: Recipient): Promise<string[]> {
      if (recipient.kind !== 'hearingRequesters') return directory.addressesOf(recipient);
      return contacts(recipient, (c) => (isEmailAddress(c) ? c.trim() : undefined));
    },
    // With the SMS channel, those who left a mainland mobile number are texted.
    async phonesOf(recipient: Recipient): Promise<string[]> {
      if (recipient.kind !== 'hearingRequesters') return (await directory.phonesOf?.(recipient)) ?? [];
      return contacts(recipient, mobileNumber);
    },
  };
}

export interface Message {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  send(message: Message): Promise<void>;
}

export interface DeliveryReport {
  readonly sent: number;
  /** Recipients with no address on file (a user deleted since, an empty group): logged, not retried. */
  readonly unreachable: Recipient[];
  /** Addresses the mail service refused for good (by error name; never the address itself in logs). */
  readonly refused: string[];
}

/**
 * SES's answers that no retry can change for that address: skipping it lets the others get the
 * notification once, instead of every retry mailing them again and the event ending as a failure.
 */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
]);

export function isPermanent(error: unknown): boolean {
  const e = error as { name?: string; permanent?: unknown } | null;
  // Or a channel's own refusal that says so (functions/notifier/channels/smtp.ts).
  return PERMANENT.has(e?.name ?? '') || e?.permanent === true;
}

export const FREE_OF_CHARGE = {
  zh: '\n\n环境影响评价文件的审批和备案不收取任何费用（《中华人民共和国环境影响评价法》第二十二条）。',
  en: '\n\nApproval and filing are free of charge (Environmental Impact Assessment Law, Article 22).',
};

/**
 * Chinese first (the bureau's language), English after, the deadline in both with why it may still
 * move beside it; and that it costs nothing.
 */
export function compose(n: Notification): { subject: string; text: string } {
  // A notification written before `deadlineNote` existed still says when its deadline is provisional.
  const note =
    n.deadlineNote ??
    (n.provisionalDates?.includes('deadline') ? { zh: '暂定', en: 'provisional' } : undefined);
  const deadline = n.deadline
    ? {
        zh: `\n\n办理期限：${n.deadline}${note ? `（${note.zh}）` : ''}`,
        en: `\n\nAct by: ${n.deadline}${note ? ` (${note.en})` : ''}`,
      }
    : { zh: '', en: '' };
  const ref = `\n\n——\n${n.applicationId} · #${n.seq} · ${n.at}`;
  // Every notice about an application says it (the EIA Law, art. 22); the admins' calendar reminder is none.
  const free = n.action === 'calendar_reminder' ? { zh: '', en: '' } : FREE_OF_CHARGE;
  return {
    subject: `${n.subject.zh} | ${n.subject.en}`,
    text: `${n.body.zh}${deadline.zh}${free.zh}\n\n${n.body.en}${deadline.en}${free.en}${ref}`,
  };
}

/**
 * Sends one notification to everyone it names. A failed send throws (Lambda retries the whole
 * event, so delivery is at least once), unless the refusal is permanent for that address; an
 * address is mailed once even when two recipients resolve to it.
 */
export async function deliver(
  n: Notification,
  directory: Directory,
  mailer: Mailer,
): Promise<DeliveryReport> {
  const { subject, text } = compose(n);
  const addresses = new Set<string>();
  const unreachable: Recipient[] = [];
  for (const recipient of n.recipients) {
    const found = await directory.addressesOf(recipient);
    if (found.length === 0) unreachable.push(recipient);
    for (const address of found) addresses.add(address.toLowerCase());
  }
  let sent = 0;
  const refused: string[] = [];
  for (const to of [...addresses].sort()) {
    try {
      await mailer.send({ to, subject, text });
      sent += 1;
    } catch (error) {
      if (!isPermanent(error)) throw error;
      refused.push((error as Error).name);
    }
  }
  return { sent, unreachable, refused };
}
