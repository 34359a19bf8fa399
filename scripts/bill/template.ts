/**
 * What the synthesized CloudFormation templates hold that is billed by the month or shapes a
 * per-request charge: counted by resource type, read from the templates only.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

export interface FunctionInfo {
  readonly id: string;
  readonly memoryMb: number;
  readonly arm: boolean;
}

export interface Inventory {
  /** Alarm resources, and the metrics they are billed by (a metric-math alarm bills each metric it reads). */
  readonly alarms: number;
  readonly alarmMetrics: number;
  readonly dashboards: number;
  /** Distinct metrics outside the AWS/ namespaces that alarms read: custom metrics. */
  readonly customMetrics: number;
  readonly kmsKeys: number;
  readonly secrets: number;
  readonly webAcls: number;
  readonly wafRules: number;
  readonly logGroups: number;
  /** Retention of each log group in days (undefined: kept forever). */
  readonly logRetentionDays: readonly (number | undefined)[];
  /** Length of the API access-log line format (characters): each request writes about that much. */
  readonly accessLogLineBytes: number;
  readonly userPools: number;
  /** The user pool's feature plan (UserPoolTier): PLUS, ESSENTIALS or LITE. */
  readonly userPoolTier?: string;
  readonly backupRules: readonly { readonly name: string; readonly deleteAfterDays: number }[];
  readonly backupSelections: number;
  readonly buckets: number;
  /** Buckets with a rule moving current objects to INTELLIGENT_TIERING. */
  readonly intelligentTieringBuckets: number;
  readonly distributions: number;
  readonly restApis: number;
  /** API Gateway authorizers that run a function (TOKEN or REQUEST), as the china profile's OIDC check. */
  readonly lambdaAuthorizers: number;
  readonly functions: readonly FunctionInfo[];
  readonly tables: number;
  readonly pitrTables: number;
  readonly eventBuses: number;
  readonly eventArchives: number;
  readonly scheduleRules: readonly { readonly id: string; readonly perMonth: number }[];
  readonly queues: number;
  readonly malwareProtectionPlans: number;
  readonly sesIdentities: number;
  /** Every resource type, with its count (for the printout and for types nobody priced). */
  readonly byType: Readonly<Record<string, number>>;
}

const MINUTES_PER_MONTH = (365 * 24 * 60) / 12;

function resources(templates: readonly CfnTemplate[]): CfnResource[] {
  return templates.flatMap((t) => Object.values(t.Resources ?? {}));
}

function ofType(all: readonly CfnResource[], type: string): CfnResource[] {
  return all.filter((r) => r.Type === type);
}

function props(r: CfnResource): Record<string, unknown> {
  return r.Properties ?? {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Invocations a month of `rate(N minutes|hours|days)`; cron and others count as once a day. */
export function schedulePerMonth(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return 30;
  const n = Number(match[1]);
  const unit = match[2] ?? 'minutes';
  const minutes = unit.startsWith('minute') ? n : unit.startsWith('hour') ? n * 60 : n * 24 * 60;
  return MINUTES_PER_MONTH / minutes;
}

/** The metric an alarm reads, as `namespace/name`, for the custom-metric count. */
function alarmMetricKeys(p: Record<string, unknown>): { count: number; custom: string[] } {
  const metrics = array(p.Metrics);
  if (metrics.length === 0) {
    const ns = String(p.Namespace ?? '');
    return { count: 1, custom: ns.startsWith('AWS/') ? [] : [`${ns}/${String(p.MetricName ?? '')}`] };
  }
  const custom: string[] = [];
  let count = 0;
  for (const m of metrics) {
    const stat = record(record(m).MetricStat);
    const metric = record(stat.Metric);
    if (Object.keys(metric).length === 0) continue;
    count += 1;
    const ns = String(metric.Namespace ?? '');
    if (!ns.startsWith('AWS/')) custom.push(`${ns}/${String(metric.MetricName ?? '')}`);
  }
  return { count: Math.max(count, 1), custom };
}

export function countResources(templates: readonly CfnTemplate[]): Inventory {
  const all = resources(templates);
  const byType: Record<string, number> = {};
  for (const r of all) byType[r.Type] = (byType[r.Type] ?? 0) + 1;

  let alarmMetrics = 0;
  const custom = new Set<string>();
  for (const alarm of ofType(all, 'AWS::CloudWatch::Alarm')) {
    const keys = alarmMetricKeys(props(alarm));
    alarmMetrics += keys.count;
    for (const key of keys.custom) custom.add(key);
  }

  const webAcls = ofType(all, 'AWS::WAFv2::WebACL');
  const wafRules = webAcls.reduce((n, acl) => n + array(props(acl).Rules).length, 0);

  const logGroups = ofType(all, 'AWS::Logs::LogGroup');
  const logRetentionDays = logGroups.map((g) => {
    const days = props(g).RetentionInDays;
    return typeof days === 'number' ? days : undefined;
  });

  let accessLogLineBytes = 0;
  for (const stage of ofType(all, 'AWS::ApiGateway::Stage')) {
    const format = record(props(stage).AccessLogSetting).Format;
    if (typeof format === 'string') accessLogLineBytes = Math.max(accessLogLineBytes, format.length);
  }

  const pools = ofType(all, 'AWS::Cognito::UserPool');
  const tier = pools.map((p) => props(p).UserPoolTier).find((t) => typeof t === 'string') as
    | string
    | undefined;

  const backupRules = ofType(all, 'AWS::Backup::BackupPlan').flatMap((plan) =>
    array(record(props(plan).BackupPlan).BackupPlanRule).map((rule) => {
      const r = record(rule);
      const days = record(r.Lifecycle).DeleteAfterDays;
      return { name: String(r.RuleName ?? ''), deleteAfterDays: typeof days === 'number' ? days : 0 };
    }),
  );

  const buckets = ofType(all, 'AWS::S3::Bucket');
  const intelligentTieringBuckets = buckets.filter((b) =>
    array(record(props(b).LifecycleConfiguration).Rules).some((rule) =>
      array(record(rule).Transitions).some((t) => record(t).StorageClass === 'INTELLIGENT_TIERING'),
    ),
  ).length;

  const functions: FunctionInfo[] = Object.entries(
    Object.assign({}, ...templates.map((t) => t.Resources ?? {})) as Record<string, CfnResource>,
  )
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]) => {
      const memory = props(r).MemorySize;
      return {
        id,
        memoryMb: typeof memory === 'number' ? memory : 128,
        arm: array(props(r).Architectures).includes('arm64'),
      };
    });

  const tables = [...ofType(all, 'AWS::DynamoDB::GlobalTable'), ...ofType(all, 'AWS::DynamoDB::Table')];
  const pitrTables = tables.filter((t) => {
    const p = props(t);
    const own = record(p.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled;
    const replica = array(p.Replicas).some(
      (r) => record(record(r).PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled === true,
    );
    return own === true || replica;
  }).length;

  const scheduleRules = Object.entries(
    Object.assign({}, ...templates.map((t) => t.Resources ?? {})) as Record<string, CfnResource>,
  )
    .filter(([, r]) => r.Type === 'AWS::Events::Rule' && typeof props(r).ScheduleExpression === 'string')
    .map(([id, r]) => ({ id, perMonth: schedulePerMonth(String(props(r).ScheduleExpression)) }));

  return {
    alarms: ofType(all, 'AWS::CloudWatch::Alarm').length,
    alarmMetrics,
    dashboards: ofType(all, 'AWS::CloudWatch::Dashboard').length,
    customMetrics: custom.size,
    kmsKeys: ofType(all, 'AWS::KMS::Key').length,
    secrets: ofType(all, 'AWS::SecretsManager::Secret').length,
    webAcls: webAcls.length,
    wafRules,
    logGroups: logGroups.length,
    logRetentionDays,
    accessLogLineBytes,
    userPools: pools.length,
    ...(tier !== undefined ? { userPoolTier: tier } : {}),
    backupRules,
    backupSelections: ofType(all, 'AWS::Backup::BackupSelection').length,
    buckets: buckets.length,
    intelligentTieringBuckets,
    distributions: ofType(all, 'AWS::CloudFront::Distribution').length,
    restApis: ofType(all, 'AWS::ApiGateway::RestApi').length,
    lambdaAuthorizers: ofType(all, 'AWS::ApiGateway::Authorizer').filter((r) =>
      ['TOKEN', 'REQUEST'].includes(String(props(r).Type)),
    ).length,
    functions,
    tables: tables.length,
    pitrTables,
    eventBuses: ofType(all, 'AWS::Events::EventBus').length,
    eventArchives: ofType(all, 'AWS::Events::Archive').length,
    scheduleRules,
    queues: ofType(all, 'AWS::SQS::Queue').length,
    malwareProtectionPlans: ofType(all, 'AWS::GuardDuty::MalwareProtectionPlan').length,
    sesIdentities: all.filter((r) => r.Type.startsWith('AWS::SES::')).length,
    byType,
  };
}
