/** The SMTP mailer against a local SMTP server this test starts (smtp-server), over STARTTLS or TLS. */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeHeader,
  mimeMessage,
  type SmtpConfig,
  smtpMailer,
} from '../../../../../functions/notifier/channels/smtp.ts';
import { compose, type Directory, deliver } from '../../../../../functions/notifier/notify.ts';
import { type Notification, recipientKey } from '../../../../../shared/domain/notifications.ts';

// A self-signed certificate for localhost and 127.0.0.1 (valid until 2126), made for these tests only.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const key = fixture('localhost-key.pem');
const cert = fixture('localhost-cert.pem');

const notification: Notification = {
  applicationId: 'a-1',
  seq: 7,
  action: 'accept',
  at: '2026-03-02T02:00:00.000Z',
  recipients: [
    { kind: 'user', id: 'owner-1' },
    { kind: 'role', role: 'reviewer' },
  ],
  subject: { zh: '已受理：「醴陵陶瓷」', en: 'Accepted: "Liling Ceramics"' },
  body: { zh: '已受理，进入技术审查。', en: 'Accepted for review.' },
  deadline: '2026-05-29',
};

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
  secure: boolean;
  user: string | undefined;
}

interface Fake {
  port: number;
  received: Received[];
  logins: { user: string; secure: boolean }[];
}

const running: SMTPServer[] = [];

/** A local SMTP server on a free port; afterEach stops every one a test started. */
async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<Fake> {
  const received: Received[] = [];
  const logins: Fake['logins'] = [];
  const server = new SMTPServer({
    key,
    cert,
    name: 'localhost',
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, session, callback) {
      logins.push({ user: auth.username ?? '', secure: session.secure });
      if (auth.username === 'eia' && auth.password === 'right-password')
        return callback(null, { user: 'eia' });
      const error = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
    ...options,
  });
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, logins };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const config = (port: number, extra: Partial<SmtpConfig> = {}): SmtpConfig => ({
  host: '127.0.0.1',
  port,
  user: 'eia',
  pass: 'right-password',
  from: '醴陵市生态环境局 <eia@liling.example.cn>',
  ca: cert,
  ...extra,
});

/** The subject and the text of a received message, decoded here (not by the code under test). */
function decoded(raw: string): { headers: string; subject: string; text: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? '';
  const words = [...subjectLine.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/gi)].map((m) =>
    Buffer.from(m[1] ?? '', 'base64'),
  );
  const subject = words.length > 0 ? Buffer.concat(words).toString('utf8') : subjectLine;
  return {
    headers: unfolded,
    subject,
    text: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'),
  };
}

describe('smtpMailer', () => {
  it('logs in after STARTTLS and delivers the Chinese and English message to the one address', async () => {
    const fake = await startServer();
    const { subject, text } = compose(notification);
    await smtpMailer(config(fake.port)).send({ to: 'owner@example.cn', subject, text });

    expect(fake.logins).toEqual([{ user: 'eia', secure: true }]);
    expect(fake.received).toHaveLength(1);
    const [mail] = fake.received;
    expect(mail?.secure).toBe(true);
    expect(mail?.user).toBe('eia');
    expect(mail?.from).toBe('eia@liling.example.cn');
    expect(mail?.to).toEqual(['owner@example.cn']);
    const message = decoded(mail?.raw ?? '');
    expect(message.subject).toBe('已受理：「醴陵陶瓷」 | Accepted: "Liling Ceramics"');
    expect(message.text).toBe(text.replace(/\n/g, '\r\n'));
    expect(message.text).toContain('已受理，进入技术审查。');
    expect(message.text).toContain('Accepted for review.');
    expect(message.text).toContain('不收取任何费用');
    expect(message.headers).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(message.headers).toMatch(/^To: owner@example\.cn$/m);
    expect(
      decoded(`Subject: ${/^From: (.*)$/m.exec(message.headers)?.[1]?.split(' <')[0]}\r\n\r\n`).subject,
    ).toBe('醴陵市生态环境局');
  });

  it('speaks TLS from the first byte when `secure` (port 465 style)', async () => {
    const fake = await startServer({ secure: true });
    await smtpMailer(config(fake.port, { secure: true })).send({
      to: 'a@example.cn',
      subject: 's',
      text: 't',
    });
    expect(fake.received.map((m) => [m.secure, m.user])).toEqual([[true, 'eia']]);
  });

  it('never sends the password in clear: a server without STARTTLS is refused before the login', async () => {
    const fake = await startServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    await expect(
      smtpMailer(config(fake.port)).send({ to: 'a@example.cn', subject: 's', text: 't' }),
    ).rejects.toThrow();
    expect(fake.logins).toEqual([]);
    expect(fake.received).toEqual([]);
  });

  it('does not trust a certificate of an authority it was not given', async () => {
    const fake = await startServer();
    await expect(
      smtpMailer(config(fake.port, { ca: undefined })).send({ to: 'a@example.cn', subject: 's', text: 't' }),
    ).rejects.toThrow(/certificate/i);
    expect(fake.logins).toEqual([]);
  });

  it('a refused login is an error to retry, not a refusal of the address', async () => {
    const fake = await startServer();
    const error = await smtpMailer(config(fake.port, { pass: 'wrong' }))
      .send({ to: 'a@example.cn', subject: 's', text: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { permanent?: boolean }).permanent).toBeUndefined();
    expect(fake.received).toEqual([]);
  });

  it('a 5xx for one recipient skips that address only (refused); a 4xx throws so that Lambda retries', async () => {
    const fake = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address === 'gone@example.cn')
          return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        if (address.address === 'busy@example.cn')
          return callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
        return callback();
      },
    });
    const mailer = smtpMailer(config(fake.port));
    const book: Record<string, string[]> = {
      [recipientKey({ kind: 'user', id: 'owner-1' })]: ['gone@example.cn'],
      [recipientKey({ kind: 'role', role: 'reviewer' })]: ['reviewer@example.cn'],
    };
    const directory: Directory = { addressesOf: async (r) => book[recipientKey(r)] ?? [] };
    expect(await deliver(notification, directory, mailer)).toEqual({
      sent: 1,
      unreachable: [],
      refused: ['SmtpRecipientRejected'],
    });
    expect(fake.received.map((m) => m.to)).toEqual([['reviewer@example.cn']]);

    const busy: Directory = { addressesOf: async () => ['busy@example.cn'] };
    await expect(deliver(notification, busy, mailer)).rejects.toThrow();
  });
});

describe('the message', () => {
  it('encodes a long Chinese subject in words of at most 75 characters, cut between characters', () => {
    const subject =
      '关于「醴陵市某某陶瓷有限公司年产五千万件日用陶瓷生产线技术改造项目」的环境影响报告书已受理';
    const encoded = encodeHeader(subject);
    const words = encoded.split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    const back = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'));
    expect(back.join('')).toBe(subject);
    expect(back.every((part) => !part.includes('\uFFFD'))).toBe(true);
    expect(encodeHeader('plain ascii')).toBe('plain ascii');
  });

  it('has CRLF line ends and body lines of at most 76 characters', () => {
    const raw = mimeMessage({
      to: 'a@example.cn',
      subject: '主题',
      text: '一'.repeat(200),
      from: 'eia@example.cn',
      date: new Date('2026-03-02T02:00:00Z'),
      messageId: 'm-1@example.cn',
    });
    expect(raw).not.toMatch(/[^\r]\n/);
    const body = raw.split('\r\n\r\n')[1] ?? '';
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(raw).toContain('Date: Mon, 02 Mar 2026 02:00:00 +0000');
    expect(raw).toContain('Message-ID: <m-1@example.cn>');
  });
});
