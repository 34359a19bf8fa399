import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { roles } from '../shared/domain/types.ts';
import type { FunctionName } from '../shared/http/routes.ts';
import type { EiaFunction } from './eia-function.ts';
import type { StageSettings } from './stage-settings.ts';

const groupDescriptions: Record<(typeof roles)[number], string> = {
  applicant: 'Construction units: register projects, submit materials, answer notices',
  clerk: 'One-stop window: preview advice, completeness check, acceptance',
  reviewer: 'Case officers: review, expert review, revisions, proposed decisions',
  approver: 'Bureau leaders: approve or reject after the public notice',
  auditor: 'Read every event and verify the audit chains',
  admin: "The bureau's system administrators: calendar, configuration and staff",
};

/**
 * Who may call the API: a Cognito user pool with one group per role (the `cognito:groups` claim),
 * the organisation code of applicants (`custom:orgCode`), and the console's app client.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  /** The hosted UI, when the console is deployed: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly hostedUiUrl?: string;

  constructor(scope: Construct, id: string, props: { settings: StageSettings; consoleOrigin?: string }) {
    super(scope, id);
    const { settings } = props;
    // Plus (the default): Cognito's threat protection blocks sign-ins with passwords known to have
    // leaked and challenges risky ones. Essentials (`-c userPoolTier=essentials`) has no threat
    // protection at all, so none is asked for; MFA and the password rules stay.
    const plus = (settings.userPoolTier ?? 'plus') === 'plus';
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `eia-${settings.stage}`,
      // Accounts are opened by the bureau, which also puts them in their group and sets orgCode.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { fullname: { required: false, mutable: true } },
      customAttributes: {
        orgCode: new StringAttribute({ minLen: 18, maxLen: 18, mutable: true }),
        // The admin whose invitation opened the account, set once: a retried invitation completes
        // only such an account (functions/admin-invite-user).
        invitedBy: new StringAttribute({ minLen: 1, maxLen: 128, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Cognito cannot demand MFA of some groups only; officials sign decisions, so everyone has it.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      ...(plus
        ? {
            featurePlan: FeaturePlan.PLUS,
            standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
          }
        : { featurePlan: FeaturePlan.ESSENTIALS }),
      deletionProtection: settings.production,
      removalPolicy: settings.removalPolicy,
    });
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'The stage chose -c userPoolTier=essentials: no threat protection (leaked-password and risky sign-in checks). Accounts are still opened by the bureau only, with 12-character passwords of four kinds and TOTP MFA for everyone (a stolen password alone does not sign in), and Cognito still locks an account for a while after repeated wrong passwords.',
      });
    }
    for (const role of roles) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: groupDescriptions[role],
      });
    }
    this.client = this.userPool.addClient('Console', {
      userPoolClientName: `eia-${settings.stage}-console`,
      generateSecret: false,
      authFlows: { userSrp: true },
      // The web console signs in through the hosted UI: authorization code with PKCE (a public
      // client, no secret), back to the console's own origin only.
      ...(props.consoleOrigin
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
              callbackUrls: [`${props.consoleOrigin}/`],
              logoutUrls: [`${props.consoleOrigin}/`],
            },
            supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
          }
        : { disableOAuth: true }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // Name and orgCode are claims the API trusts: only the bureau (admin API) may change them.
      writeAttributes: new ClientAttributes().withStandardAttributes({ phoneNumber: true }),
    });
    if (props.consoleOrigin) {
      const prefix =
        (this.node.tryGetContext('cognitoDomainPrefix') as string | undefined) ??
        `liling-eia-${settings.stage}`;
      const domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: prefix } });
      this.hostedUiUrl = domain.baseUrl();
    }
  }

  /** A staff route's function: exactly the admin actions it calls, on this user pool only. */
  grantStaffAdministration(fn: EiaFunction, actions: readonly string[]): void {
    fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: actions.map((action) => `cognito-idp:${action}`),
        resources: [this.userPool.userPoolArn],
      }),
    );
  }
}

/**
 * The staff routes' Cognito actions, read off shared/runtime/cognito-directory.ts: a user by id is
 * a filtered ListUsers; ListUsersInGroup counts the active admins (the last-admin rule);
 * AdminUserGlobalSignOut ends the sessions of an account disabled or losing a group.
 */
export const staffFunctions = {
  'admin-users': ['AdminListGroupsForUser', 'ListUsers'],
  // Both changing functions look their caller up (ListUsers, AdminListGroupsForUser) first.
  'admin-invite-user': ['AdminAddUserToGroup', 'AdminCreateUser', 'AdminListGroupsForUser', 'ListUsers'],
  // AdminUpdateUserAttributes / AdminDeleteUserAttributes: the account's phone_number (SMS notices).
  'admin-update-user': [
    'AdminAddUserToGroup',
    'AdminDeleteUserAttributes',
    'AdminDisableUser',
    'AdminEnableUser',
    'AdminListGroupsForUser',
    'AdminRemoveUserFromGroup',
    'AdminUpdateUserAttributes',
    'AdminUserGlobalSignOut',
    'ListUsers',
    'ListUsersInGroup',
  ],
} as const satisfies Partial<Record<FunctionName, readonly string[]>>;
