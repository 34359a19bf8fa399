import { Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { EiaFunction } from './eia-function.ts';
import type { StageSettings } from './stage-settings.ts';

export interface OperationsProps {
  readonly settings: StageSettings;
  readonly functions: readonly EiaFunction[];
  readonly tables: Readonly<Record<string, TableV2>>;
  /** The REST API's stage: its metrics are AWS/ApiGateway's, by ApiName and Stage. */
  readonly api: Stage;
  /** The API's web ACL: how many requests it blocks. */
  readonly firewall?: CfnWebACL;
  /** More alarms to the same topic (e.g. dead-letter queues); each fires at `threshold` or above. */
  readonly extraAlarms?: readonly AlarmSpec[];
}

export interface AlarmSpec {
  readonly id: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly description: string;
}

const FIVE_MINUTES = Duration.minutes(5);
/**
 * Requests the API's firewall blocked in 5 minutes: one caller over its limit now and then is
 * normal; this many is a flood, or limits too tight for the bureau's real use.
 */
const BLOCKED_REQUESTS = 100;
/** An interactive API: a p99 above this for 15 minutes means people are waiting. */
const P99_DURATION_MS = 3000;

/** The operations the store uses: SystemErrors are reported per operation. */
const tableOperations = [
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.TRANSACT_GET_ITEMS,
  Operation.TRANSACT_WRITE_ITEMS,
];

/**
 * `-c alarms=essential`: the functions whose own errors still page. Nobody waits on their answer,
 * so a failure shows nowhere else at first: the sweeper (deemed acceptance, notice periods,
 * deadlines), the notifier (retried for a day before its dead-letter queue fills), the documents
 * function (each act's PDF) and the cursor key's rotation. An API function's crash or timeout is an
 * API 5xx, which has its own alarm.
 */
export const ESSENTIAL_FUNCTIONS = ['sweeper', 'notifier', 'documents', 'rotate-cursor-key'] as const;

/** The Lambda metrics of every function in the account and Region: no dimension. */
const accountWide = (metricName: 'Errors' | 'Throttles') =>
  new Metric({ namespace: 'AWS/Lambda', metricName, statistic: Stats.SUM, period: FIVE_MINUTES });

/**
 * Alarms into one encrypted SNS topic, and a dashboard. `alarms=all`: errors, throttles and p99
 * duration of every function, besides the service's own alarms (API 5xx, firewall blocks, DynamoDB
 * system errors, the dead-letter queues, the stream's age, provisional deadlines).
 * `alarms=essential`: the service's own alarms, the errors of ESSENTIAL_FUNCTIONS, and one alarm on
 * the account's Lambda errors and throttles in place of three per function.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { settings, functions, tables, api, firewall } = props;

    // A customer managed key: CloudWatch cannot publish to a topic under the AWS managed SNS key.
    const key = new Key(this, 'TopicKey', {
      description: `eia ${settings.stage}: alarm topic`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Alarms', {
      displayName: `EIA ${settings.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one (which let the account's services publish).
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (settings.alarmEmail) this.topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (id: string, metric: IMetric, threshold: number, description: string, periods = 1) => {
      const created = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    const essential = settings.alarms === 'essential';
    for (const f of functions) {
      const own = (ESSENTIAL_FUNCTIONS as readonly string[]).includes(f.name);
      if (essential && !own) continue;
      // Handlers turn every error into a response; a Lambda error is a crash, timeout or bad deploy.
      alarm(`${f.name}-errors`, f.fn.metricErrors({ period: FIVE_MINUTES }), 1, `${f.name}: errors`);
      if (essential) continue;
      alarm(`${f.name}-throttles`, f.fn.metricThrottles({ period: FIVE_MINUTES }), 1, `${f.name}: throttled`);
      alarm(
        `${f.name}-p99`,
        f.fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99) }),
        P99_DURATION_MS,
        `${f.name}: p99 duration at least ${P99_DURATION_MS} ms for 15 minutes`,
        3,
      );
    }
    if (essential) {
      // One alarm instead of three per function. A metric-math alarm reads at most 10 metrics and
      // bills each one, so a sum over every function's own Errors would take 5 alarms and cost
      // nearly what the per-function alarms did; the account-wide metrics are 2. They also count
      // any other function in the account and Region: the dashboard's Errors graph names which.
      // A timeout is an error, so no duration alarm.
      alarm(
        'functions-errors',
        new MathExpression({
          expression: 'FILL(errors, 0) + FILL(throttles, 0)',
          usingMetrics: { errors: accountWide('Errors'), throttles: accountWide('Throttles') },
          period: FIVE_MINUTES,
          label: 'Lambda errors and throttles, whole account',
        }),
        1,
        'Lambda: an error or throttle of a function in this account and Region (alarms=essential watches them all together): the Errors and Throttles graphs of the dashboard name the function',
      );
    }
    // Unexpected errors leave a handler as a 500 response, which only the API sees.
    alarm('api-5xx', api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }), 1, 'API: 5xx');
    const blocked =
      firewall?.name === undefined
        ? undefined
        : new Metric({
            namespace: 'AWS/WAFV2',
            metricName: 'BlockedRequests',
            dimensionsMap: { WebACL: firewall.name, Region: Stack.of(this).region, Rule: 'ALL' },
            statistic: Stats.SUM,
            period: FIVE_MINUTES,
          });
    if (blocked) {
      alarm(
        'api-blocked',
        blocked,
        BLOCKED_REQUESTS,
        `API firewall: at least ${BLOCKED_REQUESTS} requests over a caller's limit in 5 minutes`,
      );
    }
    for (const [name, table] of Object.entries(tables)) {
      alarm(
        `${name}-table-system-errors`,
        table.metricSystemErrorsForOperations({ operations: tableOperations, period: FIVE_MINUTES }),
        1,
        `DynamoDB ${name} table: system errors`,
      );
    }

    for (const spec of props.extraAlarms ?? []) alarm(spec.id, spec.metric, spec.threshold, spec.description);

    const byFunction = (title: string, metric: (f: EiaFunction) => IMetric) =>
      new GraphWidget({ title, width: 12, left: functions.map(metric) });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `eia-${settings.stage}`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [new TextWidget({ markdown: `# EIA approval · ${settings.stage}`, width: 24, height: 1 })],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 })],
        [
          new GraphWidget({
            title: 'API requests and errors',
            width: 12,
            left: [api.metricCount({ statistic: Stats.SUM })],
            right: [
              api.metricClientError({ statistic: Stats.SUM }),
              api.metricServerError({ statistic: Stats.SUM }),
              ...(blocked ? [blocked.with({ label: 'blocked by the firewall' })] : []),
            ],
          }),
          new GraphWidget({
            title: 'API latency',
            width: 12,
            left: [
              api.metricLatency({ statistic: Stats.p(50) }),
              api.metricLatency({ statistic: Stats.p(99) }),
            ],
          }),
        ],
        [
          byFunction('Invocations', (f) => f.fn.metricInvocations({ label: f.name })),
          byFunction('Errors', (f) => f.fn.metricErrors({ label: f.name })),
        ],
        [
          byFunction('Duration p99', (f) => f.fn.metricDuration({ label: f.name, statistic: Stats.p(99) })),
          byFunction('Throttles', (f) => f.fn.metricThrottles({ label: f.name })),
        ],
        Object.entries(tables).map(
          ([name, table]) =>
            new GraphWidget({
              title: `DynamoDB ${name}`,
              width: 12,
              left: [
                table.metricConsumedReadCapacityUnits({ label: 'read units' }),
                table.metricConsumedWriteCapacityUnits({ label: 'write units' }),
              ],
              right: [
                table.metricSystemErrorsForOperations({
                  operations: tableOperations,
                  label: 'system errors',
                }),
              ],
            }),
        ),
      ],
    });
  }
}
