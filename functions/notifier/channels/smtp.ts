import { randomUUID } from 'node:crypto';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Mailer, Message } from '../notify.ts';

/**
 * E-mail through the bureau's own mail server (SMTP), where SES is not offered (the China
 * regions): the same message as SES's (functions/notifier/notify.ts compose, Chinese and English
 * in one), plain text, UTF-8. Only nodemailer's SMTP connection is used (STARTTLS, AUTH, dot
 * stuffing); the message itself is written here, which keeps the notifier's bundle small.
 *
 * The connection is always encrypted: implicit TLS when `secure` (port 465 by default), else
 * STARTTLS, required: a server that does not offer it is refused before the password is sent.
 * The server's certificate is verified, against `ca` when the bureau's server has a certificate
 * of its own authority.
 */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly pass: string;
  /** The sender, e.g. `醴陵市生态环境局 <eia@example.gov.cn>` or a bare address. */
  readonly from: string;
  /** Implicit TLS from the first byte (usually port 465); otherwise STARTTLS, required. */
  readonly secure?: boolean | undefined;
  /** PEM of the certificate authority that signed the server's certificate, when not a public one. */
  readonly ca?: string | undefined;
}

/** How long a server may take, in ms: well inside the notifier's timeout, so a retry can follow. */
const TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 };

/** A refusal no retry can change for this address (a 5xx to RCPT TO or to the message). */
export class SmtpRefusedError extends Error {
  override readonly name = 'SmtpRecipientRejected';
  /** Read by notify.ts isPermanent: this address is skipped, the others still get the message. */
  readonly permanent = true;
  constructor(readonly responseCode: number) {
    super(`the mail server refused the message for good (${responseCode})`);
  }
}

/** Any other failure: to retry (a 4xx, a network fault, a refused login or sender). */
export class SmtpError extends Error {
  override readonly name = 'SmtpError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly responseCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * What a failure means: a 5xx answer to the recipient or the message is final for that address;
 * anything else (a 4xx, a network fault, a refused login, a refused sender) is thrown as it is, so
 * that Lambda retries the notification and, failing, parks it with its error for an alarm.
 */
export function smtpFailure(error: unknown): Error {
  const e = (error ?? {}) as SmtpFailure;
  const code = e.responseCode ?? 0;
  const command = (e.command ?? '').toUpperCase();
  const final = code >= 500 && code < 600;
  if (final && (command.startsWith('RCPT') || command === 'DATA' || e.code === 'EMESSAGE'))
    return new SmtpRefusedError(code);
  // A new error, so that no flag of the client's own (nodemailer marks 5xx answers `permanent`)
  // makes notify.ts skip the address for a fault that is not the address's.
  return new SmtpError(
    `the mail server did not take the message: ${e.message ?? String(error)}`,
    e.code,
    e.responseCode,
    {
      cause: error,
    },
  );
}

/** The address inside `Name <address>`, or the whole when bare. */
export function addressOf(mailbox: string): string {
  return /<([^<>]+)>\s*$/.exec(mailbox)?.[1]?.trim() ?? mailbox.trim();
}

/**
 * RFC 2047 encoded-words for a header that is not plain ASCII: base64 of UTF-8, cut between
 * characters (never inside one) so that each word stays within 75 characters, words folded onto
 * continuation lines.
 */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    // 45 bytes of UTF-8 → 60 characters of base64, 72 with `=?UTF-8?B?` and `?=`.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** The From header: a display name (encoded when not ASCII) and the address. */
function fromHeader(from: string): string {
  const match = /^\s*"?([^"<]*?)"?\s*<([^<>]+)>\s*$/.exec(from);
  if (!match?.[1]) return addressOf(from);
  return `${encodeHeader(match[1])} <${match[2]}>`;
}

/** Base64 in lines of 76 characters, as MIME asks. */
function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n') ?? ''
  );
}

/** One plain-text UTF-8 message, CRLF line ends, the body base64 (any line length, any script). */
export function mimeMessage(m: Message & { from: string; date: Date; messageId: string }): string {
  const headers = [
    `From: ${fromHeader(m.from)}`,
    `To: ${m.to}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${m.messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${base64Lines(m.text.replace(/\r?\n/g, '\r\n'))}\r\n`;
}

function connect(connection: SMTPConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => {
      connection.removeListener('error', reject);
      resolve();
    });
  });
}

/** SMTP as the mailer: one connection per message (a notification names a handful of people). */
export function smtpMailer(config: SmtpConfig): Mailer {
  const secure = config.secure ?? config.port === 465;
  const domain = addressOf(config.from).split('@')[1] ?? 'localhost';
  return {
    async send(message: Message): Promise<void> {
      const connection = new SMTPConnection({
        host: config.host,
        port: config.port,
        secure,
        // Never in clear: STARTTLS or no login at all.
        requireTLS: !secure,
        tls: {
          minVersion: 'TLSv1.2',
          rejectUnauthorized: true,
          ...(config.ca ? { ca: config.ca } : {}),
        },
        name: domain,
        ...TIMEOUTS,
      });
      // A fault after connect (the server hangs up) ends the call below, not the process.
      connection.on('error', () => {});
      try {
        await connect(connection);
        await new Promise<void>((resolve, reject) =>
          connection.login({ user: config.user, pass: config.pass }, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
        const raw = mimeMessage({
          ...message,
          from: config.from,
          date: new Date(),
          messageId: `${randomUUID()}@${domain}`,
        });
        await new Promise<void>((resolve, reject) =>
          connection.send({ from: addressOf(config.from), to: [message.to] }, raw, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
        connection.quit();
      } catch (error) {
        connection.close();
        throw smtpFailure(error);
      }
    },
  };
}
