/** The notifier: its core against fake ports, and the Cognito and SES adapters against mocked clients. */
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cognitoDirectory, sesMailer } from '../../../../functions/notifier/aws.ts';
import { compose, type Directory, deliver, type Message } from '../../../../functions/notifier/notify.ts';
import { type Notification, recipientKey } from '../../../../shared/domain/notifications.ts';
import { lambdaContext } from '../../../support/api-events.ts';

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

function fakeDirectory(book: Record<string, string[]>): Directory {
  return { addressesOf: async (r) => book[recipientKey(r)] ?? [] };
}

function fakeMailer(failOn?: string) {
  const sent: Message[] = [];
  return {
    sent,
    mailer: {
      async send(m: Message) {
        if (m.to === failOn) throw new Error('SES throttled');
        sent.push(m);
      },
    },
  };
}

describe('compose', () => {
  it("says in both languages that approval and filing are free of charge, except in the admins' calendar reminder", () => {
    const { text } = compose(notification);
    expect(text).toContain('不收取任何费用');
    expect(text).toContain('free of charge');
    expect(text.indexOf('不收取任何费用')).toBeLessThan(text.indexOf('free of charge'));
    expect(compose({ ...notification, action: 'calendar_reminder' }).text).not.toContain('free of charge');
  });

  it('Chinese first, then English, each with the deadline, and the step it comes from', () => {
    const { subject, text } = compose(notification);
    expect(subject).toBe('已受理：「醴陵陶瓷」 | Accepted: "Liling Ceramics"');
    expect(text.indexOf('已受理，进入技术审查。')).toBe(0);
    expect(text.indexOf('办理期限：2026-05-29')).toBeLessThan(text.indexOf('Accepted for review.'));
    expect(text).toContain('Act by: 2026-05-29');
    expect(text).toContain('a-1 · #7');
  });

  it('a provisional deadline is marked so on its line, in both languages', () => {
    const { text } = compose({ ...notification, provisional: true, provisionalDates: ['deadline'] });
    expect(text).toContain('办理期限：2026-05-29（暂定）');
    expect(text).toContain('Act by: 2026-05-29 (provisional)');
    expect(compose(notification).text).not.toContain('暂定');
  });

  it('the deadline line says why the date may still move, as the notification words it', () => {
    const deadlineNote = {
      zh: '暂定：2027年节假日安排尚未公布；如有暂停将顺延',
      en: 'provisional: 2027 holidays not yet published; later if the review is paused',
    };
    const { text } = compose({
      ...notification,
      provisional: true,
      provisionalDates: ['deadline'],
      deadlineNote,
    });
    expect(text).toContain('办理期限：2026-05-29（暂定：2027年节假日安排尚未公布；如有暂停将顺延）');
    expect(text).toContain(
      'Act by: 2026-05-29 (provisional: 2027 holidays not yet published; later if the review is paused)',
    );
    expect(text).not.toContain('（暂定）');
  });

  it('no deadline line when the step has none', () => {
    const { deadline: _none, ...withoutDeadline } = notification;
    const { text } = compose(withoutDeadline);
    expect(text).not.toContain('办理期限');
    expect(text).not.toContain('Act by');
  });
});

describe('deliver', () => {
  it('one message per address, an address once even when two recipients resolve to it', async () => {
    const { sent, mailer } = fakeMailer();
    const report = await deliver(
      notification,
      fakeDirectory({
        'user:owner-1': ['Owner@Example.cn'],
        'role:reviewer': ['li@bureau.cn', 'owner@example.cn', 'wang@bureau.cn'],
      }),
      mailer,
    );
    expect(sent.map((m) => m.to)).toEqual(['li@bureau.cn', 'owner@example.cn', 'wang@bureau.cn']);
    expect(report).toEqual({ sent: 3, unreachable: [], refused: [] });
    for (const m of sent) expect(m.subject).toBe(compose(notification).subject);
  });

  it('reports recipients without an address, and still mails the others', async () => {
    const { sent, mailer } = fakeMailer();
    const report = await deliver(notification, fakeDirectory({ 'role:reviewer': ['li@bureau.cn'] }), mailer);
    expect(sent.map((m) => m.to)).toEqual(['li@bureau.cn']);
    expect(report.unreachable).toEqual([{ kind: 'user', id: 'owner-1' }]);
  });

  it('an address refused for good is skipped and reported by error name; the others are mailed once', async () => {
    const sent: string[] = [];
    const mailer = {
      async send(m: Message) {
        if (m.to === 'bounced@bureau.cn')
          throw Object.assign(new Error('Email address is not verified: bounced@bureau.cn'), {
            name: 'MessageRejected',
          });
        sent.push(m.to);
      },
    };
    const report = await deliver(
      notification,
      fakeDirectory({ 'role:reviewer': ['bounced@bureau.cn', 'li@bureau.cn'] }),
      mailer,
    );
    expect(sent).toEqual(['li@bureau.cn']);
    expect(report).toMatchObject({ sent: 1, refused: ['MessageRejected'] });
    expect(JSON.stringify(report)).not.toContain('bounced@');
  });

  it('a failed send fails the delivery, so Lambda retries it', async () => {
    const { mailer } = fakeMailer('wang@bureau.cn');
    await expect(
      deliver(notification, fakeDirectory({ 'role:reviewer': ['li@bureau.cn', 'wang@bureau.cn'] }), mailer),
    ).rejects.toThrow('SES throttled');
  });
});

describe('Cognito directory', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  beforeEach(() => cognito.reset());
  const directory = () =>
    cognitoDirectory(new CognitoIdentityProviderClient({ region: 'cn-north-1' }), 'pool-1');
  const user = (email: string, verified = true, enabled = true): UserType => ({
    Enabled: enabled,
    Attributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: String(verified) },
    ],
  });

  it('finds a user by sub, with a filtered ListUsers', async () => {
    cognito.on(ListUsersCommand).resolves({ Users: [user('owner@example.cn')] });
    expect(await directory().addressesOf({ kind: 'user', id: 'owner-1' })).toEqual(['owner@example.cn']);
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Filter: 'sub = "owner-1"',
      Limit: 1,
    });
  });

  it('never puts an odd id into the filter expression', async () => {
    expect(await directory().addressesOf({ kind: 'user', id: 'x" or email ^= "' })).toEqual([]);
    expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(0);
  });

  it("the admins are the admin group's members (the calendar reminder)", async () => {
    cognito.on(ListUsersInGroupCommand).resolvesOnce({ Users: [user('admin@bureau.cn')] });
    expect(await directory().addressesOf({ kind: 'role', role: 'admin' })).toEqual(['admin@bureau.cn']);
    expect(cognito.commandCalls(ListUsersInGroupCommand)[0]?.args[0].input.GroupName).toBe('admin');
  });

  it("a role's members across pages, leaving out unverified addresses and disabled accounts", async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolvesOnce({ Users: [user('li@bureau.cn'), user('new@bureau.cn', false)], NextToken: 'p2' })
      .resolvesOnce({ Users: [user('gone@bureau.cn', true, false), user('wang@bureau.cn')] });
    expect(await directory().addressesOf({ kind: 'role', role: 'reviewer' })).toEqual([
      'li@bureau.cn',
      'wang@bureau.cn',
    ]);
    const calls = cognito.commandCalls(ListUsersInGroupCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { UserPoolId: 'pool-1', GroupName: 'reviewer', NextToken: undefined },
      { UserPoolId: 'pool-1', GroupName: 'reviewer', NextToken: 'p2' },
    ]);
  });
});

describe('Cognito directory: an organisation', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  beforeEach(() => cognito.reset());
  const org = '91430281MA4L0XXXX1';
  const other = '91430281MA4L0YYYY2';
  const applicant = (email: string, orgCode?: string, verified = true, enabled = true): UserType => ({
    Enabled: enabled,
    Attributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: String(verified) },
      ...(orgCode ? [{ Name: 'custom:orgCode', Value: orgCode }] : []),
    ],
  });

  it("is its applicants, across pages: not another organisation's, nor unverified or disabled accounts", async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolvesOnce({
        Users: [
          applicant('zhang@ceramics.cn', org),
          applicant('li@other.cn', other),
          applicant('nocode@example.cn'),
          applicant('new@ceramics.cn', org, false),
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Users: [applicant('gone@ceramics.cn', org, true, false), applicant('huang@ceramics.cn', org)],
      });
    const directory = cognitoDirectory(new CognitoIdentityProviderClient({ region: 'cn-north-1' }), 'pool-1');
    expect(await directory.addressesOf({ kind: 'org', orgCode: org })).toEqual([
      'zhang@ceramics.cn',
      'huang@ceramics.cn',
    ]);
    const calls = cognito.commandCalls(ListUsersInGroupCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { UserPoolId: 'pool-1', GroupName: 'applicant', NextToken: undefined },
      { UserPoolId: 'pool-1', GroupName: 'applicant', NextToken: 'p2' },
    ]);
    expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(0);
  });

  it('an organisation without accounts is unreachable, and the window clerk still gets the copy', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [applicant('li@other.cn', other)] });
    cognito.on(ListUsersCommand).resolves({ Users: [applicant('clerk@bureau.cn')] });
    const directory = cognitoDirectory(new CognitoIdentityProviderClient({ region: 'cn-north-1' }), 'pool-1');
    const { sent, mailer } = fakeMailer();
    const walkIn: Notification = {
      ...notification,
      action: 'decline',
      recipients: [
        { kind: 'org', orgCode: org },
        { kind: 'user', id: 'clerk-1' },
      ],
    };
    const report = await deliver(walkIn, directory, mailer);
    expect(sent.map((m) => m.to)).toEqual(['clerk@bureau.cn']);
    expect(report.unreachable).toEqual([{ kind: 'org', orgCode: org }]);
  });
});

describe('SES mailer', () => {
  const ses = mockClient(SESv2Client);
  beforeEach(() => ses.reset());

  it('sends plain UTF-8 text from the configured sender to one address', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = sesMailer(new SESv2Client({ region: 'cn-north-1' }), 'eia@example.cn');
    await mailer.send({ to: 'owner@example.cn', ...compose(notification) });
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'eia@example.cn',
      Destination: { ToAddresses: ['owner@example.cn'] },
      Content: {
        Simple: {
          Subject: { Data: compose(notification).subject, Charset: 'UTF-8' },
          Body: { Text: { Data: compose(notification).text, Charset: 'UTF-8' } },
        },
      },
    });
  });
});

describe('notifier handler', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  const ses = mockClient(SESv2Client);
  // The inboxes of the users it names (functions/notifier/inbox.ts): empty, every write taken.
  const ddb = mockClient(DynamoDBDocumentClient);
  const event = { detail: notification } as Parameters<
    Awaited<typeof import('../../../../functions/notifier/handler.ts')>['handler']
  >[0];
  beforeEach(() => {
    cognito.reset();
    ses.reset();
    ddb.reset();
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'cn-north-1');
    vi.stubEnv('USER_POOL_ID', 'pool-1');
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('CURSOR_SECRET', 'unit-test-cursor-secret-0123456789');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('mails every recipient from FROM_ADDRESS', async () => {
    vi.stubEnv('FROM_ADDRESS', 'eia@example.cn');
    cognito.on(ListUsersCommand).resolves({
      Users: [
        {
          Attributes: [
            { Name: 'email', Value: 'owner@example.cn' },
            { Name: 'email_verified', Value: 'true' },
          ],
        },
      ],
    });
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [] });
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const { handler } = await import('../../../../functions/notifier/handler.ts');
    expect(await handler(event, lambdaContext)).toEqual({
      sent: 1,
      unreachable: [{ kind: 'role', role: 'reviewer' }],
      refused: [],
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('without a sender it mails nothing and does not fail (the bus archive keeps the event), but fills the inboxes', async () => {
    vi.stubEnv('FROM_ADDRESS', '');
    cognito.on(ListUsersInGroupCommand).resolves({
      Users: [{ Enabled: true, Attributes: [{ Name: 'sub', Value: 'reviewer-9' }] }],
    });
    const { handler } = await import('../../../../functions/notifier/handler.ts');
    expect(await handler(event, lambdaContext)).toBeUndefined();
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    // No address looked up: only the reviewers' group, for their inboxes.
    expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(0);
    const inboxes = ddb
      .commandCalls(TransactWriteCommand)
      .map((c) => c.args[0].input.TransactItems?.[0]?.Put?.Item?.pk);
    expect(inboxes).toEqual(['INBOX#owner-1', 'INBOX#reviewer-9']);
  });
});
