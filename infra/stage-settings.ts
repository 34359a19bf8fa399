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

/** What differs between deployments. Chosen by context (`-c stage=prod`), never by editing code. */
export interface StageSettings {
  readonly stage: string;
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
   */
  readonly malwareProtection: boolean;
  /**
   * AWS Backup of the main table and the documents bucket into a locked vault (infra/backups.ts):
   * on in production, elsewhere only with `-c backups=true`.
   */
  readonly backups: boolean;
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
  const consoleOrigin = optionalString(node, 'consoleOrigin');
  // HTTPS: CloudFront serves the console over HTTPS only, and Cognito refuses other callbacks.
  if (consoleOrigin !== undefined && !/^https:\/\/[^/\s:]+$/.test(consoleOrigin)) {
    throw new Error(
      `context consoleOrigin must be an origin such as https://eia.example.cn: ${consoleOrigin}`,
    );
  }
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
  const alarmEmail = optionalString(node, 'alarmEmail');
  const consoleDistributionDomain = optionalString(node, 'consoleDistributionDomain');
  if (
    consoleDistributionDomain !== undefined &&
    !/^[a-z0-9]+\.cloudfront\.(net|cn)$/.test(consoleDistributionDomain)
  ) {
    throw new Error(
      `context consoleDistributionDomain must be the console distribution's domain such as d111111abcdef8.cloudfront.net: ${consoleDistributionDomain}`,
    );
  }
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
  const malwareText = optionalScalar(node, 'malwareProtection') ?? 'true';
  if (malwareText !== 'true' && malwareText !== 'false') {
    throw new Error(`context malwareProtection must be true or false: ${malwareText}`);
  }
  const backupsText = optionalScalar(node, 'backups') ?? String(preset.production);
  if (backupsText !== 'true' && backupsText !== 'false') {
    throw new Error(`context backups must be true or false: ${backupsText}`);
  }
  return {
    stage,
    ...preset,
    ...(consoleOrigin !== undefined ? { consoleOrigin } : {}),
    ...(consoleCertificateArn !== undefined ? { consoleCertificateArn } : {}),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    functionMemoryMb: 512,
    functionTimeout: Duration.seconds(10),
    ...(consoleDistributionDomain !== undefined ? { consoleDistributionDomain } : {}),
    documentRetention: { mode: documentLockMode, days: retentionDays },
    malwareProtection: malwareText === 'true',
    backups: backupsText === 'true',
  };
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
