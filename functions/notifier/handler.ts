import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Notification } from '../../shared/domain/notifications.ts';
import { getInboxStore, getStore } from '../../shared/runtime/clients.ts';
import { getUserDirectory } from '../../shared/runtime/cognito-directory.ts';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { cognitoDirectory, cognitoMembers, sesMailer } from './aws.ts';
import {
  type Channel,
  type ChannelConfig,
  ChannelConfigError,
  channelConfig,
  channelOf,
} from './channels/config.ts';
import { type SmsConfig, type SmsSender, smsSender } from './channels/sms.ts';
import { deliverBySms } from './channels/sms-delivery.ts';
import { smtpMailer } from './channels/smtp.ts';
import { userDirectoryContacts } from './directory.ts';
import { deliverToInbox, directoryMembers, type Members } from './inbox.ts';
import {
  type DeliveryReport,
  type Directory,
  deliver,
  type Mailer,
  withHearingRequesters,
} from './notify.ts';

/**
 * The notifier: a rule on the service's bus sends it every `eia.notification.*` event; it puts
 * it in the inboxes of the users it names, then sends it on the channel NOTIFY_CHANNEL chooses
 * (docs/runtime.md#notification-channels): SES (the default), the bureau's SMTP server, or SMS,
 * Chinese and English in one message by mail, an approved template by SMS. An error fails the
 * invocation; Lambda retries it (asynchronous invocation) and then sends it, with the error, to
 * the notify-failures queue, which raises an alarm: no notification is dropped silently.
 */
let ports: { directory: Directory; members: Members } | undefined;

/** Clients are made once per execution environment, at the first event (nothing at import). */
function getPorts() {
  if (!ports) {
    // Interested parties who asked for a hearing: their contacts, read from the table (only when
    // a notification names them; its environment is checked then).
    const requests = {
      hearingRequests: (id: string, limit: number, startKey?: Record<string, unknown>) =>
        getStore().hearingRequests(id, limit, startKey),
    };
    const userPoolId = process.env.USER_POOL_ID;
    if (userPoolId) {
      const cognito = new CognitoIdentityProviderClient({});
      ports = {
        directory: withHearingRequesters(cognitoDirectory(cognito, userPoolId), requests),
        // The signed-in users it names: their inboxes (functions/notifier/inbox.ts).
        members: cognitoMembers(cognito, userPoolId),
      };
    } else {
      // No user pool (a deployment without Cognito): the staff routes' own directory; without
      // one either, getUserDirectory throws, naming USER_POOL_ID.
      const users = getUserDirectory();
      ports = {
        directory: withHearingRequesters(userDirectoryContacts(users), requests),
        members: directoryMembers(users),
      };
    }
  }
  return ports;
}

/** How the message leaves: by mail, by SMS, or not at all (and why). */
type Outbound =
  | { kind: 'mail'; channel: Channel; mailer: Mailer }
  | { kind: 'sms'; channel: 'sms'; sender: SmsSender; config: SmsConfig }
  | { kind: 'none'; channel?: Channel; level: 'warn' | 'error'; message: string };

let ses: { from: string; mailer: Mailer } | undefined;
/** The sender made from the configuration last read: a secret read again makes a new one. */
let made: { config: ChannelConfig; outbound: Outbound } | undefined;

async function outbound(): Promise<Outbound> {
  let channel: Channel;
  try {
    channel = channelOf(process.env.NOTIFY_CHANNEL);
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    return { kind: 'none', level: 'error', message: error.message };
  }
  if (channel === 'ses') {
    // The bureau's verified SES sender (`-c notifyFrom=...`); a stage without one sends nothing.
    const from = process.env.FROM_ADDRESS;
    if (!from)
      return { kind: 'none', channel, level: 'warn', message: 'no sender configured (-c notifyFrom=...)' };
    if (ses?.from !== from) ses = { from, mailer: sesMailer(new SESv2Client({}), from) };
    return { kind: 'mail', channel, mailer: ses.mailer };
  }
  let config: ChannelConfig;
  try {
    // A failed read (Secrets Manager unreachable, access denied) throws: Lambda retries.
    config = await channelConfig(channel, process.env.NOTIFY_SECRET_ARN);
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    return { kind: 'none', channel, level: 'error', message: error.message };
  }
  if (made?.config !== config) {
    made = {
      config,
      outbound:
        config.channel === 'smtp'
          ? { kind: 'mail', channel, mailer: smtpMailer(config.smtp) }
          : { kind: 'sms', channel: 'sms', sender: smsSender(config.sms), config: config.sms },
    };
  }
  return made.outbound;
}

async function notify(event: EventBridgeEvent<string, Notification>): Promise<DeliveryReport | undefined> {
  const n = event.detail;
  const ids = { applicationId: n.applicationId, seq: n.seq, action: n.action };
  const { directory, members } = getPorts();
  // The inboxes first, whether or not a sender is set: a retry (after a failed send) adds nothing.
  const inbox = await deliverToInbox(n, members, getInboxStore(), new Date());
  logger.info('inboxes', { ...ids, ...inbox });
  const out = await outbound();
  if (out.kind === 'none') {
    // Not an error to retry: the bus archive keeps the event for a replay once the channel is set.
    logger[out.level](`${out.message}: notification not sent`, { ...ids, channel: out.channel });
    return undefined;
  }
  let report: DeliveryReport;
  try {
    if (out.kind === 'mail') {
      report = await deliver(n, directory, out.mailer);
    } else {
      // The application: its case number and the applicant's contact phone (none for the
      // calendar reminder, which is about no application).
      const app = n.action === 'calendar_reminder' ? undefined : (await getStore().get(n.applicationId))?.app;
      report = await deliverBySms(n, directory, out.sender, out.config, app);
    }
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    logger.error(`${error.message}: notification not sent`, { ...ids, channel: out.channel });
    return undefined;
  }
  // Ids and counts only: addresses and numbers are personal data and stay out of the logs.
  logger.info('notified', {
    ...ids,
    channel: out.channel,
    sent: report.sent,
    unreachable: report.unreachable.length,
    refused: report.refused,
  });
  if (report.unreachable.length > 0) {
    logger.warn(
      out.kind === 'sms' ? 'recipients without a mobile number' : 'recipients without a verified address',
      { unreachable: report.unreachable },
    );
  }
  return report;
}

export const handler = middy(notify).use(logContext());
