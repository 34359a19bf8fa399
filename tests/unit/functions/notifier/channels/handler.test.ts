/**
 * The notifier's channel choice (NOTIFY_CHANNEL) and its secret (NOTIFY_SECRET_ARN, Secrets Manager
 * mocked): SMTP to a local SMTP server, SMS to a local fake of the provider, both started here; a
 * missing or invalid configuration is a logged error and nothing is sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../../../../shared/domain/notifications.ts';
import { appKey } from '../../../../../shared/store/keys.ts';
import { lambdaContext } from '../../../../support/api-events.ts';

const cert = readFileSync(new URL('./fixtures/localhost-cert.pem', import.meta.url), 'utf8');
const key = readFileSync(new URL('./fixtures/localhost-key.pem', import.meta.url), 'utf8');
const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:eia-notify-AbCdEf';

const notification: Notification = {
  applicationId: 'a-1',
  seq: 7,
  action: 'accept',
  at: '2026-03-02T02:00:00.000Z',
  recipients: [
    { kind: 'org', orgCode: '91430281MA4L000000' },
    { kind: 'role', role: 'reviewer' },
  ],
  subject: { zh: '已受理', en: 'Accepted' },
  body: { zh: '已受理。', en: 'Accepted.' },
  deadline: '2026-05-29',
};
const event = { detail: notification } as Parameters<
  Awaited<typeof import('../../../../../functions/notifier/handler.ts')>['handler']
>[0];

// The local SMTP server and the SMS provider's fake, for the whole file.
const mails: { to: string[]; secure: boolean }[] = [];
const texts: { PhoneNumberSet: string[]; TemplateId: string; TemplateParamSet: string[] }[] = [];
let smtp: SMTPServer;
let smtpPort = 0;
let sms: Server;
let smsEndpoint = '';

beforeAll(async () => {
  smtp = new SMTPServer({
    key,
    cert,
    logger: false,
    onAuth: (auth, _s, cb) =>
      auth.password === 'pw' ? cb(null, { user: auth.username }) : cb(new Error('no')),
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  sms = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      texts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: { SendStatusSet: [{ Code: 'Ok' }], RequestId: 'r' } }));
    });
  });
  await new Promise<void>((resolve) => sms.listen(0, '127.0.0.1', resolve));
  smsEndpoint = `http://127.0.0.1:${(sms.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => sms.close(() => resolve()));
});

const smtpSecret = () =>
  JSON.stringify({
    smtp: {
      host: '127.0.0.1',
      port: smtpPort,
      user: 'eia',
      pass: 'pw',
      from: 'eia@liling.example.cn',
      ca: cert,
    },
  });
const smsSecret = (extra: object = {}) =>
  JSON.stringify({
    sms: {
      secretId: 'AKIDtest',
      secretKey: 'key',
      sdkAppId: '1400006666',
      signName: '醴陵市生态环境局',
      templates: { default: '2000000' },
      endpoint: smsEndpoint,
      ...extra,
    },
  });

describe('notifier channels', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  const ses = mockClient(SESv2Client);
  const secrets = mockClient(SecretsManagerClient);
  const ddb = mockClient(DynamoDBDocumentClient);

  beforeEach(() => {
    mails.length = 0;
    texts.length = 0;
    for (const m of [cognito, ses, secrets, ddb]) m.reset();
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand, { Key: appKey('a-1') }).resolves({
      Item: {
        ...appKey('a-1'),
        id: 'a-1',
        caseNumber: 'LLHS-2026-7F3K2Q9M',
        project: { name: '醴陵陶瓷' },
        applicant: {
          orgName: '醴陵陶瓷',
          orgCode: '91430281MA4L000000',
          contactName: '李四',
          contactPhone: '13800000002',
        },
        ownerId: 'owner-1',
        headHash: 'h',
      },
    });
    // Reviewers: one with a verified e-mail address and mobile number.
    cognito.on(ListUsersInGroupCommand, { GroupName: 'reviewer' }).resolves({
      Users: [
        {
          Enabled: true,
          Attributes: [
            { Name: 'sub', Value: 'reviewer-9' },
            { Name: 'email', Value: 'reviewer@example.cn' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'phone_number', Value: '+8613900000003' },
            { Name: 'phone_number_verified', Value: 'true' },
          ],
        },
      ],
    });
    cognito.on(ListUsersInGroupCommand, { GroupName: 'applicant' }).resolves({ Users: [] });
    cognito.on(ListUsersCommand).resolves({ Users: [] });
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'cn-north-1');
    vi.stubEnv('USER_POOL_ID', 'pool-1');
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('CURSOR_SECRET', 'unit-test-cursor-secret-0123456789');
    vi.stubEnv('FROM_ADDRESS', 'eia@example.cn');
  });
  afterEach(() => vi.unstubAllEnvs());

  const load = async () => {
    const { handler } = await import('../../../../../functions/notifier/handler.ts');
    const { logger } = await import('../../../../../shared/runtime/logger.ts');
    return {
      handler,
      errors: vi.spyOn(logger, 'error').mockImplementation(() => {}),
      warnings: vi.spyOn(logger, 'warn').mockImplementation(() => {}),
    };
  };

  it('without NOTIFY_CHANNEL mails through SES, as before, and reads no secret', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const { handler } = await load();
    expect(await handler(event, lambdaContext)).toMatchObject({ sent: 1 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('smtp: mails through the server the secret names, over TLS, and reads the secret once per container', async () => {
    vi.stubEnv('NOTIFY_CHANNEL', 'smtp');
    vi.stubEnv('NOTIFY_SECRET_ARN', ARN);
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: smtpSecret() });
    const { handler } = await load();
    expect(await handler(event, lambdaContext)).toEqual({
      sent: 1,
      unreachable: [{ kind: 'org', orgCode: '91430281MA4L000000' }],
      refused: [],
    });
    await handler(event, lambdaContext);
    expect(mails).toEqual([
      { to: ['reviewer@example.cn'], secure: true },
      { to: ['reviewer@example.cn'], secure: true },
    ]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it("sms: texts the reviewer's verified number and the applicant's contact phone on the application", async () => {
    vi.stubEnv('NOTIFY_CHANNEL', 'sms');
    vi.stubEnv('NOTIFY_SECRET_ARN', ARN);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: smsSecret() });
    const { handler } = await load();
    expect(await handler(event, lambdaContext)).toEqual({ sent: 2, unreachable: [], refused: [] });
    expect(texts.map((t) => t.PhoneNumberSet[0]).sort()).toEqual(['+8613800000002', '+8613900000003']);
    expect(texts[0]?.TemplateId).toBe('2000000');
    expect(texts[0]?.TemplateParamSet).toEqual(['7F3K2Q9M', '已受理', '2026-05-29']);
  });

  it.each([
    ['sms', undefined, undefined, /NOTIFY_SECRET_ARN is not set/],
    ['sms', ARN, 'not json', /not JSON/],
    ['sms', ARN, JSON.stringify({ smtp: {} }), /no "sms" object/],
    ['sms', ARN, smsSecret({ templates: {} }), /sms\.templates/],
    ['smtp', ARN, JSON.stringify({ smtp: { host: 'h', port: 25, user: 'u', from: 'f' } }), /smtp\.pass/],
    ['fax', ARN, smsSecret(), /NOTIFY_CHANNEL is "fax"/],
  ])(
    '%s with secret %s %s: a logged error naming the fault, nothing sent, no retry',
    async (channel, arn, secret, problem) => {
      vi.stubEnv('NOTIFY_CHANNEL', channel);
      if (arn) vi.stubEnv('NOTIFY_SECRET_ARN', arn);
      if (secret) secrets.on(GetSecretValueCommand).resolves({ SecretString: secret });
      const { handler, errors } = await load();
      expect(await handler(event, lambdaContext)).toBeUndefined();
      expect(errors).toHaveBeenCalledWith(
        expect.stringMatching(problem),
        expect.objectContaining({ applicationId: 'a-1' }),
      );
      expect(JSON.stringify(errors.mock.calls)).not.toContain('pw');
      expect(texts).toEqual([]);
      expect(mails).toEqual([]);
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
      // The inboxes are filled all the same.
      expect(ddb.commandCalls(TransactWriteCommand).length).toBeGreaterThan(0);
    },
  );

  it('sms without a template for the action (and no default): a logged error, nothing sent', async () => {
    vi.stubEnv('NOTIFY_CHANNEL', 'sms');
    vi.stubEnv('NOTIFY_SECRET_ARN', ARN);
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: smsSecret({ templates: { approve: '2000009' } }) });
    const { handler, errors } = await load();
    expect(await handler(event, lambdaContext)).toBeUndefined();
    expect(errors).toHaveBeenCalledWith(
      expect.stringMatching(/no SMS template for "accept"/),
      expect.anything(),
    );
    expect(texts).toEqual([]);
  });

  it('a secret that cannot be read throws: Lambda retries the notification', async () => {
    vi.stubEnv('NOTIFY_CHANNEL', 'smtp');
    vi.stubEnv('NOTIFY_SECRET_ARN', ARN);
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { handler } = await load();
    await expect(handler(event, lambdaContext)).rejects.toThrow(/not authorized/);
    expect(mails).toEqual([]);
  });
});
