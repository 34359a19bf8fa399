import { Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../functions/publisher/event-bridge.ts';
import { DETAIL_TYPE_PREFIX } from '../functions/publisher/publish.ts';
import { outboxPk } from '../shared/store/keys.ts';
import { acknowledgeTracing, EiaFunction } from './eia-function.ts';
import type { AlarmSpec } from './operations.ts';
import type { StageSettings } from './stage-settings.ts';

export interface NotificationsProps {
  readonly settings: StageSettings;
  /** The main table, with its stream of new images. */
  readonly table: TableV2;
  /**
   * Cognito's user pool, where there is one (profile global): the notifier reads the recipients'
   * addresses from it. Without one it reads the service's own user directory.
   */
  readonly userPool?: IUserPool;
}

/** `-c notifyFrom=eia@example.cn`: the bureau's sender; SES mails it a link to verify it. */
export function notifyFrom(scope: Construct): string | undefined {
  const value: unknown = scope.node.tryGetContext('notifyFrom');
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw new Error(`context notifyFrom must be an e-mail address: ${String(value)}`);
  }
  return value;
}

/**
 * Notifications (issue 5 part 3), from the outbox to people's inboxes:
 *
 *   main table stream ─(OUTBOX inserts only)→ publisher ─PutEvents→ bus ─rule→ notifier ─SES→ e-mail
 *                                                                                        (or SMTP, SMS)
 *                                                                      └→ archive (replayable)
 *
 * Nothing is lost on the way: the outbox item is written in the same transaction as its event; the
 * stream is retried from the first failed record; records that still fail, and events the notifier
 * cannot take after its retries, land in dead-letter queues that raise an alarm; the bus archives
 * every event, so a fixed consumer can be replayed. A new consumer is a new rule on the bus.
 */
export class Notifications extends Construct {
  readonly bus: EventBus;
  readonly publisher: EiaFunction;
  readonly notifier: EiaFunction;
  /** Stream records the publisher could not put on the bus (their shard and sequence numbers). */
  readonly publishFailures: Queue;
  /** Events the notifier failed on after EventBridge's retries. */
  readonly notifyFailures: Queue;
  readonly sender?: EmailIdentity;
  /**
   * The SMS provider's or mail server's credentials (notifyChannel sms or smtp): created empty
   * (`{}`); the bureau fills it (docs/deploy.md). The notifier reads it at run time.
   */
  readonly channelSecret?: Secret;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const { settings, table, userPool } = props;

    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `eia-${settings.stage}`,
      description: `eia ${settings.stage}: domain events (notifications) from the outbox`,
    });
    this.bus.archive('Archive', {
      archiveName: `eia-${settings.stage}-events`,
      description: 'Every domain event, for replay to a consumer that missed or mishandled it',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: settings.production ? Duration.days(365) : Duration.days(30),
    });

    const deadLetters = (name: string) => {
      const queue = new Queue(this, name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue; an alarm fires on its first message.',
      });
      return queue;
    };
    this.publishFailures = deadLetters('PublishFailures');
    this.notifyFailures = deadLetters('NotifyFailures');

    // A batch publishes one event after another: room for a slow EventBridge without a timeout
    // re-publishing the batch's head.
    this.publisher = new EiaFunction(this, 'publisher', {
      name: 'publisher',
      settings,
      timeout: Duration.seconds(60),
    });
    this.publisher.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
    this.bus.grantPutEventsTo(this.publisher.fn);
    this.publisher.fn.addEventSource(
      // TableV2 has all DynamoEventSource uses (stream ARN, grantStreamRead); only TypeScript's
      // exactOptionalPropertyTypes tells the two interfaces apart.
      new DynamoEventSource(table as unknown as ITable, {
        // From the oldest record the stream holds: a new deployment publishes what was waiting.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // Ride out an EventBridge outage (retrying from the failed record, in order) for up to
        // 12 hours, well inside the stream's 24; only then does a record go to the queue.
        retryAttempts: 10_000,
        maxRecordAge: Duration.hours(12),
        onFailure: new SqsDlq(this.publishFailures),
        // Only outbox inserts wake the publisher: applications, events and digests never do.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { pk: { S: FilterRule.isEqual(outboxPk) } } },
          }),
        ],
      }),
    );

    // A role's whole group, one call per address: more than an API request's 10 s.
    this.notifier = new EiaFunction(this, 'notifier', {
      name: 'notifier',
      settings,
      timeout: Duration.seconds(60),
    });
    // EventBridge invokes Lambda asynchronously: the rule's retries and dead-letter queue cover only
    // the hand-over. A notifier that throws is retried by Lambda, then its event lands here too.
    this.notifier.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.notifyFailures),
    });
    if (userPool) {
      this.notifier.addEnvironment('USER_POOL_ID', userPool.userPoolId);
      this.notifier.role.addToPolicy(
        new PolicyStatement({
          actions: ['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup'],
          resources: [userPool.userPoolArn],
        }),
      );
    }
    const from = notifyFrom(this);
    if (settings.notifyChannel === 'ses') {
      if (from) {
        this.sender = new EmailIdentity(this, 'Sender', { identity: Identity.email(from) });
        this.notifier.addEnvironment('FROM_ADDRESS', from);
        const { partition, region, account } = Stack.of(this);
        this.notifier.role.addToPolicy(
          new PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: [`arn:${partition}:ses:${region}:${account}:identity/${from}`],
          }),
        );
      }
    } else {
      if (from) {
        throw new Error(
          `context notifyFrom is SES's sender; with notifyChannel ${settings.notifyChannel} the sender is in the NotifyChannel secret`,
        );
      }
      // functions/notifier/channels/config.ts: `{ "sms": {...} }` or `{ "smtp": {...} }`. Until the
      // bureau fills it, the notifier logs what is missing and sends nothing (the inboxes still fill).
      this.channelSecret = new Secret(this, 'NotifyChannel', {
        description: `eia ${settings.stage}: credentials of the ${settings.notifyChannel === 'sms' ? 'SMS provider' : 'mail server'} the notifier sends through (JSON, filled by the bureau)`,
        secretStringValue: SecretValue.unsafePlainText('{}'),
        removalPolicy: settings.removalPolicy,
      });
      this.channelSecret.grantRead(this.notifier.fn);
      this.notifier.addEnvironment('NOTIFY_CHANNEL', settings.notifyChannel);
      this.notifier.addEnvironment('NOTIFY_SECRET_ARN', this.channelSecret.secretArn);
      Validations.of(this.channelSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          "The secret holds the bureau's own credentials at its SMS provider or mail server, issued and rotated there (no AWS rotation can change them); the bureau puts each new pair in with put-secret-value, and the notifier takes it up within minutes.",
      });
    }
    new Rule(this, 'ToNotifier', {
      eventBus: this.bus,
      description: `eia ${settings.stage}: every notification to the ${settings.notifyChannel === 'sms' ? 'SMS' : 'e-mail'} notifier`,
      eventPattern: { source: [EVENT_SOURCE], detailType: Match.prefix(DETAIL_TYPE_PREFIX) },
      targets: [
        new LambdaFunction(this.notifier.fn, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.notifyFailures,
        }),
      ],
    });
    acknowledgeTracing(this.publisher);
    acknowledgeTracing(this.notifier);
  }

  /** For the alarm topic: a message in a dead-letter queue, or a stream falling behind. */
  alarms(): AlarmSpec[] {
    const visible = (q: Queue): IMetric =>
      q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    return [
      {
        id: 'publish-failures',
        metric: visible(this.publishFailures),
        threshold: 1,
        description:
          'Outbox records the publisher gave up on: fix, then run scripts/republish-outbox.ts for their time window',
      },
      {
        id: 'notify-failures',
        metric: visible(this.notifyFailures),
        threshold: 1,
        description:
          'Notifications the notifier failed on (each message holds the event and the error): fix, then replay from the bus archive',
      },
      {
        id: 'publisher-iterator-age',
        metric: this.publisher.fn.metric('IteratorAge', {
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 5 * 60 * 1000,
        description: 'The outbox publisher is more than 5 minutes behind the table',
      },
    ];
  }
}
