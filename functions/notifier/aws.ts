import {
  type CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Recipient } from '../../shared/domain/notifications.ts';
import { userBySub } from '../../shared/runtime/cognito-directory.ts';
import type { Members } from './inbox.ts';
import type { Directory, Mailer, Message } from './notify.ts';

/** A user's e-mail, if it is verified and the account enabled: we never mail an unverified address. */
function verifiedEmail(user: UserType): string | undefined {
  if (user.Enabled === false) return undefined;
  const attr = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return attr('email_verified') === 'true' ? attr('email') : undefined;
}

/** A user's mobile number, if it is verified and the account enabled (the SMS channel). */
function verifiedPhone(user: UserType): string | undefined {
  if (user.Enabled === false) return undefined;
  const attr = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return attr('phone_number_verified') === 'true' ? attr('phone_number') : undefined;
}

/** The verified addresses (or, with `pick`, numbers) of a group's members that `keep` accepts, across pages. */
async function groupAddresses(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  group: string,
  keep: (user: UserType) => boolean = () => true,
  pick: (user: UserType) => string | undefined = verifiedEmail,
): Promise<string[]> {
  const emails: string[] = [];
  let NextToken: string | undefined;
  do {
    const res = await client.send(
      new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, NextToken }),
    );
    for (const u of (res.Users ?? []).filter(keep)) {
      const email = pick(u);
      if (email) emails.push(email);
    }
    NextToken = res.NextToken;
  } while (NextToken);
  return emails;
}

/**
 * The Cognito user pool as the directory: a user by `sub`, a role by its group, an organisation as
 * the applicants whose `custom:orgCode` is its code.
 */
export function cognitoDirectory(client: CognitoIdentityProviderClient, userPoolId: string): Directory {
  const contactsOf = async (
    recipient: Recipient,
    pick: (user: UserType) => string | undefined,
  ): Promise<string[]> => {
    switch (recipient.kind) {
      case 'user': {
        const command = userBySub(userPoolId, recipient.id);
        const users = command ? ((await client.send(command)).Users ?? []) : [];
        return users.flatMap((u) => pick(u) ?? []);
      }
      case 'role':
        return groupAddresses(client, userPoolId, recipient.role, undefined, pick);
      case 'org': {
        // ListUsers cannot filter on a custom attribute, so the applicants' group is read and
        // filtered here; only applicants, so an official's account never counts as the organisation.
        const ofOrg = (u: UserType) =>
          u.Attributes?.find((a) => a.Name === 'custom:orgCode')?.Value === recipient.orgCode;
        return groupAddresses(client, userPoolId, 'applicant', ofOrg, pick);
      }
      case 'hearingRequesters':
        // Not users of the pool: their addresses are on their hearing requests (notify.ts).
        return [];
    }
  };
  return {
    addressesOf: (recipient: Recipient) => contactsOf(recipient, verifiedEmail),
    phonesOf: (recipient: Recipient) => contactsOf(recipient, verifiedPhone),
  };
}

/** The `sub` of each enabled member of a group that `keep` accepts, across pages. */
async function groupMembers(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  group: string,
  keep: (user: UserType) => boolean = () => true,
): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const res = await client.send(
      new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, NextToken }),
    );
    for (const u of (res.Users ?? []).filter(keep)) {
      const sub = u.Attributes?.find((a) => a.Name === 'sub')?.Value;
      if (u.Enabled !== false && sub) ids.push(sub);
    }
    NextToken = res.NextToken;
  } while (NextToken);
  return ids;
}

/**
 * The user pool as the inbox's members (functions/notifier/inbox.ts): a user is their `sub`, a
 * role its group's enabled members, an organisation its applicants (those whose `custom:orgCode`
 * is its code), as for the addresses.
 */
export function cognitoMembers(client: CognitoIdentityProviderClient, userPoolId: string): Members {
  return {
    async usersOf(recipient: Recipient): Promise<string[]> {
      switch (recipient.kind) {
        case 'user':
          return [recipient.id];
        case 'role':
          return groupMembers(client, userPoolId, recipient.role);
        case 'org':
          return groupMembers(
            client,
            userPoolId,
            'applicant',
            (u) => u.Attributes?.find((a) => a.Name === 'custom:orgCode')?.Value === recipient.orgCode,
          );
        case 'hearingRequesters':
          return [];
      }
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
