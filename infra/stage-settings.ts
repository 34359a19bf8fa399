import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { RouteDef } from '../shared/http/routes.ts';

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The windows AWS WAF's rate-based rules count in, in seconds. */
export const WAF_WINDOWS = [60, 120, 300, 600] as const;
/** WAF's smallest rate limit: a rule must allow at least this many requests per window. */
export const WAF_MIN_REQUESTS = 10;

/** At most `requests` requests per key in any `windowSeconds` (AWS WAF rate-based rule). */
export interface Limit {
  readonly requests: number;
  readonly windowSeconds: (typeof WAF_WINDOWS)[number];
}

/**
 * Per caller, counted by AWS WAF before API Gateway passes the request on (infra/api-firewall.ts).
 * A signed-in caller is keyed by its token (the Authorization header), anyone else by address.
 */
export interface CallerLimits {
  /** Every request that carries a token, per token. */
  readonly signedIn: Limit;
  /** Requests other than GET, HEAD and OPTIONS that carry a token, per token. */
  readonly signedInWrites: Limit;
  /**
   * Per address: every request to a public route (with or without an Authorization header: those
   * routes have no authorizer) and every other request without a token, CORS preflights aside.
   */
  readonly publicReads: Limit;
  /** POSTs to the public write routes (comments, hearing requests), per address: = publicWriteLimit. */
  readonly publicWrites: Limit;
  /**
   * Every request from one address, token or not: the backstop against made-up tokens (each would
   * be a key of its own in signedIn). High enough for a whole office behind one address.
   */
  readonly perAddress: Limit;
}

/**
 * Where the service is deployed (`-c profile=global|china`). `global`: AWS's global regions, with
 * Cognito and SES. `china`: the AWS China regions (Beijing cn-north-1, Ningxia cn-northwest-1,
 * partition aws-cn), which offer neither: sign-in is the bureau's own OpenID Connect provider,
 * verified by a Lambda authorizer (functions/authorizer), and notifications go by SMS or the
 * bureau's mail server (functions/notifier/channels). docs/deploy.md#deploying-in-the-china-regions-profile-china.
 */
export const profiles = ['global', 'china'] as const;
export type Profile = (typeof profiles)[number];

/**
 * The bureau's OpenID Connect provider (profile china): the tokens' issuer and audience, and the
 * claims that carry the roles, the organisation code and the name (shared/http/auth.ts reads them
 * as ROLES_CLAIM, ORG_CLAIM and NAME_CLAIM; a dotted name such as `realm_access.roles` reaches into
 * an object claim).
 */
export interface OidcSettings {
  /** `-c oidcIssuer=https://…`: the tokens' `iss`, exactly; its discovery document names the keys. */
  readonly issuer: string;
  /** `-c oidcAudience=…`: the `aud` the tokens must carry (the console's client id at the provider). */
  readonly audience: string;
  /** `-c oidcRolesClaim=…`, default `roles`. */
  readonly rolesClaim: string;
  /** `-c oidcOrgClaim=…`, default `org_code`. */
  readonly orgClaim: string;
  /** `-c oidcNameClaim=…`, default `name`. */
  readonly nameClaim: string;
}

/** The profile china's claim names when the context names none (as `npm start -- --profile china`). */
export const CHINA_DEFAULT_CLAIMS = { rolesClaim: 'roles', orgClaim: 'org_code', nameClaim: 'name' } as const;

/**
 * How the notifier's messages leave (functions/notifier/channels/config.ts): SES (global only),
 * the bureau's SMTP server, or SMS; the last two read their credentials from a Secrets Manager
 * secret the bureau fills (infra/notifications.ts).
 */
export const notifyChannels = ['ses', 'smtp', 'sms'] as const;
export type NotifyChannel = (typeof notifyChannels)[number];

/**
 * How the web console is served: `cloudfront` (S3 + CloudFront, as built here) or `folder` (no
 * console resources: the bureau serves the built web/dist folder from its own web server).
 */
export const consoleHostings = ['cloudfront', 'folder'] as const;
export type ConsoleHosting = (typeof consoleHostings)[number];

/**
 * Which alarms page the alarm topic (infra/operations.ts). `all`: errors, throttles and p99 duration
 * of every function, besides the service's own alarms. `essential`, for a small bureau: the
 * service's own alarms, the errors of the functions nobody waits on (sweeper, notifier, documents,
 * key rotation) and one alarm on every Lambda error or throttle in the account and Region.
 */
export const alarmLevels = ['all', 'essential'] as const;
export type AlarmLevel = (typeof alarmLevels)[number];

/**
 * The Cognito user pool's feature plan (profile global). `plus`: Cognito's threat protection in
 * full-function mode (sign-ins with leaked passwords blocked, risky sign-ins challenged), billed per
 * monthly active user from the first. `essentials`: the same pool, MFA and password rules without
 * threat protection, free up to 10,000 monthly active users.
 */
export const userPoolTiers = ['plus', 'essentials'] as const;
export type UserPoolTier = (typeof userPoolTiers)[number];

/** Days a daily backup is kept: AWS Backup's vault lock (infra/backups.ts) takes this as its minimum. */
export const BACKUP_DAILY_DAYS = { min: 7, max: 35, fallback: 35 } as const;

/** Why uploads are not scanned in the China regions (uploads there are stored with scan SKIPPED). */
export const CHINA_NO_MALWARE_SCAN =
  'GuardDuty Malware Protection for S3 is not offered in the AWS China regions';

/** What differs between deployments. Chosen by context (`-c stage=prod`), never by editing code. */
export interface StageSettings {
  readonly stage: string;
  /** `-c profile=global|china`, default global. */
  readonly profile: Profile;
  /** The bureau's OpenID Connect provider: set in profile china, and only there. */
  readonly oidc?: OidcSettings;
  /** `-c notifyChannel=ses|smtp|sms`: default ses in global, sms in china (where SES is not offered). */
  readonly notifyChannel: NotifyChannel;
  /**
   * `-c console=cloudfront|folder`: default cloudfront in global; in china cloudfront when
   * consoleOrigin and consoleCertificateId are given (CloudFront there serves only the bureau's own
   * ICP-filed domain), else folder.
   */
  readonly console: ConsoleHosting;
  /**
   * Profile china, console on CloudFront: the ID of the bureau's certificate for consoleOrigin in
   * the IAM certificate store (`-c consoleCertificateId=ASCA…`): CloudFront in the China regions
   * takes no ACM certificate.
   */
  readonly consoleCertificateId?: string;
  readonly production: boolean;
  /**
   * Steady-state requests per second and burst of each route, all callers together (API Gateway's
   * default route throttling); `routeThrottle` tightens the routes that need it.
   */
  readonly throttle: Throttle;
  /** Tighter: the public routes, which anyone can call unsigned, and the writes. See throttleFor. */
  readonly routeThrottle: { readonly public: Throttle; readonly write: Throttle };
  /**
   * Per source address: how many comments and hearing requests one address may send in a fixed
   * window, all public write routes together (shared/http/public-limit.ts: the functions count
   * them in the table, as the local server does; the firewall's callerLimits.publicWrites stops
   * the same flood before any function runs).
   */
  readonly publicWriteLimit: { readonly requests: number; readonly windowSeconds: number };
  /** Per-caller limits at the API's firewall (AWS WAF); publicWrites has publicWriteLimit's numbers. */
  readonly callerLimits: CallerLimits;
  readonly logRetention: RetentionDays;
  /** Logs, keys and the user pool: kept when a production stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * The web console's own domain (`-c consoleOrigin=https://eia.example.cn`): CloudFront serves it
   * with the ACM certificate `-c consoleCertificateArn=…` (in us-east-1), CORS and Cognito allow it.
   */
  readonly consoleOrigin?: string;
  readonly consoleCertificateArn?: string;
  /** Where alarms are mailed (`-c alarmEmail=ops@example.cn`); the SNS topic exists without it. */
  readonly alarmEmail?: string;
  readonly functionMemoryMb: number;
  readonly functionTimeout: Duration;
  /**
   * The console's CloudFront domain (`-c consoleDistributionDomain=d111111abcdef8.cloudfront.net`,
   * the host of the ConsoleUrl the first deployment prints), for a stage without consoleOrigin:
   * the documents bucket's CORS allows that origin. See documentsCorsOrigin.
   */
  readonly consoleDistributionDomain?: string;
  /**
   * Object Lock of the documents bucket: every version of every file is kept unaltered for `days`
   * (`-c documentRetentionDays=…`). COMPLIANCE in production: nobody, not even the account's root
   * user, can shorten it or delete a version, so an issued document and the files it was decided on
   * stay what the hash chain says they are. GOVERNANCE elsewhere: a principal with
   * s3:BypassGovernanceRetention can clear a test stage. `-c documentLockMode=…` overrides.
   */
  readonly documentRetention: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /**
   * GuardDuty Malware Protection for S3 on the documents bucket (`-c malwareProtection=false` for a
   * stage or a region without it): uploads then start as PENDING until the scan result arrives.
   * Off, and not allowed, in profile china (CHINA_NO_MALWARE_SCAN): uploads are stored SKIPPED.
   */
  readonly malwareProtection: boolean;
  /** Why uploads are not scanned, when malwareProtection is off: the deployment's output MalwareScanning says it. */
  readonly malwareScanSkipped?: string;
  /**
   * AWS Backup of the main table and the documents bucket into a locked vault (infra/backups.ts):
   * on in production, elsewhere only with `-c backups=true`.
   */
  readonly backups: boolean;
  /**
   * How long a daily backup is kept, in days (`-c backupDailyDays=7`, 7 to 35, default 35); the
   * monthly ones are kept a year whatever it is. Also the vault lock's minimum retention.
   */
  readonly backupDailyDays: number;
  /** `-c alarms=all|essential`, default all in every stage. See alarmLevels. */
  readonly alarms: AlarmLevel;
  /**
   * `-c userPoolTier=plus|essentials`, default plus (profile global only: the china profile has no
   * user pool). See userPoolTiers.
   */
  readonly userPoolTier?: UserPoolTier;
}

/** 30 years, as days (Object Lock counts whole days or years). */
export const DEFAULT_DOCUMENT_RETENTION_DAYS = 30 * 365;

const presets = {
  dev: {
    production: false,
    throttle: { rateLimit: 20, burstLimit: 40 },
    routeThrottle: { public: { rateLimit: 10, burstLimit: 20 }, write: { rateLimit: 5, burstLimit: 10 } },
    publicWriteLimit: { requests: 30, windowSeconds: 600 },
    callerLimits: {
      signedIn: { requests: 300, windowSeconds: 60 },
      signedInWrites: { requests: 30, windowSeconds: 60 },
      publicReads: { requests: 300, windowSeconds: 300 },
      publicWrites: { requests: 30, windowSeconds: 600 },
      perAddress: { requests: 1500, windowSeconds: 300 },
    },
    logRetention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
    documentLockMode: 'GOVERNANCE',
  },
  prod: {
    production: true,
    throttle: { rateLimit: 100, burstLimit: 200 },
    routeThrottle: { public: { rateLimit: 50, burstLimit: 100 }, write: { rateLimit: 20, burstLimit: 40 } },
    // A class of students commenting from one school's address, as the local bucket allows (120 at
    // once, then one every 5 s: the same 120 in 10 minutes).
    publicWriteLimit: { requests: 120, windowSeconds: 600 },
    // A clerk's busy console: 10 requests a second, 1 write a second, per signed-in token. A reader
    // of the public pages: 2 a second per address. An office behind one address: 3,000 in 5 minutes.
    callerLimits: {
      signedIn: { requests: 600, windowSeconds: 60 },
      signedInWrites: { requests: 60, windowSeconds: 60 },
      publicReads: { requests: 600, windowSeconds: 300 },
      publicWrites: { requests: 120, windowSeconds: 600 },
      perAddress: { requests: 3000, windowSeconds: 300 },
    },
    logRetention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
    documentLockMode: 'COMPLIANCE',
  },
} as const;

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
  return value;
}

/** A context value that may also come as a number or boolean (cdk.json, or `-c` as text). */
function optionalScalar(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return optionalString(node, key);
}

/**
 * `prod` gets the production preset; any other stage name (dev, test, a personal stage) the
 * development one, so that several development stacks can live in one account.
 */
export function stageSettings(node: Node): StageSettings {
  const stage = optionalString(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new Error(`context stage must be lower-case letters, digits and '-', at most 16: ${stage}`);
  }
  const profile = optionalString(node, 'profile') ?? 'global';
  if (!(profiles as readonly string[]).includes(profile)) {
    throw new Error(`context profile must be global or china: ${profile}`);
  }
  if (profile === 'china') return chinaSettings(node, stage);
  for (const key of [...OIDC_KEYS, 'consoleCertificateId']) {
    if (optionalScalar(node, key) !== undefined) {
      throw new Error(
        `context ${key} is for -c profile=china; the global profile signs in with Cognito and serves the console with an ACM certificate`,
      );
    }
  }
  return globalSettings(node, stage);
}

/** The context keys of the OpenID Connect provider (profile china). */
const OIDC_KEYS = ['oidcIssuer', 'oidcAudience', 'oidcRolesClaim', 'oidcOrgClaim', 'oidcNameClaim'] as const;

/** `-c notifyChannel=…` among `allowed`, else `fallback`. */
function notifyChannelOf(node: Node, allowed: readonly NotifyChannel[], fallback: NotifyChannel) {
  const channel = optionalString(node, 'notifyChannel') ?? fallback;
  if (!(allowed as readonly string[]).includes(channel)) {
    throw new Error(`context notifyChannel must be ${allowed.join(' or ')}: ${channel}`);
  }
  return channel as NotifyChannel;
}

function consoleHostingOf(node: Node): ConsoleHosting | undefined {
  const hosting = optionalString(node, 'console');
  if (hosting !== undefined && !(consoleHostings as readonly string[]).includes(hosting)) {
    throw new Error(`context console must be cloudfront or folder: ${hosting}`);
  }
  return hosting as ConsoleHosting | undefined;
}

/**
 * Profile china: everything of the global profile that the China regions offer, with the bureau's
 * OpenID Connect provider instead of Cognito, SMS or SMTP instead of SES, no malware scanning,
 * and the console on the bureau's ICP-filed domain (CloudFront with an IAM server certificate) or
 * as a folder for its own web server.
 */
function chinaSettings(node: Node, stage: string): StageSettings {
  const issuer = optionalString(node, 'oidcIssuer');
  if (issuer === undefined) {
    throw new Error(
      "profile china needs -c oidcIssuer=https://… : the issuer of the bureau's OpenID Connect provider (its tokens' iss; {issuer}/.well-known/openid-configuration must be its discovery document)",
    );
  }
  if (!URL.canParse(issuer) || new URL(issuer).protocol !== 'https:' || /[?#\s]/.test(issuer)) {
    throw new Error(`context oidcIssuer must be an https URL without query or fragment: ${issuer}`);
  }
  const audience = optionalString(node, 'oidcAudience');
  if (audience === undefined) {
    throw new Error(
      "profile china needs -c oidcAudience=… : the audience (aud) the provider puts in the console's tokens, usually its client id",
    );
  }
  const claim = (key: string, fallback: string) => {
    const value = optionalString(node, key) ?? fallback;
    if (!/^[\w:.\-/]{1,128}$/.test(value)) {
      throw new Error(`context ${key} must be a claim name (letters, digits, _ : . - /): ${value}`);
    }
    return value;
  };
  const oidc: OidcSettings = {
    issuer,
    audience,
    rolesClaim: claim('oidcRolesClaim', CHINA_DEFAULT_CLAIMS.rolesClaim),
    orgClaim: claim('oidcOrgClaim', CHINA_DEFAULT_CLAIMS.orgClaim),
    nameClaim: claim('oidcNameClaim', CHINA_DEFAULT_CLAIMS.nameClaim),
  };
  if (optionalString(node, 'userPoolTier') !== undefined) {
    throw new Error(
      "context userPoolTier is for the global profile: profile china has no Cognito user pool (the bureau's OpenID Connect provider signs in)",
    );
  }
  const malwareText = optionalScalar(node, 'malwareProtection') ?? 'false';
  if (malwareText !== 'false') {
    throw new Error(
      `context malwareProtection cannot be ${malwareText} in profile china: ${CHINA_NO_MALWARE_SCAN}; uploads are stored with scan SKIPPED`,
    );
  }
  if (optionalString(node, 'consoleCertificateArn') !== undefined) {
    throw new Error(
      'context consoleCertificateArn (ACM) is for the global profile: CloudFront in the China regions takes no ACM certificate; upload the certificate to IAM and give -c consoleCertificateId=<its server certificate ID>',
    );
  }
  if (optionalString(node, 'consoleDistributionDomain') !== undefined) {
    throw new Error(
      "context consoleDistributionDomain is for the global profile: CloudFront in the China regions serves only the bureau's own domain (-c consoleOrigin)",
    );
  }
  const consoleOrigin = originOf(node);
  const consoleCertificateId = optionalString(node, 'consoleCertificateId');
  if (consoleCertificateId !== undefined && !/^[A-Z0-9]{16,128}$/.test(consoleCertificateId)) {
    throw new Error(
      `context consoleCertificateId must be the ID of an IAM server certificate (such as ASCA…, from aws iam list-server-certificates): ${consoleCertificateId}`,
    );
  }
  const hosting =
    consoleHostingOf(node) ??
    (consoleOrigin !== undefined && consoleCertificateId !== undefined ? 'cloudfront' : 'folder');
  if (hosting === 'cloudfront' && (consoleOrigin === undefined || consoleCertificateId === undefined)) {
    throw new Error(
      "profile china with -c console=cloudfront needs -c consoleOrigin=https://… (the bureau's ICP-filed domain: CloudFront in the China regions serves no default domain) and -c consoleCertificateId=… (its certificate in the IAM certificate store); or -c console=folder to serve the built console from the bureau's own web server",
    );
  }
  if (hosting === 'folder' && consoleCertificateId !== undefined) {
    throw new Error(
      "context consoleCertificateId is for -c console=cloudfront: with console=folder the bureau's web server holds the certificate",
    );
  }
  return {
    ...commonSettings(node, stage),
    profile: 'china',
    oidc,
    notifyChannel: notifyChannelOf(node, ['sms', 'smtp'], 'sms'),
    console: hosting,
    ...(consoleOrigin !== undefined ? { consoleOrigin } : {}),
    ...(consoleCertificateId !== undefined ? { consoleCertificateId } : {}),
    malwareProtection: false,
    malwareScanSkipped: CHINA_NO_MALWARE_SCAN,
  };
}

/** `-c consoleOrigin=https://host`, checked. */
function originOf(node: Node): string | undefined {
  const consoleOrigin = optionalString(node, 'consoleOrigin');
  // HTTPS: CloudFront serves the console over HTTPS only, and Cognito refuses other callbacks.
  if (consoleOrigin !== undefined && !/^https:\/\/[^/\s:]+$/.test(consoleOrigin)) {
    throw new Error(
      `context consoleOrigin must be an origin such as https://eia.example.cn: ${consoleOrigin}`,
    );
  }
  return consoleOrigin;
}

/** The global profile: Cognito, SES, GuardDuty, the console on CloudFront with an ACM certificate. */
function globalSettings(node: Node, stage: string): StageSettings {
  const consoleOrigin = originOf(node);
  const consoleCertificateArn = optionalString(node, 'consoleCertificateArn');
  if ((consoleOrigin === undefined) !== (consoleCertificateArn === undefined)) {
    throw new Error(
      'context consoleOrigin and consoleCertificateArn go together: the console is served on its own domain with that certificate (ACM, us-east-1)',
    );
  }
  if (
    consoleCertificateArn !== undefined &&
    !/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(consoleCertificateArn)
  ) {
    throw new Error(
      `context consoleCertificateArn must be an ACM certificate ARN in us-east-1: ${consoleCertificateArn}`,
    );
  }
  const consoleDistributionDomain = optionalString(node, 'consoleDistributionDomain');
  if (
    consoleDistributionDomain !== undefined &&
    !/^[a-z0-9]+\.cloudfront\.(net|cn)$/.test(consoleDistributionDomain)
  ) {
    throw new Error(
      `context consoleDistributionDomain must be the console distribution's domain such as d111111abcdef8.cloudfront.net: ${consoleDistributionDomain}`,
    );
  }
  if (consoleHostingOf(node) === 'folder') {
    throw new Error(
      'context console=folder is for profile china: the global profile serves the console from CloudFront',
    );
  }
  const malwareText = optionalScalar(node, 'malwareProtection') ?? 'true';
  if (malwareText !== 'true' && malwareText !== 'false') {
    throw new Error(`context malwareProtection must be true or false: ${malwareText}`);
  }
  const malwareProtection = malwareText === 'true';
  return {
    ...commonSettings(node, stage),
    profile: 'global',
    userPoolTier: oneOf(node, 'userPoolTier', userPoolTiers, 'plus'),
    notifyChannel: notifyChannelOf(node, notifyChannels, 'ses'),
    console: 'cloudfront',
    ...(consoleOrigin !== undefined ? { consoleOrigin } : {}),
    ...(consoleCertificateArn !== undefined ? { consoleCertificateArn } : {}),
    ...(consoleDistributionDomain !== undefined ? { consoleDistributionDomain } : {}),
    malwareProtection,
    ...(malwareProtection
      ? {}
      : { malwareScanSkipped: 'malware scanning is off in this stage (-c malwareProtection=false)' }),
  };
}

/** What both profiles read alike: the stage's preset, alarms, documents' lock, backups. */
function commonSettings(node: Node, stage: string) {
  const alarmEmail = optionalString(node, 'alarmEmail');
  const { documentLockMode: presetLockMode, ...preset } = stage === 'prod' ? presets.prod : presets.dev;
  checkCallerLimits(preset.callerLimits, preset.publicWriteLimit);
  const documentLockMode = optionalString(node, 'documentLockMode') ?? presetLockMode;
  if (documentLockMode !== 'GOVERNANCE' && documentLockMode !== 'COMPLIANCE') {
    throw new Error(`context documentLockMode must be GOVERNANCE or COMPLIANCE: ${documentLockMode}`);
  }
  const retentionText = optionalScalar(node, 'documentRetentionDays');
  const retentionDays = retentionText === undefined ? DEFAULT_DOCUMENT_RETENTION_DAYS : Number(retentionText);
  // Object Lock takes 1 day to 100 years.
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36_500) {
    throw new Error(
      `context documentRetentionDays must be a whole number of days, 1 to 36500: ${retentionText}`,
    );
  }
  const backupsText = optionalScalar(node, 'backups') ?? String(preset.production);
  if (backupsText !== 'true' && backupsText !== 'false') {
    throw new Error(`context backups must be true or false: ${backupsText}`);
  }
  const dailyText = optionalScalar(node, 'backupDailyDays') ?? String(BACKUP_DAILY_DAYS.fallback);
  const backupDailyDays = Number(dailyText);
  if (
    !/^\d+$/.test(dailyText) ||
    backupDailyDays < BACKUP_DAILY_DAYS.min ||
    backupDailyDays > BACKUP_DAILY_DAYS.max
  ) {
    throw new Error(
      `context backupDailyDays must be a whole number of days, ${BACKUP_DAILY_DAYS.min} to ${BACKUP_DAILY_DAYS.max}: ${dailyText}`,
    );
  }
  return {
    stage,
    ...preset,
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    functionMemoryMb: 512,
    functionTimeout: Duration.seconds(10),
    documentRetention: { mode: documentLockMode, days: retentionDays },
    backups: backupsText === 'true',
    backupDailyDays,
    alarms: oneOf(node, 'alarms', alarmLevels, 'all'),
  } as const;
}

/** `-c key=…`, one of `allowed`, else `fallback`. */
function oneOf<T extends string>(node: Node, key: string, allowed: readonly T[], fallback: T): T {
  const value = optionalString(node, key) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`context ${key} must be ${allowed.join(' or ')}: ${value}`);
  }
  return value as T;
}

/**
 * Throws unless every limit is one AWS WAF can count (a whole number of at least
 * WAF_MIN_REQUESTS, in one of WAF_WINDOWS) and the public writes' limit at the firewall is the
 * functions' own (publicWriteLimit), so the two never disagree about what one address may send.
 */
export function checkCallerLimits(
  limits: CallerLimits,
  publicWriteLimit: StageSettings['publicWriteLimit'],
): void {
  for (const [name, limit] of Object.entries(limits) as [string, Limit][]) {
    if (!Number.isInteger(limit.requests) || limit.requests < WAF_MIN_REQUESTS) {
      throw new Error(
        `callerLimits.${name}.requests must be a whole number of at least ${WAF_MIN_REQUESTS}: ${limit.requests}`,
      );
    }
    if (!(WAF_WINDOWS as readonly number[]).includes(limit.windowSeconds)) {
      throw new Error(
        `callerLimits.${name}.windowSeconds must be one of ${WAF_WINDOWS.join(', ')}: ${limit.windowSeconds}`,
      );
    }
  }
  if (
    limits.publicWrites.requests !== publicWriteLimit.requests ||
    limits.publicWrites.windowSeconds !== publicWriteLimit.windowSeconds
  ) {
    throw new Error('callerLimits.publicWrites must equal publicWriteLimit');
  }
}

/**
 * The one origin the documents bucket's CORS allows: the console's own domain, or its CloudFront
 * domain when the stage has none. (The API reads the console's origin from its stage instead,
 * infra/http-api.ts, and needs none of this.) The console is built in the stateless stack, after the bucket's
 * stack: its distribution's domain cannot be read into the bucket without the stateful stack
 * depending on the stateless one (a cycle), so a stage without its own domain names it once it
 * is known. Undefined: no CORS rule, so browsers cannot upload until it is set.
 */
export function documentsCorsOrigin(settings: StageSettings): string | undefined {
  if (settings.consoleOrigin !== undefined) return settings.consoleOrigin;
  if (settings.consoleDistributionDomain !== undefined)
    return `https://${settings.consoleDistributionDomain}`;
  return undefined;
}

/**
 * The throttle of one route. API Gateway's stage and method throttles count every caller of a
 * route together (the per-caller limits are the firewall's: callerLimits, infra/api-firewall.ts).
 * So the routes an anonymous flood can reach get less than the rest, and so do writes (each one a
 * DynamoDB transaction), so that neither can eat the Lambda concurrency and table capacity the
 * officials' reads need, even from many addresses at once.
 */
export function throttleFor(settings: StageSettings, route: Pick<RouteDef, 'method' | 'auth'>): Throttle {
  if (!route.auth) return settings.routeThrottle.public;
  if (route.method !== 'GET') return settings.routeThrottle.write;
  return settings.throttle;
}
