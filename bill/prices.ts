/**
 * The prices `npm run bill` applies: data only, one entry per billed unit. `usd` is the us-east-1
 * list price, `cny` the price in the AWS China regions (Ningxia cn-northwest-1, operated by NWCD;
 * Beijing cn-north-1, operated by Sinnet, lists the same figures for the services below).
 *
 * Every entry names the page it comes from and how it was read:
 * - `read 2026-12-06`: the figure was on the page (or its excerpt) read that day;
 * - `published price, not re-read 2026-12-06`: AWS's published list price, not seen again that day:
 *   check the page before quoting it in a budget;
 * - `cnyEstimated`: no China-region page with this figure could be read; the CNY price is the US
 *   price × CNY_PER_USD_ESTIMATE and is printed marked "est.". Never silent.
 * `free` is the monthly always-free allowance per account (not the 12-month trial), where one exists.
 */

export interface Price {
  readonly usd: number;
  /** Undefined: the service is not offered in the China regions. */
  readonly cny?: number;
  readonly unit: string;
  readonly usdSource: string;
  readonly cnySource: string;
  /** True when cny is US price × CNY_PER_USD_ESTIMATE (no China page read for it). */
  readonly cnyEstimated?: boolean;
  /** Always-free units per month, per account (us-east-1). */
  readonly free?: number;
  /** Always-free units per month in the China regions. */
  readonly freeCn?: number;
}

/**
 * For China prices that could not be sourced: CNY per USD. Close to the exchange rate of late 2026
 * and to the ratio of the two CloudWatch prices that could be read (¥0.622 / $0.10 alarm,
 * ¥2.00 / $0.30 custom metric). DynamoDB's write price (¥11.1538 vs $0.625, ×17.8) shows that
 * China-region prices do not follow US price cuts: treat every estimated CNY figure as a floor.
 */
export const CNY_PER_USD_ESTIMATE = 7.2;

const NOT_REREAD = 'published price, not re-read 2026-12-06';
const estimated = (usd: number) => ({
  cny: Math.round(usd * CNY_PER_USD_ESTIMATE * 1e8) / 1e8,
  cnyEstimated: true,
  cnySource: `estimated: no China-region page read; US price × ${CNY_PER_USD_ESTIMATE}`,
});

export const prices = {
  // ── CloudWatch ──────────────────────────────────────────────────────────────────────────────
  alarmMetric: {
    usd: 0.1, // https://aws.amazon.com/cloudwatch/pricing/ (standard resolution alarm metric) — published price, not re-read 2026-12-06
    cny: 0.622, // https://amazonaws.cn/cloudwatch/pricing — 每个标准精度告警指标每月 ¥0.622 — read 2026-12-06
    unit: 'alarm metric-month',
    usdSource: `https://aws.amazon.com/cloudwatch/pricing/ (${NOT_REREAD})`,
    cnySource: 'https://amazonaws.cn/cloudwatch/pricing (read 2026-12-06)',
    free: 10, // both pages: 10 standard-resolution alarm metrics free
    freeCn: 10,
  },
  dashboard: {
    usd: 3, // https://aws.amazon.com/cloudwatch/pricing/ — $3 per dashboard-month — published price, not re-read 2026-12-06
    ...estimated(3), // the China page's dashboard line was not in the part read
    unit: 'dashboard-month',
    usdSource: `https://aws.amazon.com/cloudwatch/pricing/ (${NOT_REREAD})`,
    free: 3, // both pages: 3 dashboards of up to 50 metrics free
    freeCn: 3,
  },
  customMetric: {
    usd: 0.3, // https://aws.amazon.com/cloudwatch/pricing/ — first 10,000 metrics — published price, not re-read 2026-12-06
    cny: 2, // https://amazonaws.cn/cloudwatch/pricing — 前 10000 个指标,每个指标每月 ¥2.0000 — read 2026-12-06
    unit: 'metric-month',
    usdSource: `https://aws.amazon.com/cloudwatch/pricing/ (${NOT_REREAD})`,
    cnySource: 'https://amazonaws.cn/cloudwatch/pricing (read 2026-12-06)',
    free: 10,
    freeCn: 10,
  },
  logIngestion: {
    usd: 0.5, // https://aws.amazon.com/cloudwatch/pricing/ — Logs, Standard class, collect (ingest) per GB — published price, not re-read 2026-12-06
    ...estimated(0.5),
    unit: 'GB ingested',
    usdSource: `https://aws.amazon.com/cloudwatch/pricing/ (${NOT_REREAD})`,
    free: 5, // 5 GB of logs (ingestion, storage and Insights scans together) on both pages; counted here against ingestion
    freeCn: 5,
  },
  logStorage: {
    usd: 0.03, // https://aws.amazon.com/cloudwatch/pricing/ — Logs, store (archive) per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.03),
    unit: 'GB-month stored',
    usdSource: `https://aws.amazon.com/cloudwatch/pricing/ (${NOT_REREAD})`,
  },
  // ── Keys, secrets, firewall, sign-in ───────────────────────────────────────────────────────
  kmsKey: {
    usd: 1, // https://aws.amazon.com/kms/pricing/ — $1 per customer managed key-month — published price, not re-read 2026-12-06
    ...estimated(1),
    unit: 'key-month',
    usdSource: `https://aws.amazon.com/kms/pricing/ (${NOT_REREAD})`,
  },
  secret: {
    usd: 0.4, // https://aws.amazon.com/secrets-manager/pricing/ — $0.40 per secret-month — published price, not re-read 2026-12-06
    ...estimated(0.4),
    unit: 'secret-month',
    usdSource: `https://aws.amazon.com/secrets-manager/pricing/ (${NOT_REREAD})`,
  },
  webAcl: {
    usd: 5, // https://aws.amazon.com/waf/pricing/ — $5.00 per web ACL-month — published price, not re-read 2026-12-06
    ...estimated(5),
    unit: 'web ACL-month',
    usdSource: `https://aws.amazon.com/waf/pricing/ (${NOT_REREAD})`,
  },
  wafRule: {
    usd: 1, // https://aws.amazon.com/waf/pricing/ — $1.00 per rule-month — published price, not re-read 2026-12-06
    ...estimated(1),
    unit: 'rule-month',
    usdSource: `https://aws.amazon.com/waf/pricing/ (${NOT_REREAD})`,
  },
  wafRequests: {
    usd: 0.6, // https://aws.amazon.com/waf/pricing/ — $0.60 per million requests inspected — published price, not re-read 2026-12-06
    ...estimated(0.6),
    unit: 'million requests',
    usdSource: `https://aws.amazon.com/waf/pricing/ (${NOT_REREAD})`,
  },
  cognitoPlusMau: {
    usd: 0.02, // https://aws.amazon.com/cognito/pricing/ — Plus $0.020 per MAU, "There is no free tier for the Plus tier" — read 2026-12-06 (excerpt)
    unit: 'monthly active user',
    usdSource: 'https://aws.amazon.com/cognito/pricing/ (read 2026-12-06)',
    cnySource: 'not offered: Cognito user pools do not exist in the China regions (the china profile signs in with the bureau’s OIDC provider)',
  },
  cognitoEssentialsMau: {
    usd: 0.015, // https://aws.amazon.com/cognito/pricing/ — Essentials $0.015 per MAU, 10,000 MAU free — read 2026-12-06 (excerpt)
    unit: 'monthly active user',
    usdSource: 'https://aws.amazon.com/cognito/pricing/ (read 2026-12-06)',
    cnySource: 'not offered in the China regions',
    free: 10_000,
  },
  cognitoLiteMau: {
    usd: 0.0055, // https://aws.amazon.com/cognito/pricing/ — Lite $0.0055 per MAU after the first 10,000 — read 2026-12-06 (excerpt)
    unit: 'monthly active user',
    usdSource: 'https://aws.amazon.com/cognito/pricing/ (read 2026-12-06)',
    cnySource: 'not offered in the China regions',
    free: 10_000,
  },
  // ── Data ───────────────────────────────────────────────────────────────────────────────────
  dynamoWrite: {
    usd: 0.625, // https://aws.amazon.com/dynamodb/pricing/on-demand/ — $0.625 per million write request units (the bench uses the same)
    cny: 11.1538, // https://www.amazonaws.cn/en/dynamodb/pricing/ — On-Demand "Write requests: ¥ 11.1538 for e[very million]" — read 2026-12-06 (excerpt cut after "for e": per million as on the US page)
    unit: 'million write request units',
    usdSource: `https://aws.amazon.com/dynamodb/pricing/on-demand/ (${NOT_REREAD}; the bench's figure)`,
    cnySource: 'https://www.amazonaws.cn/en/dynamodb/pricing/ (read 2026-12-06)',
  },
  dynamoRead: {
    usd: 0.125, // https://aws.amazon.com/dynamodb/pricing/on-demand/ — $0.125 per million read request units
    // The China page's read line was cut off in the excerpt read: estimated as the write price ÷ 5,
    // the US ratio of the two (not US × 7.2: China prices did not follow the US cut).
    cny: 11.1538 / 5,
    cnyEstimated: true,
    unit: 'million read request units',
    usdSource: `https://aws.amazon.com/dynamodb/pricing/on-demand/ (${NOT_REREAD}; the bench's figure)`,
    cnySource: 'estimated: the China write price ÷ 5 (the US read:write ratio); the read line was not read',
  },
  dynamoStorage: {
    usd: 0.25, // https://aws.amazon.com/dynamodb/pricing/on-demand/ — $0.25 per GB-month, first 25 GB free — published price, not re-read 2026-12-06
    ...estimated(0.25),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/dynamodb/pricing/on-demand/ (${NOT_REREAD})`,
    free: 25,
  },
  dynamoPitr: {
    usd: 0.2, // https://aws.amazon.com/dynamodb/pricing/on-demand/ — continuous backups (PITR) $0.20 per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.2),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/dynamodb/pricing/on-demand/ (${NOT_REREAD})`,
  },
  backupDynamo: {
    usd: 0.1, // https://aws.amazon.com/backup/pricing/ — DynamoDB backup (warm) $0.10 per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.1),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/backup/pricing/ (${NOT_REREAD})`,
  },
  backupS3: {
    usd: 0.05, // https://aws.amazon.com/backup/pricing/ — S3 backup (warm) $0.05 per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.05),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/backup/pricing/ (${NOT_REREAD})`,
  },
  s3Standard: {
    usd: 0.023, // https://aws.amazon.com/s3/pricing/ — S3 Standard first 50 TB per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.023),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/s3/pricing/ (${NOT_REREAD})`,
  },
  s3IntelligentInfrequent: {
    usd: 0.0125, // https://aws.amazon.com/s3/pricing/ — Intelligent-Tiering, infrequent access tier per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.0125),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/s3/pricing/ (${NOT_REREAD})`,
  },
  s3IntelligentMonitoring: {
    usd: 0.0025, // https://aws.amazon.com/s3/pricing/ — Intelligent-Tiering monitoring per 1,000 objects-month — published price, not re-read 2026-12-06
    ...estimated(0.0025),
    unit: '1,000 objects-month',
    usdSource: `https://aws.amazon.com/s3/pricing/ (${NOT_REREAD})`,
  },
  s3Put: {
    usd: 0.005, // https://aws.amazon.com/s3/pricing/ — PUT, COPY, POST, LIST per 1,000 (the bench uses the same)
    ...estimated(0.005),
    unit: '1,000 PUT-class requests',
    usdSource: `https://aws.amazon.com/s3/pricing/ (${NOT_REREAD}; the bench's figure)`,
  },
  s3Get: {
    usd: 0.0004, // https://aws.amazon.com/s3/pricing/ — GET, SELECT and others per 1,000 (the bench uses the same)
    ...estimated(0.0004),
    unit: '1,000 GET-class requests',
    usdSource: `https://aws.amazon.com/s3/pricing/ (${NOT_REREAD}; the bench's figure)`,
  },
  malwareScanGb: {
    usd: 0.09, // https://aws.amazon.com/guardduty/pricing/ — Malware Protection for S3, per GB scanned — published price, not re-read 2026-12-06 (the page's tables render by script; 1 GB and 1,000 objects a month free)
    ...estimated(0.09),
    unit: 'GB scanned',
    usdSource: `https://aws.amazon.com/guardduty/pricing/ (${NOT_REREAD})`,
    free: 1,
  },
  malwareScanObjects: {
    usd: 0.215, // https://aws.amazon.com/guardduty/pricing/ — Malware Protection for S3, per 1,000 objects evaluated — published price, not re-read 2026-12-06
    ...estimated(0.215),
    unit: '1,000 objects scanned',
    usdSource: `https://aws.amazon.com/guardduty/pricing/ (${NOT_REREAD})`,
    free: 1,
  },
  // ── Requests and compute ───────────────────────────────────────────────────────────────────
  cloudfrontDataOut: {
    usd: 0.12, // https://aws.amazon.com/cloudfront/pricing/ — Asia Pacific (Hong Kong, …) first 10 TB per GB: the edges nearest Chinese readers under PriceClass_200 — published price, not re-read 2026-12-06
    ...estimated(0.12),
    unit: 'GB to viewers',
    usdSource: `https://aws.amazon.com/cloudfront/pricing/ (${NOT_REREAD})`,
    free: 1024, // 1 TB a month always free
  },
  cloudfrontRequests: {
    usd: 0.012, // https://aws.amazon.com/cloudfront/pricing/ — HTTPS requests per 10,000, Asia Pacific — published price, not re-read 2026-12-06
    ...estimated(0.012),
    unit: '10,000 HTTPS requests',
    usdSource: `https://aws.amazon.com/cloudfront/pricing/ (${NOT_REREAD})`,
    free: 1000, // 10 million requests a month always free
  },
  restApiRequests: {
    usd: 3.5, // https://aws.amazon.com/api-gateway/pricing/ — REST API, first 333 million per million — published price, not re-read 2026-12-06
    ...estimated(3.5),
    unit: 'million API calls',
    usdSource: `https://aws.amazon.com/api-gateway/pricing/ (${NOT_REREAD})`,
  },
  lambdaRequests: {
    usd: 0.2, // https://aws.amazon.com/lambda/pricing/ — $0.20 per million requests; 1 million a month free — published price, not re-read 2026-12-06
    ...estimated(0.2),
    unit: 'million invocations',
    usdSource: `https://aws.amazon.com/lambda/pricing/ (${NOT_REREAD})`,
    free: 1,
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334, // https://aws.amazon.com/lambda/pricing/ — Arm, first 7.5 billion GB-s; 400,000 GB-s a month free — published price, not re-read 2026-12-06
    ...estimated(0.0000133334),
    unit: 'GB-second (arm64)',
    usdSource: `https://aws.amazon.com/lambda/pricing/ (${NOT_REREAD})`,
    free: 400_000,
  },
  events: {
    usd: 1, // https://aws.amazon.com/eventbridge/pricing/ — custom events published, per million — published price, not re-read 2026-12-06
    ...estimated(1),
    unit: 'million events',
    usdSource: `https://aws.amazon.com/eventbridge/pricing/ (${NOT_REREAD})`,
  },
  sqsRequests: {
    usd: 0.4, // https://aws.amazon.com/sqs/pricing/ — standard queue per million requests; 1 million free — published price, not re-read 2026-12-06
    ...estimated(0.4),
    unit: 'million requests',
    usdSource: `https://aws.amazon.com/sqs/pricing/ (${NOT_REREAD})`,
    free: 1,
  },
  sesEmail: {
    usd: 0.1, // https://aws.amazon.com/ses/pricing/ — $0.10 per 1,000 e-mails — published price, not re-read 2026-12-06
    unit: '1,000 e-mails',
    usdSource: `https://aws.amazon.com/ses/pricing/ (${NOT_REREAD})`,
    cnySource: 'not offered: SES does not exist in the China regions (the china profile mails through the bureau’s SMTP server)',
  },
  smsMessage: {
    usd: 0.0063, // not an AWS price: a domestic SMS provider's per-message list price (≈ ¥0.045), estimated
    cny: 0.045, // estimated: Chinese SMS providers' list prices for verification/notice messages are ≈ ¥0.04–0.05; the bureau's own contract decides
    cnyEstimated: true,
    unit: 'SMS message',
    usdSource: 'estimated: ¥0.045 ÷ 7.2 (the china profile sends SMS through the bureau’s provider)',
    cnySource: 'estimated: typical domestic SMS provider list price, not an AWS price',
  },
  // ── Self-hosted alternative ────────────────────────────────────────────────────────────────
  ec2T3Medium: {
    usd: 0.0416, // https://aws.amazon.com/ec2/pricing/on-demand/ — t3.medium (2 vCPU, 4 GiB) Linux per hour — published price, not re-read 2026-12-06
    ...estimated(0.0416),
    unit: 'instance-hour',
    usdSource: `https://aws.amazon.com/ec2/pricing/on-demand/ (${NOT_REREAD})`,
  },
  ebsGp3: {
    usd: 0.08, // https://aws.amazon.com/ebs/pricing/ — gp3 per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.08),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/ebs/pricing/ (${NOT_REREAD})`,
  },
  ebsSnapshot: {
    usd: 0.05, // https://aws.amazon.com/ebs/pricing/ — snapshot (standard) per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.05),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/ebs/pricing/ (${NOT_REREAD})`,
  },
  publicIpv4: {
    usd: 0.005, // https://aws.amazon.com/vpc/pricing/ — public IPv4 address per hour — published price, not re-read 2026-12-06
    ...estimated(0.005),
    unit: 'address-hour',
    usdSource: `https://aws.amazon.com/vpc/pricing/ (${NOT_REREAD})`,
  },
  ec2DataOut: {
    usd: 0.09, // https://aws.amazon.com/ec2/pricing/on-demand/ — data transfer out to the internet per GB; 100 GB a month free — published price, not re-read 2026-12-06
    ...estimated(0.09),
    unit: 'GB to the internet',
    usdSource: `https://aws.amazon.com/ec2/pricing/on-demand/ (${NOT_REREAD})`,
    free: 100,
  },
  rdsPostgresT4gMicro: {
    usd: 0.016, // https://aws.amazon.com/rds/postgresql/pricing/ — db.t4g.micro Single-AZ per hour — published price, not re-read 2026-12-06
    ...estimated(0.016),
    unit: 'instance-hour',
    usdSource: `https://aws.amazon.com/rds/postgresql/pricing/ (${NOT_REREAD})`,
  },
  rdsStorageGp2: {
    usd: 0.115, // https://aws.amazon.com/rds/postgresql/pricing/ — General Purpose (gp2) Single-AZ per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.115),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/rds/postgresql/pricing/ (${NOT_REREAD})`,
  },
  rdsBackup: {
    usd: 0.095, // https://aws.amazon.com/rds/postgresql/pricing/ — backup storage beyond 100% of the database's size, per GB-month — published price, not re-read 2026-12-06
    ...estimated(0.095),
    unit: 'GB-month',
    usdSource: `https://aws.amazon.com/rds/postgresql/pricing/ (${NOT_REREAD})`,
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof prices;
export type PriceTable = Record<PriceName, Price>;
