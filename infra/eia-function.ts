import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, type Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
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
import type { ObjectPrefix } from './documents-bucket.ts';
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
   * every write of the store is one transaction. DeleteItem is never granted, UpdateItem only
   * on `counters`.
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
  /**
   * Counters the function moves with a conditional UpdateItem outside any transaction (the public
   * write budget, shared/http/public-limit.ts): UpdateItem, only on partitions whose key starts
   * with one of `keyPrefixes` (a `dynamodb:LeadingKeys` StringLike condition).
   */
  readonly counters?: { readonly keyPrefixes: readonly string[] };
  /**
   * Reads and transactional writes confined to partitions whose key starts with one of `keyPrefixes`
   * (a `dynamodb:LeadingKeys` StringLike condition), e.g. the users' inboxes (`INBOX#`): a function
   * that only keeps inboxes can neither read nor overwrite an application.
   */
  readonly prefixed?: { readonly keyPrefixes: readonly string[]; readonly reads: readonly TableRead[] };
}

/**
 * What a function does with the documents bucket's objects, by key prefix (`materials/…`,
 * `documents/…`). A presigned URL carries its signer's permissions: a function that presigns a
 * PUT or GET needs the grant itself.
 */
export interface BucketBinding {
  /** PutObject (direct or presigned), and kms:GenerateDataKey on the bucket's key through S3. */
  readonly put?: readonly ObjectPrefix[];
  /** GetObject (HeadObject, ranged and presigned GETs), and kms:Decrypt through S3. */
  readonly get?: readonly ObjectPrefix[];
}

/** A file copied next to the bundle (`index.mjs`), e.g. the documents function's font. */
export interface BundledFile {
  /** From the repository root. */
  readonly from: string;
  /** Its name in the function's code directory (`/var/task/<name>` in Lambda). */
  readonly name: string;
}

export interface EiaFunctionProps {
  /** `functions/<name>/handler.ts`, exporting `handler`. */
  readonly name: string;
  readonly settings: StageSettings;
  readonly memoryMb?: number;
  readonly timeout?: Duration;
  /** Files the function reads at run time, copied beside its bundle. */
  readonly files?: readonly BundledFile[];
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
      bundling: props.files?.length ? withFiles(props.files) : BUNDLING,
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
    const counters = [...new Set(binding.counters?.keyPrefixes ?? [])].sort();
    if (counters.length > 0) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: ['dynamodb:UpdateItem'],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': counters.map((prefix) => `${prefix}*`) },
          },
        }),
      );
    }
    const prefixed = [...new Set(binding.prefixed?.keyPrefixes ?? [])].sort();
    const onPrefixes = { 'dynamodb:LeadingKeys': prefixed.map((prefix) => `${prefix}*`) };
    const prefixedReads = [...new Set(binding.prefixed?.reads ?? [])];
    if (prefixed.length > 0 && prefixedReads.length > 0) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: prefixedReads.map((action) => `dynamodb:${action}`).sort(),
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': onPrefixes },
        }),
      );
    }
    if (binding.access === 'write') {
      // IAM cannot demand a condition expression; the store puts applications on their version and
      // events and idempotency records on attribute_not_exists, so an event is never rewritten.
      // With `prefixed`, the writes too stay inside those partitions.
      this.role.addToPolicy(
        new PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [table.tableArn],
          conditions: {
            'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
            ...(prefixed.length > 0 ? { 'ForAllValues:StringLike': onPrefixes } : {}),
          },
        }),
      );
    }
  }
}

/** The documents bucket as another stack sees it (infra/documents-bucket.ts). */
export interface BucketRef {
  /** Its ARN (an import of a fixed export name). */
  readonly arn: string;
  /** That export's name: how cdk-nag writes the ARN in a finding. */
  readonly arnExportName: string;
  readonly key: IKey;
}

/**
 * Grants exactly what the binding lists on the documents bucket's objects under the given
 * prefixes, and the KMS use that goes with it, only through S3 in this region.
 */
export function bindBucket(fn: EiaFunction, bucket: BucketRef, binding: BucketBinding): void {
  const objects = (prefixes: readonly ObjectPrefix[]) =>
    [...new Set(prefixes)].sort().map((prefix) => `${bucket.arn}/${prefix}/*`);
  const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } };
  if (binding.put?.length) {
    fn.role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: objects(binding.put) }));
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey'],
        resources: [bucket.key.keyArn],
        conditions: viaS3,
      }),
    );
  }
  if (binding.get?.length) {
    fn.role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: objects(binding.get) }));
    fn.role.addToPolicy(
      new PolicyStatement({ actions: ['kms:Decrypt'], resources: [bucket.key.keyArn], conditions: viaS3 }),
    );
  }
  const prefixes = [...new Set([...(binding.put ?? []), ...(binding.get ?? [])])].sort();
  for (const prefix of prefixes) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${bucket.arnExportName}/${prefix}/*]`,
      reason: `Objects under ${prefix}/ are named by application and upload or document id at run time; the grant is confined to that prefix and to the actions the function makes.`,
    });
  }
}

/** BUNDLING, plus files copied beside the bundle after esbuild ran. */
function withFiles(files: readonly BundledFile[]): BundlingOptions {
  return {
    ...BUNDLING,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) =>
        files.map((file) => `cp "${join(inputDir, file.from)}" "${join(outputDir, file.name)}"`),
    },
  };
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
