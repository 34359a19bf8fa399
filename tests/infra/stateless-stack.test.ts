import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  bucketAccess,
  cursorKeyReaders,
  type FunctionAccess,
  functionAccess,
} from '../../infra/function-access.ts';
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
/** The REST API's OpenAPI definition, as API Gateway imports it. */
type Operation = {
  security?: unknown[];
  'x-amazon-apigateway-integration': { type: string; uri?: unknown; httpMethod?: string };
};
const restApis = Object.entries(resources('AWS::ApiGateway::RestApi'));
const [restApiId, restApi] = restApis[0] ?? ['', undefined];
const definition = (restApi?.Properties.Body ?? { paths: {} }) as {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
  'x-amazon-apigateway-gateway-responses': Record<
    string,
    {
      statusCode?: number;
      responseParameters: Record<string, unknown>;
      responseTemplates: Record<string, string>;
    }
  >;
};
const routeKeys = Object.entries(definition.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => method !== 'options')
    .map(([method, props]) => ({ key: `${method.toUpperCase()} ${path}`, props })),
);
/** One function per route's function, the scheduled sweeper, the outbox publisher and the notifier. */
const functionNames = [
  ...new Set(routes.map((route) => route.fn)),
  'sweeper',
  'publisher',
  'notifier',
  // Event-driven, documents (infra/documents-events.ts): each act's PDF, GuardDuty's scan results.
  'documents',
  'scan-result',
  // Secrets Manager's rotation of the cursor key (functions/rotate-cursor-key).
  'rotate-cursor-key',
];

describe('REST API', () => {
  it('is one regional REST API, and no HTTP API (API Gateway v2) is left', () => {
    expect(restApis).toHaveLength(1);
    expect(restApi?.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(
      Object.values(template.toJSON().Resources as Record<string, Resource>).map((r) => r.Type),
    ).not.toContainEqual(expect.stringMatching(/^AWS::ApiGatewayV2::/));
  });

  it('serves exactly the routes of shared/http/routes.ts', () => {
    expect(routeKeys.map((r) => r.key).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has no /local/* route', () => {
    expect(routeKeys.filter((r) => r.key.includes('/local'))).toEqual([]);
  });

  it('puts the Cognito authorizer on every route that needs a token', () => {
    for (const route of routes.filter((r) => r.auth)) {
      const found = routeKeys.find((r) => r.key === `${route.method} ${route.path}`);
      expect(found?.props.security, route.path).toEqual([{ cognito: [] }]);
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
      expect(found?.props.security, route.path).toEqual([]);
    }
  });

  it('trusts ID tokens of this user pool (whose one client is the console)', () => {
    expect(definition.components.securitySchemes.cognito).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': {
        type: 'cognito_user_pools',
        providerARNs: [{ 'Fn::GetAtt': [logicalId(stateless, stateless.users.userPool), 'Arn'] }],
      },
    });
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });

  it('sends each route to the function named in routes.ts (Lambda proxy), which API Gateway may invoke', () => {
    const permissions = Object.values(resources('AWS::Lambda::Permission'));
    for (const route of routes) {
      const found = must(
        routeKeys.find((r) => r.key === `${route.method} ${route.path}`),
        `${route.method} ${route.path}`,
      );
      const fn = must(stateless.functions.get(route.fn), route.fn);
      const integration = found.props['x-amazon-apigateway-integration'];
      expect(integration.type, route.path).toBe('aws_proxy');
      expect(integration.httpMethod, route.path).toBe('POST');
      expect(JSON.stringify(integration.uri), route.path).toContain(
        JSON.stringify({ 'Fn::GetAtt': [logicalId(stateless, fn.fn), 'Arn'] }),
      );
      // One permission per function: this API's stage `api`, any method and path.
      const own = permissions.filter(
        (p) =>
          JSON.stringify(p.Properties.FunctionName) ===
            JSON.stringify({ 'Fn::GetAtt': [logicalId(stateless, fn.fn), 'Arn'] }) &&
          p.Properties.Principal === 'apigateway.amazonaws.com',
      );
      expect(own, route.fn).toHaveLength(1);
      const sourceArn = JSON.stringify(own[0]?.Properties.SourceArn);
      expect(sourceArn).toContain(`{"Ref":"${restApiId}"}`);
      expect(sourceArn).toContain('/api/*/*');
    }
  });

  it('throttles the stage (rate and burst) and writes JSON access logs', () => {
    const [stage] = Object.values(resources('AWS::ApiGateway::Stage'));
    expect(stage?.Properties).toMatchObject({
      StageName: 'api',
      MethodSettings: expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: settings.throttle.rateLimit,
          ThrottlingBurstLimit: settings.throttle.burstLimit,
        }),
      ]),
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(stateless, stateless.api.accessLogs), 'Arn'] },
      },
    });
    const format = JSON.parse(
      String((must(stage, 'the API stage').Properties.AccessLogSetting as { Format: string }).Format),
    );
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      ip: '$context.identity.sourceIp',
      sub: '$context.authorizer.claims.sub',
      waf: '$context.wafResponseCode',
      wafError: '$context.waf.error',
    });
  });

  it('answers CORS preflights for the console origin only, with the headers the API reads and sets', () => {
    for (const path of new Set(routes.map((r) => r.path))) {
      const preflight = definition.paths[path]?.options as unknown as {
        'x-amazon-apigateway-integration': {
          type: string;
          responses: { default: { statusCode: string; responseParameters: Record<string, string> } };
        };
      };
      const answer = preflight['x-amazon-apigateway-integration'];
      expect(answer.type, path).toBe('mock');
      const headers = answer.responses.default.responseParameters;
      // Mapped from the stage's variable (no quotes), not a literal in the API's definition.
      expect(headers['method.response.header.Access-Control-Allow-Origin'], path).toBe(
        'stageVariables.consoleOrigin',
      );
      const methods = routes.filter((r) => r.path === path).map((r) => r.method);
      expect(headers['method.response.header.Access-Control-Allow-Methods'], path).toBe(
        `'${[...methods, 'OPTIONS'].join(',')}'`,
      );
      for (const h of ['authorization', 'idempotency-key', 'if-match']) {
        expect(headers['method.response.header.Access-Control-Allow-Headers'], path).toContain(h);
      }
      for (const h of ['etag', 'location', 'content-disposition', 'x-next-cursor', 'retry-after']) {
        expect(headers['method.response.header.Access-Control-Expose-Headers'], path).toContain(h);
      }
    }
  });

  it('answers what the gateway refuses itself as problem+json the console may read', () => {
    const responses = definition['x-amazon-apigateway-gateway-responses'];
    expect(Object.keys(responses).sort()).toEqual(
      [
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'MISSING_AUTHENTICATION_TOKEN',
        'THROTTLED',
        'UNAUTHORIZED',
        'WAF_FILTERED',
      ].sort(),
    );
    for (const [type, response] of Object.entries(responses)) {
      expect(response.responseParameters['gatewayresponse.header.Access-Control-Allow-Origin'], type).toBe(
        'stageVariables.consoleOrigin',
      );
      expect(response.responseParameters['gatewayresponse.header.Content-Type'], type).toBe(
        "'application/problem+json'",
      );
      const template = must(response.responseTemplates['application/json'], type);
      // The template is JSON once API Gateway puts the (quoted) message in.
      const problem = JSON.parse(template.replace('$context.error.messageString', '"a message"'));
      expect(problem.title, type).toEqual(expect.any(String));
      expect(problem.detail, type).toEqual(expect.any(String));
      if (response.statusCode) expect(String(problem.status), type).toBe(response.statusCode);
    }
    expect(responses.UNAUTHORIZED?.statusCode).toBe('401');
    expect(responses.THROTTLED?.statusCode).toBe('429');
    expect(responses.THROTTLED?.responseParameters['gatewayresponse.header.Retry-After']).toBe("'1'");
    expect(responses.MISSING_AUTHENTICATION_TOKEN?.statusCode).toBe('404');
  });

  it('holds the console’s origin in the stage’s variable consoleOrigin, which the functions read', () => {
    const [stage] = Object.values(resources('AWS::ApiGateway::Stage'));
    expect(stage?.Properties.Variables).toEqual({ consoleOrigin: CONSOLE_ORIGIN });
  });

  it('lets neither the API’s definition nor its functions name the console’s distribution', () => {
    // The console's CSP names the API: a reference the other way round is a dependency cycle on a
    // stage without its own domain (web-console.test.ts checks that synth too).
    const cdn = logicalId(stateless, stateless.webConsole.distribution);
    expect(JSON.stringify(restApi?.Properties.Body)).not.toContain(cdn);
    for (const name of new Set(routes.map((r) => r.fn))) {
      const fn = must(stateless.functions.get(name), name);
      const lambda = must(resources('AWS::Lambda::Function')[logicalId(stateless, fn.fn)], name);
      expect(JSON.stringify(lambda.Properties.Environment), name).not.toContain(cdn);
    }
  });

  it('keeps the stack under CloudFormation’s 500 resources', () => {
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(500);
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

  it('get the table names when they use the store, the cursor key’s ARN when they use the key, never the key', () => {
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
        // Secrets Manager tells it which secret and version: nothing of its own.
        'rotate-cursor-key': ['NODE_OPTIONS'],
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
      // The functions that sign cursors or key the public write budget read the key at run time.
      const keyed = (cursorKeyReaders as readonly string[]).includes(fn.name);
      // The API's functions answer CORS for the console from the stage's variable, not from their
      // environment (shared/http/cors.ts): nothing of the console in it.
      expect(env.CONSOLE_ORIGIN, fn.name).toBeUndefined();
      expect(Object.keys(env).sort(), fn.name).toEqual(
        usesStore
          ? [
              ...(keyed ? ['CURSOR_KEY_SECRET_ARN'] : []),
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
          : [...(own[fn.name] ?? ['NODE_OPTIONS'])].sort(),
      );
      if (keyed) expect(env.CURSOR_KEY_SECRET_ARN, fn.name).toEqual({ Ref: secretId });
      expect(JSON.stringify(env), fn.name).not.toContain('{{resolve:');
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
    // The REST API's stage: AWS/ApiGateway 5XXError by ApiName and Stage.
    const [api5xx, ...more5xx] = alarmsOn('5XXError');
    expect(more5xx).toHaveLength(0);
    expect(api5xx?.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      Statistic: 'Sum',
      Threshold: 1,
    });
    expect(api5xx?.Properties.Dimensions).toEqual([
      { Name: 'ApiName', Value: `eia-${settings.stage}` },
      { Name: 'Stage', Value: { Ref: logicalId(stateless, stateless.api.stage) } },
    ]);
  });

  it('alarms when the API firewall blocks a flood', () => {
    const [blocked, ...more] = alarmsOn('BlockedRequests');
    expect(more).toHaveLength(0);
    expect(blocked?.Properties).toMatchObject({
      Namespace: 'AWS/WAFV2',
      Statistic: 'Sum',
      Threshold: 100,
    });
    expect(blocked?.Properties.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'WebACL', Value: `eia-${settings.stage}-api` },
        { Name: 'Rule', Value: 'ALL' },
      ]),
    );
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
    // 3 per function; API 5xx, the firewall's blocks and two tables' system errors; 2 dead-letter
    // queues and the publisher's iterator age (notifications.test.ts); open provisional deadlines;
    // the documents and scan-result dead-letter queues (documents.test.ts).
    expect(alarms.length).toBe(stateless.functions.size * 3 + 4 + 3 + 1 + 2);
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
