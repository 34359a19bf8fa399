import type { PriceName, PriceTable } from '../../bill/prices.ts';
import type { Inventory } from './template.ts';
import { ASSUMPTIONS, type Measured } from './workload.ts';

export type Profile = 'global' | 'china';

export interface Scale {
  readonly applicationsPerYear: number;
  readonly staff: number;
  readonly pageviewsPerMonth: number;
}

export interface Line {
  readonly group: 'fixed' | 'variable' | 'self-hosted';
  readonly name: string;
  readonly price: PriceName;
  /** In the price's unit. */
  readonly quantity: number;
  readonly note?: string;
}

export interface PricedLine extends Line {
  /** The price's unit (bill/prices.ts). */
  readonly unit: string;
  readonly unitPrice: number | undefined;
  readonly estimated: boolean;
  /** Undefined: not offered in the chosen currency's regions. */
  readonly cost: number | undefined;
  /** After the always-free allowance. */
  readonly costAfterFree: number | undefined;
}

export interface Bill {
  readonly currency: 'USD' | 'CNY';
  readonly lines: readonly PricedLine[];
  readonly total: number;
  readonly totalAfterFree: number;
  readonly fixed: number;
  readonly variable: number;
}

const HOURS_PER_MONTH = 730;
const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** Requests and other monthly units the scale produces, before any price. */
export interface Units {
  readonly applicationsPerMonth: number;
  readonly apiRequests: number;
  readonly signedInRequests: number;
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly s3Puts: number;
  readonly s3Gets: number;
  readonly events: number;
  readonly messages: number;
  readonly monthlyActiveUsers: number;
  readonly pageLoads: number;
  readonly cloudfrontRequests: number;
  readonly cloudfrontGb: number;
  readonly tableGb: number;
  readonly filesGb: number;
  readonly fileObjects: number;
  readonly logIngestGb: number;
  readonly logStoredGb: number;
  readonly uploadsGb: number;
  readonly uploadObjects: number;
}

export function units(
  inventory: Inventory,
  measured: Measured,
  scale: Scale,
  site: { files: number; bytes: number },
): Units {
  const a = ASSUMPTIONS;
  const applicationsPerMonth = scale.applicationsPerYear / 12;
  const writes = applicationsPerMonth * measured.apiWritesPerApplication;
  const caseReads = writes * a.readsPerWrite;
  const staffReads = scale.staff * a.staffRequestsPerDay * a.workingDaysPerMonth;
  const publicRequests = scale.pageviewsPerMonth * a.apiRequestsPerPageView;
  const signedInRequests = writes + caseReads + staffReads;
  const apiRequests = signedInRequests + publicRequests;
  const documents = applicationsPerMonth * measured.documentsPerApplication;
  const events =
    applicationsPerMonth * (measured.transitionsPerApplication + measured.documentsPerApplication);
  const sweeps = inventory.scheduleRules.reduce((n, r) => n + r.perMonth, 0);
  const memoryGb = mean(inventory.functions.map((f) => f.memoryMb)) / 1024 || 0.5;
  const documentsMemoryGb = Math.max(...inventory.functions.map((f) => f.memoryMb), 512) / 1024;
  // API requests run one function each; events run the publisher (stream) and a consumer each.
  const apiInvocations = apiRequests;
  const eventInvocations = events * 2;
  const authorizerInvocations =
    inventory.lambdaAuthorizers > 0 ? signedInRequests * (1 - a.authorizerCacheHitShare) : 0;
  const invocations = apiInvocations + eventInvocations + sweeps + authorizerInvocations;
  const coldMs = measured.coldStartMs * a.coldStartShare;
  const gbSeconds =
    ((apiInvocations + eventInvocations + sweeps + authorizerInvocations) *
      (measured.handlerMs + coldMs) *
      memoryGb +
      documents * (measured.documentMs + coldMs) * documentsMemoryGb) /
    1000;
  const writeUnits = applicationsPerMonth * measured.writeUnitsPerApplication;
  const readUnits =
    applicationsPerMonth * measured.readUnitsPerApplication +
    (caseReads + staffReads + publicRequests) * measured.readUnitsPerRead +
    sweeps * measured.readUnitsPerSweep;
  const monthlyActiveUsers = scale.staff + Math.ceil(applicationsPerMonth * a.applicantActiveMonths);
  const pageLoads = scale.pageviewsPerMonth + scale.staff * a.staffConsoleLoadsPerDay * a.workingDaysPerMonth;
  const cloudfrontRequests = pageLoads * site.files;
  const cloudfrontGb = (pageLoads * site.bytes) / GB;
  const held = scale.applicationsPerYear * a.yearsOfRecords;
  const tableGb = (held * measured.writeUnitsPerApplication * a.tableKbPerWriteUnit * 1024) / GB;
  const filesGb =
    (held * (a.materialsMbPerApplication * MB + measured.documentsPerApplication * measured.documentBytes)) /
    GB;
  const fileObjects = held * (measured.uploadsPerApplication + measured.documentsPerApplication);
  const logIngestBytes = invocations * a.logBytesPerInvocation + apiRequests * inventory.accessLogLineBytes;
  const logIngestGb = logIngestBytes / GB;
  const retention = inventory.logRetentionDays.length
    ? mean(inventory.logRetentionDays.map((d) => (d === undefined ? 3650 : d)))
    : 30;
  // Held: every month's ingestion for the retention, at most the months the records cover.
  const logStoredGb = logIngestGb * Math.min(retention / 30.4, 12 * a.yearsOfRecords);
  const uploadsGb = (applicationsPerMonth * a.materialsMbPerApplication * MB) / GB;
  const uploadObjects = applicationsPerMonth * measured.uploadsPerApplication;
  const s3Puts = applicationsPerMonth * measured.s3PutsPerApplication;
  const s3Gets = applicationsPerMonth * measured.s3GetsPerApplication;
  return {
    applicationsPerMonth,
    apiRequests,
    signedInRequests,
    invocations,
    gbSeconds,
    writeUnits,
    readUnits,
    s3Puts,
    s3Gets,
    events,
    messages: applicationsPerMonth * measured.transitionsPerApplication * a.messagesPerTransition,
    monthlyActiveUsers,
    pageLoads,
    cloudfrontRequests,
    cloudfrontGb,
    tableGb,
    filesGb,
    fileObjects,
    logIngestGb,
    logStoredGb,
    uploadsGb,
    uploadObjects,
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((x, y) => x + y, 0) / values.length;
}

const COGNITO_PRICE: Record<string, PriceName> = {
  PLUS: 'cognitoPlusMau',
  ESSENTIALS: 'cognitoEssentialsMau',
  LITE: 'cognitoLiteMau',
};

/** The serverless deployment's monthly lines: fixed (what the templates hold) then variable. */
export function serverlessLines(inventory: Inventory, u: Units, profile: Profile): Line[] {
  const a = ASSUMPTIONS;
  const lines: Line[] = [];
  const fixed = (name: string, price: PriceName, quantity: number, note?: string) => {
    if (quantity > 0) lines.push({ group: 'fixed', name, price, quantity, ...(note ? { note } : {}) });
  };
  const variable = (name: string, price: PriceName, quantity: number, note?: string) => {
    if (quantity > 0) lines.push({ group: 'variable', name, price, quantity, ...(note ? { note } : {}) });
  };
  fixed(
    'CloudWatch alarms',
    'alarmMetric',
    inventory.alarmMetrics,
    `${inventory.alarms} alarms reading ${inventory.alarmMetrics} metrics`,
  );
  fixed('CloudWatch dashboards', 'dashboard', inventory.dashboards);
  fixed('CloudWatch custom metrics', 'customMetric', inventory.customMetrics);
  fixed('KMS customer managed keys', 'kmsKey', inventory.kmsKeys);
  fixed('Secrets Manager secrets', 'secret', inventory.secrets);
  fixed('WAF web ACLs', 'webAcl', inventory.webAcls);
  fixed('WAF rules', 'wafRule', inventory.wafRules);
  if (inventory.userPools > 0) {
    const tier = inventory.userPoolTier ?? 'ESSENTIALS';
    fixed(
      `Cognito ${tier} tier`,
      COGNITO_PRICE[tier] ?? 'cognitoEssentialsMau',
      u.monthlyActiveUsers,
      'monthly active users: staff + applicants with a running application',
    );
  }
  fixed(
    'DynamoDB storage',
    'dynamoStorage',
    u.tableGb,
    `${inventory.tables} tables; ${a.yearsOfRecords} year(s) of applications`,
  );
  if (inventory.pitrTables > 0) fixed('DynamoDB point-in-time recovery', 'dynamoPitr', u.tableGb);
  if (inventory.backupSelections > 0 && inventory.backupRules.length > 0) {
    // DynamoDB backups are full copies: one per daily and per monthly recovery point kept.
    const points = inventory.backupRules.reduce(
      (n, r) => n + (r.name.includes('month') ? Math.min(r.deleteAfterDays / 30.4, 12) : r.deleteAfterDays),
      0,
    );
    fixed(
      'AWS Backup: table recovery points',
      'backupDynamo',
      u.tableGb * points,
      `${Math.round(points)} full copies kept`,
    );
    // S3 backups are incremental: about the bucket's size once.
    fixed('AWS Backup: documents bucket', 'backupS3', u.filesGb);
  }
  const monthShare = 1 / (12 * a.yearsOfRecords);
  fixed('S3 Standard (files of the last 30 days)', 's3Standard', u.filesGb * Math.min(monthShare, 1));
  if (inventory.intelligentTieringBuckets > 0) {
    fixed(
      'S3 Intelligent-Tiering (older files)',
      's3IntelligentInfrequent',
      u.filesGb * (1 - Math.min(monthShare, 1)),
    );
    fixed('S3 Intelligent-Tiering monitoring', 's3IntelligentMonitoring', u.fileObjects / 1000);
  }
  const s3LogGb =
    ((u.s3Puts + u.s3Gets) * a.s3AccessLogLineBytes + u.cloudfrontRequests * a.cloudfrontLogLineBytes) / GB;
  fixed('S3 Standard (access and CDN logs)', 's3Standard', s3LogGb * 12 * a.yearsOfRecords);
  fixed('CloudWatch Logs storage', 'logStorage', u.logStoredGb, `${inventory.logGroups} log groups`);

  variable(
    'API Gateway REST requests',
    'restApiRequests',
    u.apiRequests / 1e6,
    'acts, reads around them, staff lists, public pages',
  );
  if (inventory.webAcls > 0) variable('WAF requests inspected', 'wafRequests', u.apiRequests / 1e6);
  variable('Lambda invocations', 'lambdaRequests', u.invocations / 1e6);
  variable(
    'Lambda compute (arm64)',
    'lambdaArmGbSecond',
    u.gbSeconds,
    'memory from the template × measured duration',
  );
  variable('DynamoDB writes', 'dynamoWrite', u.writeUnits / 1e6, 'write units measured per approval');
  variable(
    'DynamoDB reads',
    'dynamoRead',
    u.readUnits / 1e6,
    'read units measured per approval and per list page',
  );
  variable('S3 PUT-class requests', 's3Put', u.s3Puts / 1000);
  variable('S3 GET-class requests', 's3Get', u.s3Gets / 1000);
  if (inventory.eventBuses > 0) variable('EventBridge events', 'events', u.events / 1e6);
  if (inventory.malwareProtectionPlans > 0) {
    variable('GuardDuty malware scans (GB)', 'malwareScanGb', u.uploadsGb);
    variable('GuardDuty malware scans (objects)', 'malwareScanObjects', u.uploadObjects / 1000);
  }
  if (inventory.distributions > 0) {
    variable('CloudFront HTTPS requests', 'cloudfrontRequests', u.cloudfrontRequests / 10_000);
    variable('CloudFront data to viewers', 'cloudfrontDataOut', u.cloudfrontGb);
  }
  variable(
    'CloudWatch Logs ingestion',
    'logIngestion',
    u.logIngestGb,
    'access-log line × requests + Lambda lines',
  );
  if (profile === 'china')
    variable('SMS notifications', 'smsMessage', u.messages, 'the bureau’s SMS provider');
  else variable('SES e-mail notifications', 'sesEmail', u.messages / 1000);
  return lines;
}

/** One small VM running an open-source BPM engine with a managed PostgreSQL, at the same scale. */
export function selfHostedLines(u: Units): Line[] {
  const a = ASSUMPTIONS;
  const databaseGb = Math.max(a.databaseMinGb, Math.ceil(u.tableGb * 2));
  const line = (name: string, price: PriceName, quantity: number, note?: string): Line => ({
    group: 'self-hosted',
    name,
    price,
    quantity,
    ...(note ? { note } : {}),
  });
  return [
    line(
      'VM t3.medium (2 vCPU, 4 GiB): BPM engine + API',
      'ec2T3Medium',
      HOURS_PER_MONTH,
      'Camunda 7 CE or Flowable on a JVM',
    ),
    line('VM disk (gp3)', 'ebsGp3', a.vmDiskGb),
    line('VM disk snapshots', 'ebsSnapshot', a.vmDiskGb),
    line('Public IPv4 address', 'publicIpv4', HOURS_PER_MONTH),
    line(
      'PostgreSQL db.t4g.micro, Single-AZ',
      'rdsPostgresT4gMicro',
      HOURS_PER_MONTH,
      'no standby: no failover',
    ),
    line('PostgreSQL storage (gp2)', 'rdsStorageGp2', databaseGb),
    line(
      'PostgreSQL backups beyond the free 100%',
      'rdsBackup',
      databaseGb * 0.5,
      '35 days of point-in-time',
    ),
    line('Files on S3 (same as serverless)', 's3IntelligentInfrequent', u.filesGb),
    line('Data to the internet (pages, API)', 'ec2DataOut', u.cloudfrontGb + (u.apiRequests * 4096) / GB),
  ];
}

export function price(lines: readonly Line[], table: PriceTable, currency: 'USD' | 'CNY'): Bill {
  // The always-free allowance applies once per price, over every line that uses it.
  const usedByPrice = new Map<PriceName, number>();
  const priced: PricedLine[] = lines.map((line) => {
    const p = table[line.price];
    const unitPrice = currency === 'USD' ? p.usd : p.cny;
    const estimated = currency === 'CNY' && p.cnyEstimated === true;
    if (unitPrice === undefined) {
      return { ...line, unit: p.unit, unitPrice, estimated, cost: undefined, costAfterFree: undefined };
    }
    const free = (currency === 'USD' ? p.free : p.freeCn) ?? 0;
    const before = usedByPrice.get(line.price) ?? 0;
    usedByPrice.set(line.price, before + line.quantity);
    // The part of this line beyond the allowance that earlier lines of the same price left.
    const billable = Math.max(0, before + line.quantity - free) - Math.max(0, before - free);
    const cost = line.quantity * unitPrice;
    return {
      ...line,
      unit: p.unit,
      unitPrice,
      estimated,
      cost,
      costAfterFree: billable * unitPrice,
    };
  });
  const sum = (xs: readonly PricedLine[], key: 'cost' | 'costAfterFree') =>
    xs.reduce((n, l) => n + (l[key] ?? 0), 0);
  return {
    currency,
    lines: priced,
    total: sum(priced, 'cost'),
    totalAfterFree: sum(priced, 'costAfterFree'),
    fixed: sum(
      priced.filter((l) => l.group === 'fixed'),
      'cost',
    ),
    variable: sum(
      priced.filter((l) => l.group === 'variable'),
      'cost',
    ),
  };
}
