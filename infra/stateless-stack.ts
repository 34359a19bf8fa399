import { Annotations, CfnOutput, CfnRule, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { MalwareScanMode } from '../shared/domain/uploads.ts';
import { routes } from '../shared/http/routes.ts';
import { metricsNamespace } from '../shared/runtime/metrics.ts';
import { provisionalDeadlinesAlarm } from './calendar-alarm.ts';
import type { DocumentsBucket } from './documents-bucket.ts';
import { DocumentsEvents } from './documents-events.ts';
import { acknowledgeTracing, bindBucket, EiaFunction } from './eia-function.ts';
import {
  accessOf,
  bucketAccess,
  cursorKeyReaders,
  documentsAccess,
  type FunctionAccess,
  notifierAccess,
  notifierSmsAccess,
  scanResultAccess,
  staffDirectoryAccess,
  sweeperAccess,
} from './function-access.ts';
import { ServiceApi } from './http-api.ts';
import { Notifications } from './notifications.ts';
import { Operations } from './operations.ts';
import type { StageSettings } from './stage-settings.ts';
import { staffFunctions, UserDirectory } from './user-directory.ts';
import { consoleConfig, WebConsole, type WebConsoleDeployment } from './web-console.ts';

export interface StatelessStackProps extends StackProps {
  readonly settings: StageSettings;
  readonly table: TableV2;
  readonly idempotencyTable: TableV2;
  /** The documents bucket and its key (the stateful stack's). */
  readonly documents: Pick<
    DocumentsBucket,
    'bucket' | 'key' | 'malwarePlan' | 'importedArn' | 'arnExportName'
  >;
}

/** The functions that write new upload records: with GuardDuty on, a record starts PENDING; else SKIPPED. */
const UPLOAD_WRITERS = ['create-upload'];

/**
 * Everything that can be replaced without losing data: one function per route of
 * `shared/http/routes.ts`, the sweeper, the notifications (publisher, bus, notifier), the REST
 * API and its firewall, the user pool, alarms and the dashboard.
 */
export class StatelessStack extends Stack {
  readonly functions = new Map<string, EiaFunction>();
  readonly api: ServiceApi;
  /** Cognito (profile global); none in profile china, where the bureau's OpenID Connect provider signs in. */
  readonly userDirectory?: UserDirectory;
  /** Profile china: the Lambda authorizer that verifies the provider's tokens (functions/authorizer). */
  readonly authorizer?: EiaFunction;
  readonly notifications: Notifications;
  readonly operations: Operations;
  /** S3 + CloudFront; none with `-c console=folder` (the bureau's own web server serves web/dist). */
  readonly consoleSite?: WebConsole;

  /** The user pool; throws in a stack without one (profile china). */
  get users(): UserDirectory {
    if (!this.userDirectory) throw new Error(`${this.stackName} has no Cognito user pool (profile china)`);
    return this.userDirectory;
  }

  /** The console's bucket and distribution; throws in a stack without them (console=folder). */
  get webConsole(): WebConsole {
    if (!this.consoleSite) throw new Error(`${this.stackName} serves no console (console=folder)`);
    return this.consoleSite;
  }
  readonly documentEvents: DocumentsEvents;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, table, idempotencyTable, documents } = props;

    // Signs list cursors (shared/http/cursor.ts) and keys the public write budget's address hash.
    // Only the functions that use it read it, at run time (shared/runtime/secrets.ts): their
    // environment names the secret (its ARN), never its value.
    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: `eia ${settings.stage}: HMAC key of list cursors`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    // A new key every 30 days (functions/rotate-cursor-key); the previous one still verifies cursors.
    const rotateCursorKey = new EiaFunction(this, 'rotate-cursor-key', {
      name: 'rotate-cursor-key',
      settings,
    });
    cursorSecret.addRotationSchedule('Rotation', {
      rotationLambda: rotateCursorKey.fn,
      automaticallyAfter: Duration.days(30),
    });
    acknowledgeTracing(
      rotateCursorKey,
      'Neither does secretsmanager:GetRandomPassword, which makes the new key.',
    );
    this.functions.set(rotateCursorKey.name, rotateCursorKey);

    const scheduled = [{ name: 'sweeper', access: sweeperAccess }];
    const all = [...new Set(routes.map((route) => route.fn))].map((name) => ({
      name,
      access: accessOf(name),
    }));
    /** A function's grants and environment: its tables, its part of the documents bucket. */
    const wire = (fn: EiaFunction, access: FunctionAccess) => {
      if (access.main) fn.bindTable(table, access.main);
      if (access.idempotency) fn.bindTable(idempotencyTable, access.idempotency);
      if (access.main || access.idempotency) {
        // shared/runtime/config.ts checks both whenever a handler touches the store.
        fn.addEnvironment('TABLE_NAME', table.tableName);
        fn.addEnvironment('IDEMPOTENCY_TABLE_NAME', idempotencyTable.tableName);
      }
      if ((cursorKeyReaders as readonly string[]).includes(fn.name)) {
        fn.addEnvironment('CURSOR_KEY_SECRET_ARN', cursorSecret.secretArn);
        cursorSecret.grantRead(fn.fn);
      }
      // A public write function counts each request against its address (shared/http/public-limit.ts).
      if (access.main?.counters) {
        fn.addEnvironment('PUBLIC_WRITE_LIMIT', String(settings.publicWriteLimit.requests));
        fn.addEnvironment('PUBLIC_WRITE_WINDOW_SECONDS', String(settings.publicWriteLimit.windowSeconds));
      }
      const files = bucketAccess[fn.name];
      if (files) {
        bindBucket(
          fn,
          { arn: documents.importedArn, arnExportName: documents.arnExportName, key: documents.key },
          files,
        );
        fn.addEnvironment('DOCUMENTS_BUCKET', documents.bucket.bucketName);
      }
      if (UPLOAD_WRITERS.includes(fn.name)) {
        // shared/domain/uploads.ts newUploadScan: PENDING, or SKIPPED with the reason why.
        const scan: MalwareScanMode = documents.malwarePlan
          ? 'guardduty'
          : settings.profile === 'china'
            ? 'off-in-region'
            : 'off';
        fn.addEnvironment('MALWARE_SCAN', scan);
      }
      acknowledgeTracing(fn);
      this.functions.set(fn.name, fn);
    };
    for (const { name, access } of [...all, ...scheduled]) {
      wire(new EiaFunction(this, name, { name, settings }), access);
    }

    // The sweeper runs every 15 minutes: deemed acceptance, notice periods, DUE_SOON and OVERDUE.
    // A run reads only what is due; runs that overlap write each event once (version conditions).
    const sweeper = this.functions.get('sweeper');
    if (sweeper) {
      // The daily count of provisional deadlines, as an embedded metric (shared/runtime/metrics.ts).
      sweeper.addEnvironment('METRICS_NAMESPACE', metricsNamespace(settings.stage));
      new Rule(this, 'SweepSchedule', {
        description: `eia ${settings.stage}: run the deadline sweeper`,
        schedule: Schedule.rate(Duration.minutes(15)),
        targets: [new LambdaFunction(sweeper.fn, { retryAttempts: 2 })],
      });
    }

    // The console first: its origin is the one Cognito may redirect to and CORS allows.
    if (settings.console === 'cloudfront') {
      this.consoleSite = new WebConsole(this, 'Console', {
        settings,
        documentsBucket: documents.bucket.bucketName,
      });
    }
    const consoleOrigin = this.consoleSite?.origin ?? settings.consoleOrigin;
    if (consoleOrigin === undefined) {
      // Only a check of the templates may go without it: the console's origin is what CORS allows,
      // what the OpenID Connect provider redirects to and what each PDF's verification link names.
      Annotations.of(this).addWarning(
        'No -c consoleOrigin: the API allows no browser origin and documents cannot link to the console. The deployment is refused until it is given.',
      );
      new CfnRule(this, 'ConsoleOriginGiven', {
        assertions: [
          {
            assert: Fn.conditionEquals('consoleOrigin', 'missing'),
            assertDescription:
              "Deploy with -c consoleOrigin=https://… (the bureau's console domain): CORS, sign-in and the documents' verification links need it.",
          },
        ],
      });
    }
    if (settings.profile === 'global') {
      const users = new UserDirectory(this, 'Auth', {
        settings,
        ...(consoleOrigin ? { consoleOrigin } : {}),
      });
      this.userDirectory = users;
      for (const [name, actions] of Object.entries(staffFunctions)) {
        const fn = this.functions.get(name);
        if (fn) users.grantStaffAdministration(fn, actions);
      }
    }
    // Profile china: no Cognito. The bureau's OpenID Connect provider's tokens are verified by a
    // Lambda authorizer (the provider's keys from its discovery document; the claims named here).
    // The staff routes and the notifier keep the accounts in the table there (STAFF_DIRECTORY=table,
    // shared/store/staff-directory.ts), granted the STAFF partition only.
    if (settings.oidc) {
      const authorizer = new EiaFunction(this, 'authorizer', { name: 'authorizer', settings });
      authorizer.addEnvironment('OIDC_ISSUER', settings.oidc.issuer);
      authorizer.addEnvironment('OIDC_AUDIENCE', settings.oidc.audience);
      authorizer.addEnvironment('ROLES_CLAIM', settings.oidc.rolesClaim);
      authorizer.addEnvironment('ORG_CLAIM', settings.oidc.orgClaim);
      authorizer.addEnvironment('NAME_CLAIM', settings.oidc.nameClaim);
      acknowledgeTracing(authorizer);
      this.functions.set(authorizer.name, authorizer);
      this.authorizer = authorizer;
    }
    // The outbox's way out: stream → publisher → EventBridge bus → notifier (SES, SMTP or SMS).
    this.notifications = new Notifications(this, 'Notifications', {
      settings,
      table,
      ...(this.userDirectory ? { userPool: this.users.userPool } : {}),
    });
    this.functions.set('publisher', this.notifications.publisher);
    this.functions.set('notifier', this.notifications.notifier);
    // The notifier reads an application's hearing requests: the interested parties' e-mail contacts.
    const notifier = this.notifications.notifier;
    if (notifierAccess.main) notifier.bindTable(table, notifierAccess.main);
    if (settings.notifyChannel === 'sms' && notifierSmsAccess.main) {
      notifier.bindTable(table, notifierSmsAccess.main);
    }
    notifier.addEnvironment('TABLE_NAME', table.tableName);
    notifier.addEnvironment('IDEMPOTENCY_TABLE_NAME', idempotencyTable.tableName);
    if (settings.profile === 'china') {
      for (const [name, access] of Object.entries(staffDirectoryAccess)) {
        const fn = this.functions.get(name);
        if (!fn) continue;
        if (access.main) fn.bindTable(table, access.main);
        fn.addEnvironment('TABLE_NAME', table.tableName);
        fn.addEnvironment('IDEMPOTENCY_TABLE_NAME', idempotencyTable.tableName);
        fn.addEnvironment('STAFF_DIRECTORY', 'table');
      }
    }
    // Each act's PDF (from the bus), and GuardDuty's scan results (from the default bus).
    this.documentEvents = new DocumentsEvents(this, 'Documents', {
      settings,
      bus: this.notifications.bus as IEventBus,
      bucket: documents.bucket as IBucket,
      malwareProtection: documents.malwarePlan !== undefined,
      ...(consoleOrigin ? { publicBaseUrl: consoleOrigin } : {}),
    });
    wire(this.documentEvents.documents, documentsAccess);
    if (this.documentEvents.scanResult) wire(this.documentEvents.scanResult, scanResultAccess);
    // CORS for the console's origin, from the first deployment on: the API stage's variable
    // `consoleOrigin` (the preflights, the gateway's own answers and every API function read it,
    // shared/http/cors.ts) and the firewall's 429s. Neither the API's definition nor a function's
    // environment names it: the console's Content-Security-Policy names the API, so they cannot
    // depend on the console's distribution; the stage can.
    this.api = new ServiceApi(this, 'Http', {
      settings,
      routes,
      functions: this.functions,
      ...(this.userDirectory ? { userPool: this.users.userPool, client: this.users.client } : {}),
      ...(this.authorizer ? { authorizer: this.authorizer } : {}),
      ...(consoleOrigin ? { consoleOrigin } : {}),
    });
    this.operations = new Operations(this, 'Operations', {
      settings,
      functions: [...this.functions.values()],
      tables: { main: table, idempotency: idempotencyTable },
      api: this.api.stage,
      firewall: this.api.firewall,
      extraAlarms: [
        ...this.notifications.alarms(),
        ...this.documentEvents.alarms(),
        provisionalDeadlinesAlarm(settings),
      ],
    });

    const hostedUi = this.userDirectory?.hostedUiUrl;
    const consoleSettings: WebConsoleDeployment | undefined = settings.oidc
      ? {
          apiUrl: this.api.consoleApiUrl,
          apiDomain: this.api.domain,
          oidc: {
            issuer: settings.oidc.issuer,
            clientId: settings.oidc.audience,
            claims: {
              roles: settings.oidc.rolesClaim,
              org: settings.oidc.orgClaim,
              name: settings.oidc.nameClaim,
            },
          },
        }
      : hostedUi
        ? {
            apiUrl: this.api.consoleApiUrl,
            apiDomain: this.api.domain,
            cognitoDomain: hostedUi,
            clientId: this.users.client.userPoolClientId,
          }
        : undefined;
    if (this.consoleSite && consoleSettings) this.consoleSite.deploy(consoleSettings);
    if (consoleOrigin) new CfnOutput(this, 'ConsoleUrl', { value: `${consoleOrigin}/` });
    if (!this.consoleSite) {
      new CfnOutput(this, 'ConsoleFolder', {
        description: 'The console for the bureau’s own web server',
        value:
          'npm run build:web builds the console into web/dist; put ConsoleConfig there as console-config.json and serve the folder over HTTPS at consoleOrigin',
      });
      if (consoleSettings && consoleOrigin) {
        new CfnOutput(this, 'ConsoleConfig', {
          description: 'web/dist/console-config.json',
          value: this.toJsonString(consoleConfig(consoleSettings, consoleOrigin)),
        });
      }
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    if (this.userDirectory) {
      new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    }
    if (this.notifications.channelSecret) {
      new CfnOutput(this, 'NotifyChannelSecretArn', {
        description: `Fill with the ${settings.notifyChannel} credentials (docs/deploy.md)`,
        value: this.notifications.channelSecret.secretArn,
      });
    }
    if (settings.malwareScanSkipped) {
      new CfnOutput(this, 'MalwareScanning', {
        value: `uploads are stored with scan SKIPPED: ${settings.malwareScanSkipped}`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.topic.topicArn });
    new CfnOutput(this, 'EventBusName', { value: this.notifications.bus.eventBusName });
    new CfnOutput(this, 'DocumentsBucketName', { value: documents.bucket.bucketName });
  }
}
