import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { routes } from '../shared/http/routes.ts';
import { EiaFunction } from './eia-function.ts';
import { accessOf, sweeperAccess } from './function-access.ts';
import { ServiceApi } from './http-api.ts';
import { Operations } from './operations.ts';
import type { StageSettings } from './stage-settings.ts';
import { UserDirectory } from './user-directory.ts';

export interface StatelessStackProps extends StackProps {
  readonly settings: StageSettings;
  readonly table: TableV2;
  readonly idempotencyTable: TableV2;
}

/**
 * Everything that can be replaced without losing data: one function per route of
 * `shared/http/routes.ts`, the HTTP API, the user pool, alarms and the dashboard.
 */
export class StatelessStack extends Stack {
  readonly functions = new Map<string, EiaFunction>();
  readonly api: ServiceApi;
  readonly users: UserDirectory;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, table, idempotencyTable } = props;

    // Signs list cursors (shared/http/cursor.ts). CloudFormation resolves the value into the
    // functions' environment at deploy time; it never appears in the template or cloud assembly.
    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: `eia ${settings.stage}: HMAC key of list cursors`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only signs short-lived page cursors and is read into the functions at deploy time, so a rotation Lambda would not reach them; replacing it only invalidates open cursors.',
    });

    const scheduled = [{ name: 'sweeper', access: sweeperAccess }];
    const all = [...new Set(routes.map((route) => route.fn))].map((name) => ({
      name,
      access: accessOf(name),
    }));
    for (const { name, access } of [...all, ...scheduled]) {
      const fn = new EiaFunction(this, name, { name, settings });
      if (access.main) fn.bindTable(table, access.main);
      if (access.idempotency) fn.bindTable(idempotencyTable, access.idempotency);
      if (access.main || access.idempotency) {
        // shared/runtime/config.ts checks all three whenever a handler touches the store.
        fn.addEnvironment('TABLE_NAME', table.tableName);
        fn.addEnvironment('IDEMPOTENCY_TABLE_NAME', idempotencyTable.tableName);
        fn.addEnvironment('CURSOR_SECRET', cursorSecret.secretValue.unsafeUnwrap());
      }
      // X-Ray's PutTraceSegments and PutTelemetryRecords take no resource: `*` is the only value.
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
      });
      this.functions.set(name, fn);
    }

    // The sweeper runs every 15 minutes: deemed acceptance, notice periods, DUE_SOON and OVERDUE.
    // A run reads only what is due; runs that overlap write each event once (version conditions).
    const sweeper = this.functions.get('sweeper');
    if (sweeper) {
      new Rule(this, 'SweepSchedule', {
        description: `eia ${settings.stage}: run the deadline sweeper`,
        schedule: Schedule.rate(Duration.minutes(15)),
        targets: [new LambdaFunction(sweeper.fn, { retryAttempts: 2 })],
      });
    }

    this.users = new UserDirectory(this, 'Auth', { settings });
    this.api = new ServiceApi(this, 'Http', {
      settings,
      routes,
      functions: this.functions,
      userPool: this.users.userPool,
      client: this.users.client,
    });
    this.operations = new Operations(this, 'Operations', {
      settings,
      functions: [...this.functions.values()],
      tables: { main: table, idempotency: idempotencyTable },
      api: this.api.api,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.topic.topicArn });
  }
}
