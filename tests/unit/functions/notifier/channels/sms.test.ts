/**
 * The SMS channel against a local fake of Tencent Cloud's SendSms API this test starts: the fake
 * recomputes the TC3-HMAC-SHA256 signature itself (not with the code under test) and answers as
 * the provider does.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelConfigError } from '../../../../../functions/notifier/channels/config.ts';
import { mobileNumber } from '../../../../../functions/notifier/channels/phone.ts';
import {
  type SmsConfig,
  SmsProviderError,
  SmsRefusedError,
  smsSender,
} from '../../../../../functions/notifier/channels/sms.ts';
import { deliverBySms, smsTemplate } from '../../../../../functions/notifier/channels/sms-delivery.ts';
import { type Directory, withHearingRequesters } from '../../../../../functions/notifier/notify.ts';
import type { HearingRequest } from '../../../../../shared/domain/hearings.ts';
import { type Notification, recipientKey } from '../../../../../shared/domain/notifications.ts';
import type { Application } from '../../../../../shared/domain/types.ts';

const SECRET_ID = 'AKIDtestid0000000000000000000000';
const SECRET_KEY = 'test-secret-key-0123456789abcdef';

interface Call {
  headers: IncomingMessage['headers'];
  body: {
    PhoneNumberSet: string[];
    SmsSdkAppId: string;
    SignName: string;
    TemplateId: string;
    TemplateParamSet: string[];
  };
  signatureValid: boolean;
}

const calls: Call[] = [];
let server: Server;
let endpoint: string;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();

/** The signature as Tencent Cloud's API 3.0 documents it (cloud.tencent.com/document/api/382/52072). */
function expectedSignature(req: IncomingMessage, payload: string): boolean {
  const auth = req.headers.authorization ?? '';
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return false;
  const [, id, day, signedHeaders = '', signature] = m;
  const timestamp = Number(req.headers['x-tc-timestamp']);
  if (id !== SECRET_ID || new Date(timestamp * 1000).toISOString().slice(0, 10) !== day) return false;
  const names = signedHeaders.split(';');
  if (!names.includes('content-type') || !names.includes('host')) return false;
  const canonicalHeaders = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .toLowerCase()}\n`,
    )
    .join('');
  const canonical = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256(payload)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', String(timestamp), `${day}/sms/tc3_request`, sha256(canonical)].join(
    '\n',
  );
  const key = hmac(hmac(hmac(`TC3${SECRET_KEY}`, day ?? ''), 'sms'), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(payload) as Call['body'];
      const signatureValid = expectedSignature(req, payload);
      calls.push({ headers: req.headers, body, signatureValid });
      const answer = (response: object, status = 200) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Response: { ...response, RequestId: 'r-1' } }));
      };
      const number = body.PhoneNumberSet[0] ?? '';
      if (!signatureValid)
        return answer({ Error: { Code: 'AuthFailure.SignatureFailure', Message: 'signature mismatch' } });
      if (number.endsWith('0502')) return answer({}, 502);
      if (number.endsWith('0429'))
        return answer({ Error: { Code: 'RequestLimitExceeded', Message: 'too many requests' } });
      const code = number.endsWith('0001') ? 'InvalidParameterValue.IncorrectPhoneNumber' : 'Ok';
      return answer({ SendStatusSet: [{ SerialNo: 's-1', PhoneNumber: number, Code: code, Message: code }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  calls.length = 0;
});

const config = (extra: Partial<SmsConfig> = {}): SmsConfig => ({
  secretId: SECRET_ID,
  secretKey: SECRET_KEY,
  sdkAppId: '1400006666',
  signName: '醴陵市生态环境局',
  templates: { accept: '2000001', default: '2000000' },
  endpoint,
  ...extra,
});

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

const app = {
  id: 'a-1',
  caseNumber: 'LLHS-2026-7F3K2Q9M',
  project: { name: '醴陵市某某陶瓷有限公司日用陶瓷生产线技术改造项目' },
  applicant: {
    orgName: '醴陵某某陶瓷有限公司',
    orgCode: '91430281MA4L000000',
    contactName: '李四',
    contactPhone: '138 0000 0002',
  },
  ownerId: 'owner-1',
} as unknown as Application;

function phoneBook(book: Record<string, string[]>): Directory {
  return { addressesOf: async () => [], phonesOf: async (r) => book[recipientKey(r)] ?? [] };
}

describe('smsSender (Tencent Cloud SendSms 2021-01-11)', () => {
  it('sends the template and its parameters, signed with TC3-HMAC-SHA256, to one E.164 number', async () => {
    await smsSender(config()).send({ to: '+8613800000002', templateId: '2000001', params: ['A', 'B', 'C'] });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.signatureValid).toBe(true);
    expect(call?.headers['x-tc-action']).toBe('SendSms');
    expect(call?.headers['x-tc-version']).toBe('2021-01-11');
    expect(call?.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(call?.body).toEqual({
      PhoneNumberSet: ['+8613800000002'],
      SmsSdkAppId: '1400006666',
      SignName: '醴陵市生态环境局',
      TemplateId: '2000001',
      TemplateParamSet: ['A', 'B', 'C'],
    });
  });

  it("a wrong key fails the fake's signature check: an error to retry, not a refusal", async () => {
    const error = await smsSender(config({ secretKey: 'another-key' }))
      .send({ to: '+8613800000002', templateId: '2000001', params: [] })
      .catch((e: unknown) => e);
    expect(calls[0]?.signatureValid).toBe(false);
    expect(error).toBeInstanceOf(SmsProviderError);
    expect((error as SmsProviderError).code).toBe('AuthFailure.SignatureFailure');
  });

  it('a bad number is refused for good; a 5xx and throttling throw', async () => {
    const sender = smsSender(config());
    const send = (to: string) => sender.send({ to, templateId: '2000001', params: [] });
    await expect(send('+8613800000001')).rejects.toBeInstanceOf(SmsRefusedError);
    await expect(send('+8613800000502')).rejects.toThrow(/HTTP 502/);
    await expect(send('+8613800000429')).rejects.toThrow(/RequestLimitExceeded/);
    const throttled = await send('+8613800000429').catch((e: unknown) => e);
    expect((throttled as { permanent?: boolean }).permanent).toBeUndefined();
  });
});

describe('deliverBySms', () => {
  it('texts the applicant (the contact phone on the application) and the reviewers, each once', async () => {
    const directory = phoneBook({
      [recipientKey({ kind: 'role', role: 'reviewer' })]: ['+8613900000003', '13800000002'],
    });
    const report = await deliverBySms(notification, directory, smsSender(config()), config(), app);
    expect(report).toEqual({ sent: 2, unreachable: [], refused: [] });
    expect(calls.every((c) => c.signatureValid)).toBe(true);
    expect(calls.map((c) => c.body.PhoneNumberSet[0])).toEqual(['+8613800000002', '+8613900000003']);
    // The accept template, with the case number's own code (the whole is over 12), what happened, the deadline.
    expect(calls[0]?.body.TemplateId).toBe('2000001');
    expect(calls[0]?.body.TemplateParamSet).toEqual(['7F3K2Q9M', '已受理', '2026-05-29']);
  });

  it('skips a refused number (reported by code, never the number), texts the others', async () => {
    const directory = phoneBook({ [recipientKey({ kind: 'role', role: 'reviewer' })]: ['+8613800000001'] });
    const report = await deliverBySms(notification, directory, smsSender(config()), config(), app);
    expect(report).toEqual({
      sent: 1,
      unreachable: [],
      refused: ['InvalidParameterValue.IncorrectPhoneNumber'],
    });
    expect(JSON.stringify(report)).not.toContain('13800000001');
  });

  it('throws on a 5xx, so that Lambda retries the notification', async () => {
    const directory = phoneBook({ [recipientKey({ kind: 'role', role: 'reviewer' })]: ['+8613800000502'] });
    await expect(deliverBySms(notification, directory, smsSender(config()), config(), app)).rejects.toThrow(
      SmsProviderError,
    );
  });

  it('a recipient without a mobile number is unreachable; a landline is none', async () => {
    const directory = phoneBook({ [recipientKey({ kind: 'role', role: 'reviewer' })]: ['0731-23456789'] });
    const report = await deliverBySms(notification, directory, smsSender(config()), config(), undefined);
    expect(report).toEqual({ sent: 0, unreachable: notification.recipients, refused: [] });
    expect(calls).toEqual([]);
  });

  it('texts hearing requesters who left a mobile number (not those who left an e-mail address)', async () => {
    const requests = [
      { hearingRequestId: 'h-1', contact: '+86 139-0000-0004', receivedAt: '2026-03-01T00:00:00Z' },
      { hearingRequestId: 'h-2', contact: 'x@example.cn', receivedAt: '2026-03-01T00:00:00Z' },
    ] as HearingRequest[];
    const directory = withHearingRequesters(phoneBook({}), {
      hearingRequests: async () => ({ items: requests }),
    });
    const n: Notification = {
      ...notification,
      action: 'schedule_hearing',
      recipients: [{ kind: 'hearingRequesters', applicationId: 'a-1' }],
    };
    expect(await deliverBySms(n, directory, smsSender(config()), config(), app)).toEqual({
      sent: 1,
      unreachable: [],
      refused: [],
    });
    expect(calls.map((c) => [c.body.PhoneNumberSet[0], c.body.TemplateId])).toEqual([
      ['+8613900000004', '2000000'],
    ]);
    expect(await directory.addressesOf({ kind: 'hearingRequesters', applicationId: 'a-1' })).toEqual([
      'x@example.cn',
    ]);
  });
});

describe('smsTemplate', () => {
  it("takes the action's template, else `default`; none at all is a configuration error", () => {
    expect(smsTemplate(notification, app, { templates: { accept: '1' } }).templateId).toBe('1');
    expect(
      smsTemplate({ ...notification, action: 'approve' }, app, { templates: { default: '9' } }).templateId,
    ).toBe('9');
    expect(() =>
      smsTemplate({ ...notification, action: 'approve' }, app, { templates: { accept: '1' } }),
    ).toThrow(ChannelConfigError);
  });

  it('keeps every parameter within the configured length', () => {
    const noCase = { ...app, caseNumber: undefined } as unknown as Application;
    const { deadline: _, ...undated } = notification;
    const { params } = smsTemplate(undated, noCase, {
      templates: { default: '1' },
      maxParamLength: 8,
    });
    // The project's name cut to fit, the step's day (Beijing) in the short form.
    expect(params).toEqual(['醴陵市某某陶瓷…', '已受理', '3月2日']);
    for (const p of params) expect([...p].length).toBeLessThanOrEqual(8);
    const reminder = {
      ...notification,
      applicationId: 'calendar-2027',
      action: 'calendar_reminder' as const,
    };
    expect(smsTemplate(reminder, undefined, { templates: { default: '1' } }).params).toEqual([
      '2027',
      '节假日未录入',
      '2026-05-29',
    ]);
    const wide = smsTemplate(notification, app, { templates: { default: '1' }, maxParamLength: 20 }).params;
    expect(wide).toEqual(['LLHS-2026-7F3K2Q9M', '已受理', '2026-05-29']);
  });
});

describe('mobileNumber', () => {
  it('takes mainland mobile numbers as typed, as E.164; nothing else', () => {
    expect(mobileNumber('13800000002')).toBe('+8613800000002');
    expect(mobileNumber('+86 138-0000-0002')).toBe('+8613800000002');
    expect(mobileNumber('0086 13800000002')).toBe('+8613800000002');
    expect(mobileNumber('0731-23456789')).toBeUndefined();
    expect(mobileNumber('12800000002')).toBeUndefined();
    expect(mobileNumber('x@example.cn')).toBeUndefined();
  });
});
