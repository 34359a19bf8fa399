/**
 * Issue 5 part 3 in AWS: the outbox's way out (stream → publisher → bus → notifier → SES), with a
 * sender configured (`-c notifyFrom=…`). The default stage without one: stateless-stack.test.ts.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENT_SOURCE } from '../../functions/publisher/event-bridge.ts';
import { DETAIL_TYPE_PREFIX } from '../../functions/publisher/publish.ts';
import { DOCUMENT_DETAIL_TYPE } from '../../shared/domain/document-outbox.ts';
import { outboxPk } from '../../shared/store/keys.ts';
import { logicalId, synthesize } from './synth.ts';

const SENDER = 'eia-notices@example.cn';
const { stateless, templates } = synthesize({ context: { notifyFrom: SENDER } });
const template = templates.stateless;
const { notifications } = stateless;
const id = (construct: { node: { defaultChild?: unknown } }) => logicalId(stateless, construct);
const arnOf = (construct: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [id(construct), 'Arn'] });

type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (type: string) => Object.values(template.findResources(type) as Record<string, Resource>);

describe('notifications stack', () => {
  it('the publisher is woken by outbox inserts only, reports failed records and keeps what it cannot publish', () => {
    const mappings = resources('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const props = mappings[0]?.Properties ?? {};
    expect(props.FunctionName).toEqual({ Ref: id(notifications.publisher.fn) });
    expect(JSON.stringify(props.EventSourceArn)).toMatch(/MainTable.*StreamArn/);
    const filters = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { pk: { S: [outboxPk] } } } },
    ]);
    expect(props).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(notifications.publishFailures) } },
    });
    expect(props.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('the publisher puts on the service bus, named in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Description: Match.stringLikeRegexp('publisher$'),
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: id(notifications.bus) } }) },
    });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'eia-test' });
  });

  it('the bus archives every domain event for replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: arnOf(notifications.bus),
      EventPattern: { source: [EVENT_SOURCE] },
      RetentionDays: 30,
    });
  });

  it('one rule per consumer: the notifier gets every notification, with retries and a dead-letter queue', () => {
    // The bus's other consumer, the documents function, has its own rule (documents.test.ts).
    const rules = resources('AWS::Events::Rule').filter(
      (r) =>
        r.Properties.EventBusName !== undefined &&
        !JSON.stringify(r.Properties.EventPattern).includes(DOCUMENT_DETAIL_TYPE),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      EventBusName: { Ref: id(notifications.bus) },
      EventPattern: { source: [EVENT_SOURCE], 'detail-type': [{ prefix: DETAIL_TYPE_PREFIX }] },
      Targets: [
        {
          Arn: arnOf(notifications.notifier.fn),
          DeadLetterConfig: { Arn: arnOf(notifications.notifyFailures) },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
        },
      ],
    });
  });

  it('a notifier that throws is retried by Lambda, then kept in the same dead-letter queue', () => {
    // The rule's DeadLetterConfig only sees events EventBridge could not hand to Lambda at all.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id(notifications.notifier.fn) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(notifications.notifyFailures) } },
    });
  });

  it('mails from the configured sender: an SES identity, and SendEmail on that identity only', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: SENDER });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('notifier$'),
      Environment: {
        Variables: Match.objectLike({
          FROM_ADDRESS: SENDER,
          USER_POOL_ID: { Ref: id(stateless.users.userPool) },
        }),
      },
    });
    const sesStatements = resources('AWS::IAM::Policy').flatMap((p) =>
      (
        p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }
      ).Statement.filter((s) => JSON.stringify(s.Action).includes('ses:')).map((s) => ({
        roles: p.Properties.Roles,
        ...s,
      })),
    );
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]?.Action).toBe('ses:SendEmail');
    expect(sesStatements[0]?.roles).toEqual([{ Ref: id(notifications.notifier.role) }]);
    expect(JSON.stringify(sesStatements[0]?.Resource)).toContain(`:identity/${SENDER}`);
  });

  it('dead-letter queues are encrypted, TLS only, and alarm on their first message', () => {
    for (const queue of [notifications.publishFailures, notifications.notifyFailures]) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86_400,
      });
      const policy = resources('AWS::SQS::QueuePolicy').find((p) =>
        JSON.stringify(p.Properties.Queues).includes(id(queue)),
      );
      expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      const alarms = resources('AWS::CloudWatch::Alarm').filter((a) =>
        JSON.stringify(a.Properties.Dimensions ?? []).includes(id(queue)),
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]?.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(alarms[0]?.Properties.AlarmActions).toEqual([{ Ref: id(stateless.operations.topic) }]);
    }
  });

  it('an alarm when the publisher falls more than 5 minutes behind the table', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(notifications.publisher.fn) } }],
      Threshold: 300_000,
    });
  });
});
