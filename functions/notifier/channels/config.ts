import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import type { SmsConfig } from './sms.ts';
import type { SmtpConfig } from './smtp.ts';

/**
 * How the notifier's messages leave (docs/runtime.md#notification-channels): `NOTIFY_CHANNEL`
 * is `ses` (the default: SES from FROM_ADDRESS), `smtp` (the bureau's mail server) or `sms`
 * (Tencent Cloud SMS). The last two read their credentials at run time from the Secrets Manager
 * secret NOTIFY_SECRET_ARN names (a JSON object; nothing secret is in the environment), cached
 * for CHANNEL_SECRET_MAX_AGE_MS so that a changed secret is taken up within minutes.
 */
export const channels = ['ses', 'smtp', 'sms'] as const;
export type Channel = (typeof channels)[number];

/**
 * The channel's configuration is missing or invalid: logged as an error, naming what to fix, and
 * nothing is sent (as with no sender at all); the bus archive keeps the event for a replay.
 */
export class ChannelConfigError extends Error {
  override readonly name = 'ChannelConfigError';
}

export function channelOf(value: string | undefined): Channel {
  const channel = value === undefined || value === '' ? 'ses' : value;
  if ((channels as readonly string[]).includes(channel)) return channel as Channel;
  throw new ChannelConfigError(`NOTIFY_CHANNEL is "${channel}": it must be one of ${channels.join(', ')}`);
}

const text = z.string().check(z.trim(), z.minLength(1, 'must not be empty'));

const SmtpSchema = z.object({
  host: text,
  port: z.number().check(z.int(), z.minimum(1), z.maximum(65535)),
  user: text,
  pass: text,
  from: text,
  secure: z.optional(z.boolean()),
  ca: z.optional(text),
});

const SmsSchema = z.object({
  secretId: text,
  secretKey: text,
  sdkAppId: z.string().check(z.regex(/^\d+$/, 'must be the SMS application id (digits)')),
  signName: text,
  templates: z
    .record(z.string(), z.string().check(z.regex(/^\d+$/, 'must be an approved template id (digits)')))
    .check(z.refine((t) => Object.keys(t).length > 0, 'must name at least one template')),
  endpoint: z.optional(z.url({ protocol: /^https?$/ })),
  region: z.optional(text),
  maxParamLength: z.optional(z.number().check(z.int(), z.minimum(6), z.maximum(100))),
});

export type ChannelConfig = { channel: 'smtp'; smtp: SmtpConfig } | { channel: 'sms'; sms: SmsConfig };

/**
 * The secret's JSON for the channel: `{ smtp: {...} }` or `{ sms: {...} }`. Throws
 * ChannelConfigError naming the field that is wrong (never its value: it may be a password).
 */
export function parseChannelSecret(channel: 'smtp' | 'sms', secret: string): ChannelConfig {
  let json: unknown;
  try {
    json = JSON.parse(secret);
  } catch {
    throw new ChannelConfigError('the notification secret is not JSON');
  }
  const section = (json as Record<string, unknown> | null)?.[channel];
  if (section === undefined || section === null || typeof section !== 'object') {
    throw new ChannelConfigError(`the notification secret has no "${channel}" object`);
  }
  const parsed = channel === 'smtp' ? SmtpSchema.safeParse(section) : SmsSchema.safeParse(section);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${[channel, ...i.path].join('.')}: ${i.message}`);
    throw new ChannelConfigError(`the notification secret is invalid: ${issues.join('; ')}`);
  }
  return channel === 'smtp'
    ? { channel, smtp: parsed.data as SmtpConfig }
    : { channel, sms: parsed.data as SmsConfig };
}

/** How long a container keeps the secret it read. */
export const CHANNEL_SECRET_MAX_AGE_MS = 5 * 60 * 1000;

let client: SecretsManagerClient | undefined;
let held: { arn: string; channel: Channel; config: ChannelConfig; readAt: number } | undefined;

function secretsClient(): SecretsManagerClient {
  // As the cursor key's client (shared/runtime/secrets-manager.ts): fail fast inside the timeout.
  client ??= new SecretsManagerClient({
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500, throwOnRequestTimeout: true },
  });
  return client;
}

/**
 * The channel's configuration, read from NOTIFY_SECRET_ARN (or the one held, when fresh).
 * ChannelConfigError when the ARN is not set or the secret is not a valid configuration; a
 * failed read (Secrets Manager unreachable, access denied) is thrown as it is: Lambda retries.
 */
export async function channelConfig(
  channel: 'smtp' | 'sms',
  arn: string | undefined,
  now = Date.now(),
): Promise<ChannelConfig> {
  if (!arn) {
    throw new ChannelConfigError(
      `NOTIFY_CHANNEL is "${channel}" but NOTIFY_SECRET_ARN is not set: it must name the secret with the ${channel} configuration`,
    );
  }
  if (held && held.arn === arn && held.channel === channel && now - held.readAt < CHANNEL_SECRET_MAX_AGE_MS) {
    return held.config;
  }
  const out = await secretsClient().send(new GetSecretValueCommand({ SecretId: arn }));
  if (typeof out.SecretString !== 'string') {
    throw new ChannelConfigError('the notification secret has no string value (a JSON object is expected)');
  }
  const config = parseChannelSecret(channel, out.SecretString);
  held = { arn, channel, config, readAt: now };
  return config;
}

/** For tests: forget the secret read, as a new container would. */
export function forgetChannelConfig(): void {
  held = undefined;
  client = undefined;
}
