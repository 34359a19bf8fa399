// @ts-nocheck
import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Recipient } from '../../shared/domain/notifications.ts';
import type { Directory, Mailer, Message } from './notify.ts';

/** A user's e-mail, if it is verified and the account enabled: we never mail an unverified address. */
function verifiedEmail(user: UserType): string | undefined {
  if (user.Enabled === false) return undefined;
  const attr = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return attr('email_verified') === 'true' ? attr('email') : undefined;
}

/** The Cognito user pool as the directory: a user by `sub`, a role by its group. */
export function cognitoDirectory(client: CognitoIdentityProviderClient, userPoolId: string): Directory {
  return {
    async addressesOf(recipient: Recipient): Promise<string[]> {
      if (recipient.kind === 'user') {
        // `sub` is not the username (sign-in is by e-mail), so it is a filtered ListUsers.
        if (!/^[\w-]{1,128}$/.test(recipient.id)) return [];
        const res = await client.send(
          new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${recipient.id}"`, Limit: 1 }),
        );
        return (res.Users ?? []).flatMap((u) => verifiedEmail(u) ?? []);
      }
      const emails: string[] = [];
      let NextToken: string | undefined;
      do {
        const res = await client.send(
          new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: recipient.role, NextToken }),
        );
        for (const u of res.Users ?? []) {
          const email = verifiedEmail(u);
          if (email) emails.push(email);
        }
        NextToken = res.NextToken;
      } while (NextToken);
      return emails;
    },
  };
}

/** SES (v2) as the mailer: plain text, UTF-8, from the bureau's verified address. */
export function sesMailer(client: SESv2Client, from: string, configurationSet?: string): Mailer {
  return {
    async send(message: Message): Promise<void> {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [message.to] },
          ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
    },
  };
}
