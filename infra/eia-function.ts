import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageSettings } from './stage-settings.ts';

/** The repository root: entries, lock file and tsconfig are found from here. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The newest Node.js LTS that Lambda runs (cdk-nag AwsSolutions-L1 checks that it is the latest). */
export const RUNTIME = Runtime.NODEJS_24_X;

/**
 * esbuild's ESM output has no `require`; CommonJS code inside the bundle (parts of the AWS SDK)
 * still calls it for Node built-ins, so the bundle defines one.
 */
const REQUIRE_SHIM =
  "import { createRequire as __eiaCreateRequire } from 'node:module'; const require = __eiaCreateRequire(import.meta.url);";

/**
 * How every function is bundled; exported so that `npm run bench` bundles exactly the same way.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  // ESM entry points of dependencies tree-shake far better than their CommonJS builds.
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // Bundle the AWS SDK too: the version in package-lock.json, not whatever the runtime has.
  externalModules: [],
  esbuildArgs: { '--tree-shaking': 'true' },
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
};

/** The reads a function may make; GetItem also covers the Get items of TransactGetItems. */
export type TableRead = 'GetItem' | 'BatchGetItem' | 'Query';

export interface TableBinding {
  /**
   * 'read': only the listed reads. 'write': also PutItem, and only inside TransactWriteItems —
   * every write of the store is one transaction. UpdateItem and DeleteItem are never granted.
   */
  readonly access: 'read' | 'write';
  /** Reads on the table itself. */
  readonly reads?: readonly TableRead[];
  /** Global secondary indexes the function queries: Query on exactly those index ARNs. */
  readonly queryIndexes?: readonly string[];
  /**
   * Reads confined to some partitions of the table (a `dynamodb:LeadingKeys` condition): the
   * bureau's data a function reads at run time, e.g. the calendar's partition.
   */
  readonly partitionReads?: { readonly keys: readonly string[]; readonly reads: readonly TableRead[] };
}

export interface EiaFunctionProps {
  /** `functions/<name>/handler.ts`, exporting `handler`. */
  readonly name: string;
  readonly settings: StageSettings;
  readonly memoryMb?: number;
  readonly timeout?: Duration;
}

/**
 * One Lambda function of the service, configured once: Node.js LTS on ARM64, an ESM bundle made
 * by the local esbuild (minified, tree-shaken, with source maps), X-Ray, its own log group, and
 * a role that starts empty and gets exactly the statements bound to it.
 */
export class EiaFunction extends Construct {
  readonly name: string;
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EiaFunctionProps) {
    super(scope, id);
    const { name, settings } = props;
    this.name = name;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    // No AWSLambdaBasicExecutionRole: it may write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `eia ${settings.stage} ${name}`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, 'functions', name, 'handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? settings.functionMemoryMb,
      timeout: props.timeout ?? settings.functionTimeout,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      description: `eia ${settings.stage}: ${name}`,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: BUNDLING,
    });
  }

  /** Set an environment variable of the function. */
  addEnvironment(key: string, value: string): void {
    this.fn.addEnvironment(key, value);
  }

  /** Grant exactly the listed DynamoDB actions on this table (and indexes), nothing more. */
  bindTable(table: TableV2, binding: TableBinding): void {
    const reads = [...new Set(binding.reads ?? [])];
    if (reads.length > 0) {
      this.role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: reads.map((action) => `dynamodb:${action}`).sort(),
          resources: [table.tableArn],
        }),
      );
    }
    const indexes = [...new Set(binding.queryIndexes ?? [])];
    if (indexes.length > 0) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    const confined = binding.partitionReads;
    if (confined && confined.keys.length > 0 && confined.reads.length > 0) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: [...new Set(confined.reads)].map((action) => `dynamodb:${action}`).sort(),
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...new Set(confined.keys)].sort() },
          },
        }),
      );
    }
    if (binding.access === 'write') {
      // IAM cannot demand a condition expression; the store puts applications on their version and
      // events and idempotency records on attribute_not_exists, so an event is never rewritten.
      this.role.addToPolicy(
        new PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [table.tableArn],
          conditions: {
            'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
          },
        }),
      );
    }
  }
}

/**
 * X-Ray's PutTraceSegments and PutTelemetryRecords take no resource: `*` is the only value. Call it
 * once the function's grants are all made (cdk-nag reads the acknowledgement off the policy as it is).
 */
export function acknowledgeTracing(fn: EiaFunction, more = ''): void {
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.${more ? ` ${more}` : ''}`,
  });
}
