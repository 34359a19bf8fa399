import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { bucketAccess, type FunctionAccess, functionAccess } from '../../infra/function-access.ts';
import { staffFunctions } from '../../infra/user-directory.ts';
import { roles } from '../../shared/domain/types.ts';
import { routes } from '../../shared/http/routes.ts';
import { CONSOLE_ORIGIN, logicalId, synthesize } from './synth.ts';

/** The value, or a failure that names what the template lacks. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}

const { stateless, templates, settings } = synthesize();
const template = templates.stateless;

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const routeKeys = Object.values(resources('AWS::ApiGatewayV2::Route')).map((route) => ({
  key: String(route.Properties.RouteKey),
  props: route.Properties,
}));
/** One function per route's function, the scheduled sweeper, the outbox publisher and the notifier. */
const functionNames = [
  ...new Set(routes.map((route) => route.fn)),
  'sweeper',
  'publisher',
  'notifier',
  // Event-driven, documents (infra/documents-events.ts): each act's PDF, GuardDuty's scan results.
  'documents',
  'scan-result',
];

describe('HTTP API', () => {
  const authorizerId = Object.keys(resources('AWS::ApiGatewayV2::Authorizer'))[0];

  it('serves exactly the routes of shared/http/routes.ts', () => {
    expect(routeKeys.map((r) => r.key).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has no /local/* route', () => {
    expect(routeKeys.filter((r) => r.key.includes('/local'))).toEqual([]);
  });

  it('puts the Cognito JWT authorizer on every route that needs a token', () => {
    for (const route of routes.filter((r) => r.auth)) {
      const found = routeKeys.find((r) => r.key === `${route.method} ${route.path}`);
      expect(found?.props, route.path).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    }
  });

  it('leaves the public routes (/public/*, /workflow, /openapi.json) without any authorizer', () => {
    const open = routes.filter((r) => !r.auth);
    expect(open.map((r) => r.path).sort()).toEqual([
      '/openapi.json',
      '/public/documents/{number}',
      '/public/documents/{number}/file',
      '/public/notices',
      '/public/notices/{noticeId}',
      '/public/notices/{noticeId}/comments',
      '/public/notices/{noticeId}/hearing-requests',
      '/public/notices/{noticeId}/public-version',
      '/workflow',
    ]);
    for (const route of open) {
      const found = routeKeys.find((r) => r.key === `${route.method} ${route.path}`);
      expect(found?.props.AuthorizationType ?? 'NONE', route.path).toBe('NONE');
      expect(found?.props.AuthorizerId, route.path).toBeUndefined();
    }
  });

  it('trusts tokens of this user pool issued to the console client only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stateless, stateless.users.client) }],
        Issuer: {
          'Fn::Join': [
            '',
            Match.arrayWith([
              Match.stringLikeRegexp('cognito-idp'),
              { Ref: logicalId(stateless, stateless.users.userPool) },
            ]),
          ],
        },
      },
    });
  });

  it('sends each route to the function named in routes.ts', () => {
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    for (const route of routes) {
      const found = routeKeys.find((r) => r.key === `${route.method} ${route.path}`);
      // Target: integrations/<integration id>
      const [, [, { Ref: integrationId }]] = (
        must(found, `route ${route.method} ${route.path}`).props.Target as {
          'Fn::Join': [string, [string, { Ref: string }]];
        }
      )['Fn::Join'];
      const integration = integrations[integrationId];
      const fn = stateless.functions.get(route.fn);
      expect(fn, route.fn).toBeDefined();
      expect(integration?.Properties, route.path).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(stateless, fn?.fn ?? stateless), 'Arn'] },
      });
    }
  });

  it('throttles the stage (rate and burst) and writes JSON access logs', () => {
    const [stage] = Object.values(resources('AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: settings.throttle.rateLimit,
        ThrottlingBurstLimit: settings.throttle.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(stateless, stateless.api.accessLogs), 'Arn'] },
      },
    });
    const format = JSON.parse(
      String((must(stage, 'the API stage').Properties.AccessLogSettings as { Format: string }).Format),
    );
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  it('allows CORS from the console origin only, with the headers the API reads and sets', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: [CONSOLE_ORIGIN],
        AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        AllowHeaders: Match.arrayWith(['authorization', 'idempotency-key', 'if-match']),
        ExposeHeaders: Match.arrayWith(['etag', 'location', 'content-disposition', 'x-next-cursor']),
      },
    });
  });
});

describe('user pool', () => {
  it('has one group per role', () => {
    const groups = Object.values(resources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...roles].sort());
  });

  it('demands strong passwords and MFA, and opens accounts by the bureau only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
      Policies: {
        PasswordPolicy: {
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    const [pool] = Object.values(resources('AWS::Cognito::UserPool'));
    const policy = (
      must(pool, 'the user pool').Properties.Policies as { PasswordPolicy: { MinimumLength: number } }
    ).PasswordPolicy;
    expect(policy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('lets no user change the claims the API trusts (name, custom:orgCode)', () => {
    const [client] = Object.values(resources('AWS::Cognito::UserPoolClient'));
    const writable = client?.Properties.WriteAttributes as string[] | undefined;
    expect(writable).toBeDefined();
    expect(writable).not.toContain('name');
    expect(writable).not.toContain('custom:orgCode');
    expect(client?.Properties.GenerateSecret).toBe(false);
  });
});

describe('functions', () => {
  // Ours: CDK's own BucketDeployment handler (uploads the web console at deploy time) aside.
  const lambdas = Object.fromEntries(
    Object.entries(resources('AWS::Lambda::Function')).filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    ),
  );

  it('the sweeper runs on an EventBridge schedule, every 15 minutes', () => {
    const sweeper = stateless.functions.get('sweeper');
    expect(sweeper).toBeDefined();
    const rules = (
      Object.values(template.findResources('AWS::Events::Rule')) as {
        Properties: { ScheduleExpression?: string; Targets: { Arn: unknown }[] };
      }[]
    ).filter((rule) => rule.Properties.ScheduleExpression !== undefined);
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    expect(JSON.stringify(rules[0]?.Properties.Targets[0]?.Arn)).toContain(
      stateless.getLogicalId(sweeper?.fn.node.defaultChild as CfnElement),
    );
  });

  it('without -c notifyFrom the notifier has no sender: no SES identity, no FROM_ADDRESS', () => {
    expect(template.findResources('AWS::SES::EmailIdentity')).toEqual({});
    const notifier = (
      Object.values(lambdas) as unknown as {
        Properties: { Description: string; Environment: { Variables: Record<string, unknown> } };
      }[]
    ).find((l) => l.Properties.Description.endsWith('notifier'));
    expect(notifier?.Properties.Environment.Variables).toHaveProperty('USER_POOL_ID');
    expect(notifier?.Properties.Environment.Variables).not.toHaveProperty('FROM_ADDRESS');
  });

  it('one per function of routes.ts, the sweeper, the publisher, the notifier, documents and scan-result', () => {
    expect(Object.keys(lambdas)).toHaveLength(functionNames.length);
    expect([...stateless.functions.keys()].sort()).toEqual([...functionNames].sort());
  });

  it('run the current Node.js LTS on ARM64 with X-Ray, JSON logs and source maps', () => {
    const rendering = logicalId(stateless, stateless.documentEvents.documents.fn);
    for (const [id, fn] of Object.entries(lambdas)) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        // Rendering a PDF subsets a CJK font: CPU-bound, so more memory (and CPU).
        MemorySize: id === rendering ? 1024 : settings.functionMemoryMb,
        // The stream publisher and the notifier work through batches and groups, the documents
        // function renders: 60 s.
        Timeout:
          /publisher|notifier/.test(id) || id === rendering ? 60 : settings.functionTimeout.toSeconds(),
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
      });
    }
  });

  it('each write to a log group of its own, with retention', () => {
    const logGroups = resources('AWS::Logs::LogGroup');
    for (const fn of stateless.functions.values()) {
      const id = logicalId(stateless, fn.logGroup);
      expect(logGroups[id]?.Properties.RetentionInDays, fn.name).toBe(settings.logRetention);
      const lambda = lambdas[logicalId(stateless, fn.fn)];
      expect(lambda?.Properties.LoggingConfig, fn.name).toMatchObject({ LogGroup: { Ref: id } });
    }
  });

  it('get the table names and the cursor key only when they use the store, the key never in clear', () => {
    const secretId = Object.keys(resources('AWS::SecretsManager::Secret'))[0];
    for (const fn of stateless.functions.values()) {
      const env = (
        must(lambdas[logicalId(stateless, fn.fn)], fn.fn.node.path).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      // The publisher reads the stream: it never touches the store.
      const own: Record<string, string[]> = {
        publisher: ['EVENT_BUS_NAME', 'NODE_OPTIONS'],
      };
      // /workflow reads the current configuration (shared/runtime/workflow-config.ts).
      const usesStore = !['openapi', ...Object.keys(own)].includes(fn.name);
      // The sweeper also emits the daily count of provisional deadlines (shared/runtime/metrics.ts).
      const metrics = fn.name === 'sweeper' ? ['METRICS_NAMESPACE'] : [];
      // The staff routes also call Cognito's admin API on the user pool.
      // And the notifier looks its recipients up there (and hearing requesters in the store).
      const pool = fn.name in staffFunctions || fn.name === 'notifier' ? ['USER_POOL_ID'] : [];
      // The documents bucket, for the functions that touch it (documents.test.ts has the rest).
      const files = fn.name in bucketAccess ? ['DOCUMENTS_BUCKET'] : [];
      const scan = fn.name === 'create-upload' ? ['MALWARE_SCAN'] : [];
      // The public write functions count each request against its address (shared/http/public-limit.ts).
      const limited = (functionAccess as Record<string, FunctionAccess | undefined>)[fn.name]?.main?.counters
        ? ['PUBLIC_WRITE_LIMIT', 'PUBLIC_WRITE_WINDOW_SECONDS']
        : [];
      const rendering = fn.name === 'documents' ? ['DOCUMENT_FONT_PATH', 'PUBLIC_BASE_URL'] : [];
      expect(Object.keys(env).sort(), fn.name).toEqual(
        usesStore
          ? [
              'CURSOR_SECRET',
              ...files,
              ...rendering,
              'IDEMPOTENCY_TABLE_NAME',
              ...scan,
              ...limited,
              ...metrics,
              'NODE_OPTIONS',
              'TABLE_NAME',
              ...pool,
            ].sort()
          : (own[fn.name] ?? ['NODE_OPTIONS']),
      );
      if (usesStore) {
        expect(env.CURSOR_SECRET, fn.name).toEqual({
          'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
        });
      }
    }
  });
});

describe('operations', () => {
  const alarms = Object.values(resources('AWS::CloudWatch::Alarm'));
  const topicId = logicalId(stateless, stateless.operations.topic);
  const alarmsOn = (metricName: string) =>
    alarms.filter((alarm) => alarm.Properties.MetricName === metricName);

  it('alarms on errors, throttles and p99 duration of every function', () => {
    for (const fn of stateless.functions.values()) {
      const ref = { Ref: logicalId(stateless, fn.fn) };
      const on = (name: string) =>
        alarmsOn(name).filter(
          (a) =>
            JSON.stringify(a.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: ref }]),
        );
      expect(on('Errors'), fn.name).toHaveLength(1);
      expect(on('Throttles'), fn.name).toHaveLength(1);
      const [duration] = on('Duration');
      expect(duration?.Properties.ExtendedStatistic, fn.name).toBe('p99');
    }
  });

  it('alarms on DynamoDB system errors of both tables and on API 5xx', () => {
    const systemErrors = alarms.filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('"SystemErrors"'),
    );
    expect(systemErrors).toHaveLength(2);
    expect(alarmsOn('5xx')).toHaveLength(1);
  });

  it('alarms on open provisional deadlines, telling the bureau to publish the calendar', () => {
    const [alarm, ...more] = alarmsOn('ProvisionalDeadlines');
    expect(more).toHaveLength(0);
    expect(alarm?.Properties).toMatchObject({
      Namespace: `eia-${settings.stage}`,
      Statistic: 'Maximum',
      Period: 86_400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: expect.stringContaining("publish next year's calendar"),
    });
    const sweeper = stateless.functions.get('sweeper');
    if (!sweeper) throw new Error('no sweeper');
    const env = resources('AWS::Lambda::Function')[logicalId(stateless, sweeper.fn)]?.Properties
      .Environment as { Variables: Record<string, unknown> };
    expect(env.Variables.METRICS_NAMESPACE).toBe(alarm?.Properties.Namespace);
  });

  it('sends every alarm to the SNS topic', () => {
    // 3 per function; API 5xx and two tables' system errors; 2 dead-letter queues and the
    // publisher's iterator age (notifications.test.ts); open provisional deadlines; the documents
    // and scan-result dead-letter queues (documents.test.ts).
    expect(alarms.length).toBe(stateless.functions.size * 3 + 3 + 3 + 1 + 2);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('encrypts the topic with a rotated key CloudWatch may use, and refuses publishing without TLS', () => {
    const keyId = logicalId(stateless, stateless.operations.topic.masterKey ?? stateless.operations.topic);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('has a dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
