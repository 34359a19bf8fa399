import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Notification } from '../../shared/domain/notifications.ts';
import { getInboxStore, getStore } from '../../shared/runtime/clients.ts';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { cognitoDirectory, cognitoMembers, sesMailer } from './aws.ts';
import { deliverToInbox, type Members } from './inbox.ts';
import {
  type DeliveryReport,
  type Directory,
  deliver,
  type Mailer,
  withHearingRequesters,
} from './notify.ts';

/**
 * The notifier: a rule on the service's bus sends it every `eia.notification.*` event; it mails
 * each recipient through SES, Chinese and English in one message. An error fails the invocation;
 * Lambda retries it (asynchronous invocation) and then sends it, with the error, to the
 * notify-failures queue, which raises an alarm: no notification is dropped silently.
 */
let ports: { directory: Directory; members: Members; mailer: Mailer | undefined } | undefined;

/** Clients are made once per execution environment, at the first event (nothing at import). */
function getPorts() {
  if (!ports) {
    const userPoolId = process.env.USER_POOL_ID;
    if (!userPoolId) throw new Error('Missing or invalid environment: USER_POOL_ID');
    // The bureau's verified SES sender (`-c notifyFrom=...`); a stage without one sends nothing.
    const from = process.env.FROM_ADDRESS;
    const cognito = new CognitoIdentityProviderClient({});
    ports = {
      // Interested parties who asked for a hearing: their e-mail contacts, read from the table.
      directory: withHearingRequesters(
        cognitoDirectory(cognito, userPoolId),
        // The table only when a notification names them (its environment is checked then).
        { hearingRequests: (id, limit, startKey) => getStore().hearingRequests(id, limit, startKey) },
      ),
      // The signed-in users it names: their inboxes (functions/notifier/inbox.ts).
      members: cognitoMembers(cognito, userPoolId),
      mailer: from ? sesMailer(new SESv2Client({}), from) : undefined,
    };
  }
  return ports;
}

async function notify(event: EventBridgeEvent<string, Notification>): Promise<DeliveryReport | undefined> {
  const n = event.detail;
  const { directory, members, mailer } = getPorts();
  // The inboxes first, whether or not a sender is set: a retry (after a failed send) adds nothing.
  const inbox = await deliverToInbox(n, members, getInboxStore(), new Date());
  logger.info('inboxes', { applicationId: n.applicationId, seq: n.seq, action: n.action, ...inbox });
  if (!mailer) {
    // Not an error to retry: the bus archive keeps the event for a replay once a sender is set.
    logger.warn('no sender configured (-c notifyFrom=...): notification not sent', {
      applicationId: n.applicationId,
      seq: n.seq,
      action: n.action,
    });
    return undefined;
  }
  const report = await deliver(n, directory, mailer);
  // Ids and counts only: addresses are personal data and stay out of the logs.
  logger.info('notified', {
    applicationId: n.applicationId,
    seq: n.seq,
    action: n.action,
    sent: report.sent,
    unreachable: report.unreachable.length,
    refused: report.refused,
  });
  if (report.unreachable.length > 0) {
    logger.warn('recipients without a verified address', { unreachable: report.unreachable });
  }
  return report;
}

export const handler = middy(notify).use(logContext());
