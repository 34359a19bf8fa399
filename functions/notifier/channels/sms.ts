import { createHash, createHmac } from 'node:crypto';

/**
 * Text messages through Tencent Cloud SMS (腾讯云短信), API 3.0, action `SendSms`, version
 * 2021-01-11 (https://cloud.tencent.com/document/api/382/55981), signed with TC3-HMAC-SHA256
 * (https://cloud.tencent.com/document/api/382/52072). A mainland text carries the bureau's
 * registered signature (签名) and one of its approved templates (正文模板) with its parameters:
 * never free text. Which template a notification uses is configuration (the `templates` map of
 * the channel's secret, docs/runtime.md#notification-channels); the parameters are built in
 * ./sms-delivery.ts.
 */
export interface SmsConfig {
  /** The API key pair (访问密钥) of a CAM sub-user allowed `sms:SendSms` only. */
  readonly secretId: string;
  readonly secretKey: string;
  /** The SMS application's SdkAppId (短信应用 ID), e.g. `1400006666`. */
  readonly sdkAppId: string;
  /** The approved signature's text, without 【】. */
  readonly signName: string;
  /** Template id per notification action (and `default` for the rest). */
  readonly templates: Readonly<Record<string, string>>;
  /** Default `https://sms.tencentcloudapi.com`; the tests point it at a local fake. */
  readonly endpoint?: string | undefined;
  /** Default `ap-guangzhou` (the SMS API's regions: ap-beijing, ap-guangzhou, ap-nanjing). */
  readonly region?: string | undefined;
  /** The longest parameter value the account's templates take, in characters (default 12). */
  readonly maxParamLength?: number | undefined;
}

export interface TextMessage {
  /** E.164, e.g. `+8613800000000` (./phone.ts mobileNumber). */
  readonly to: string;
  readonly templateId: string;
  readonly params: readonly string[];
}

export interface SmsSender {
  send(message: TextMessage): Promise<void>;
}

export const SMS_ENDPOINT = 'https://sms.tencentcloudapi.com';
export const SMS_REGION = 'ap-guangzhou';
const SERVICE = 'sms';
const VERSION = '2021-01-11';
const ACTION = 'SendSms';
const CONTENT_TYPE = 'application/json; charset=utf-8';
const SIGNED_HEADERS = 'content-type;host;x-tc-action';
/** Well inside the notifier's timeout, so that Lambda's retry can follow. */
const TIMEOUT_MS = 5_000;

/**
 * Answers about one number that no retry changes (a bad or unsubscribed number, its daily
 * limit, words or a link the carriers block): that number is skipped, the others are texted.
 * https://cloud.tencent.com/document/api/382/59177
 */
const REFUSALS = new Set([
  'InvalidParameterValue.IncorrectPhoneNumber',
  'FailedOperation.PhoneNumberInBlacklist',
  'FailedOperation.PhoneNumberParseFail',
  'FailedOperation.ContainSensitiveWord',
  'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter',
  'LimitExceeded.PhoneNumberDailyLimit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit',
  'UnsupportedOperation.UnsupportedRegion',
]);

/** The provider refused the message for this number for good: skipped, reported by code. */
export class SmsRefusedError extends Error {
  override readonly name = 'SmsRefused';
  readonly permanent = true;
  constructor(readonly code: string) {
    super(`the SMS provider refused the number for good (${code})`);
  }
}

/**
 * Anything else: a 5xx, throttling (RequestLimitExceeded, LimitExceeded.*), a timeout, or a
 * configuration the provider rejects (AuthFailure.*, an unapproved signature or template, an empty
 * balance). Thrown: Lambda retries the notification, then parks it with this error for an alarm.
 */
export class SmsProviderError extends Error {
  override readonly name = 'SmsProviderError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`the SMS provider did not send the message: ${code}: ${message}`);
  }
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The UTC date (YYYY-MM-DD) of a Unix time in seconds: the credential scope's day. */
function utcDay(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * The TC3-HMAC-SHA256 Authorization header of a POST to `/` with this JSON payload: canonical
 * request → string to sign → a key derived from the secret, the day and the service → signature.
 */
export function tc3Authorization(input: {
  secretId: string;
  secretKey: string;
  host: string;
  action: string;
  timestamp: number;
  payload: string;
}): string {
  const canonicalHeaders = `content-type:${CONTENT_TYPE}\nhost:${input.host}\nx-tc-action:${input.action.toLowerCase()}\n`;
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, SIGNED_HEADERS, sha256(input.payload)].join(
    '\n',
  );
  const day = utcDay(input.timestamp);
  const scope = `${day}/${SERVICE}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, day), SERVICE), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
}

interface SendSmsAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: { Code?: string; Message?: string }[];
    RequestId?: string;
  };
}

/** Tencent Cloud SMS as the sender: one number per request, so that each answer is that number's. */
export function smsSender(config: SmsConfig, clock: () => Date = () => new Date()): SmsSender {
  const endpoint = new URL(config.endpoint ?? SMS_ENDPOINT);
  return {
    async send(message: TextMessage): Promise<void> {
      const payload = JSON.stringify({
        PhoneNumberSet: [message.to],
        SmsSdkAppId: config.sdkAppId,
        SignName: config.signName,
        TemplateId: message.templateId,
        TemplateParamSet: message.params,
      });
      const timestamp = Math.floor(clock().getTime() / 1000);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': CONTENT_TYPE,
            'X-TC-Action': ACTION,
            'X-TC-Version': VERSION,
            'X-TC-Region': config.region ?? SMS_REGION,
            'X-TC-Timestamp': String(timestamp),
            Authorization: tc3Authorization({
              secretId: config.secretId,
              secretKey: config.secretKey,
              host: endpoint.host,
              action: ACTION,
              timestamp,
              payload,
            }),
          },
          body: payload,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        throw new SmsProviderError('NetworkError', (error as Error).message);
      }
      if (!response.ok) {
        throw new SmsProviderError(`HTTP ${response.status}`, 'the API answered with an error status');
      }
      let answer: SendSmsAnswer;
      try {
        answer = (await response.json()) as SendSmsAnswer;
      } catch {
        throw new SmsProviderError('InvalidResponse', 'the answer is not JSON');
      }
      const error = answer.Response?.Error;
      if (error) throw new SmsProviderError(error.Code ?? 'Unknown', error.Message ?? '');
      const status = answer.Response?.SendStatusSet?.[0];
      if (!status) throw new SmsProviderError('InvalidResponse', 'the answer has no SendStatusSet');
      if (status.Code === 'Ok') return;
      const code = status.Code ?? 'Unknown';
      if (REFUSALS.has(code)) throw new SmsRefusedError(code);
      throw new SmsProviderError(code, status.Message ?? '');
    },
  };
}
