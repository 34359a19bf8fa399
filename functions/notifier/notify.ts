import type { Notification, Recipient } from '../../shared/domain/notifications.ts';

/**
 * The notifier's core (issue 5 part 3), against two ports: who the recipients are (the user
 * directory) and how a message leaves (the mailer). Pure of AWS; the handler plugs in Cognito and
 * SES. One message per address, so that no recipient sees another's address.
 */
export interface Directory {
  /** The addresses of a user (by id, the token's `sub`) or of every member of a role's group. */
  addressesOf(recipient: Recipient): Promise<string[]>;
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
}

/** Chinese first (the bureau's language), English after, the deadline in both. */
export function compose(n: Notification): { subject: string; text: string } {
  const deadline = n.deadline
    ? { zh: `\n\n办理期限：${n.deadline}`, en: `\n\nAct by: ${n.deadline}` }
    : { zh: '', en: '' };
  const ref = `\n\n——\n${n.applicationId} · #${n.seq} · ${n.at}`;
  return {
    subject: `${n.subject.zh} | ${n.subject.en}`,
    text: `${n.body.zh}${deadline.zh}\n\n${n.body.en}${deadline.en}${ref}`,
  };
}

/**
 * Sends one notification to everyone it names. A failed send throws (EventBridge retries the
 * whole event, so delivery is at least once); an address is mailed once even when two recipients
 * resolve to it.
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
  for (const to of [...addresses].sort()) await mailer.send({ to, subject, text });
  return { sent: addresses.size, unreachable };
}
