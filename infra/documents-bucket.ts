import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  type IBucket,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { documentsCorsOrigin, type StageSettings } from './stage-settings.ts';

/** The key prefixes of the bucket (shared/domain/uploads.ts uploadObjectKey, documentObjectKey). */
export const objectPrefixes = ['materials', 'documents'] as const;
export type ObjectPrefix = (typeof objectPrefixes)[number];

/** The headers a browser sends with a presigned PUT (shared/store/object-store.ts presignPut). */
export const UPLOAD_HEADERS = ['content-type', 'x-amz-checksum-sha256'];

/** What the console may read of S3's answers (besides the CORS-safelisted ones). */
const EXPOSED_HEADERS = ['etag', 'content-disposition'];

/** Where GuardDuty's managed rule lives: the plan creates it, its role manages only that rule. */
export const GUARDDUTY_MANAGED_RULE = 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*';

/**
 * The documents bucket (docs/documents.md#storage): every material's file
 * (`materials/<applicationId>/<uploadId>`) and every issued PDF (`documents/<applicationId>/<id>.pdf`).
 *
 * Versioned, encrypted with a KMS key of its own (rotated yearly), private, TLS only, Object Lock
 * with a default retention (stage setting), server access logs in a log bucket of its own,
 * lifecycle to cheaper storage classes, CORS (PUT from the console's origin only), and retained when the
 * stack goes. With `malwareProtection`, GuardDuty scans every new version under `materials/`.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly accessLogs: Bucket;
  readonly malwarePlan?: CfnMalwareProtectionPlan;
  readonly malwareRole?: Role;
  /**
   * The bucket's ARN for the functions' grants in the stateless stack: an export of a fixed name
   * (`Fn::ImportValue` there), so that cdk-nag names those grants the same in every synth.
   */
  readonly arnExportName: string;
  readonly importedArn: string;

  constructor(scope: Construct, id: string, props: { settings: StageSettings }) {
    super(scope, id);
    const { settings } = props;

    this.key = new Key(this, 'Key', {
      description: `eia ${settings.stage}: documents bucket (materials and issued documents)`,
      enableKeyRotation: true,
      // Every stored version is encrypted under it: the key outlives the bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // S3 writes server access logs only to a bucket with S3-managed encryption (not SSE-KMS).
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(settings.production ? 3 * 365 : 90),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket is the documents bucket's server access log destination; logging its own writes would log the logs.",
    });

    // Only the console may PUT: its own domain, or its CloudFront domain (documentsCorsOrigin).
    const corsOrigin = documentsCorsOrigin(settings);
    const { mode, days } = settings.documentRetention;
    this.bucket = new Bucket(this, 'Bucket', {
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket, not per object: far fewer KMS requests for the same protection.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        mode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(days))
          : ObjectLockRetention.governance(Duration.days(days)),
      serverAccessLogsBucket: this.accessLogs as IBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          // Read while a case is open, then seldom and unpredictably (audits, the public version):
          // Intelligent-Tiering moves each file between its access tiers without retrieval fees
          // (files under 128 KB stay where they are), and GuardDuty can still read every tier.
          id: 'current-to-intelligent-tiering',
          transitions: [
            { storageClass: StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // Every key is written once (an upload or a document never changes): a noncurrent
          // version is only a repeated PUT of the same bytes, kept by Object Lock, never read.
          id: 'noncurrent-to-archive',
          noncurrentVersionTransitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(180) },
          ],
        },
      ],
      cors: [
        // Uploads: the console PUTs to the presigned URL, from its own origin only. (The local
        // store answers the same two rules: local/s3.)
        ...(corsOrigin
          ? [
              {
                allowedOrigins: [corsOrigin],
                allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
                allowedHeaders: UPLOAD_HEADERS,
                exposedHeaders: EXPOSED_HEADERS,
                maxAge: 3600,
              },
            ]
          : []),
        {
          // Downloads: the console fetches the API, which answers 303 to a presigned GET; a
          // browser follows that redirect from the API's origin with `Origin: null`, so no single
          // origin can be named. The presigned URL (≤ 300 s) is the authorisation; no credentials
          // or cookies go with it.
          allowedOrigins: ['*'],
          allowedMethods: [HttpMethods.GET, HttpMethods.HEAD],
          exposedHeaders: EXPOSED_HEADERS,
          maxAge: 3600,
        },
      ],
      // The record of the bureau's decisions: kept when the stack is deleted, in every stage.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.arnExportName = `eia-${settings.stage}-documents-bucket-arn`;
    this.importedArn = Stack.of(this).exportValue(this.bucket.bucketArn, { name: this.arnExportName });

    if (settings.malwareProtection) {
      this.malwareRole = this.scanRole();
      this.malwarePlan = new CfnMalwareProtectionPlan(this, 'MalwareProtection', {
        role: this.malwareRole.roleArn,
        // Only the uploads: the issued PDFs are the service's own output.
        protectedResource: {
          s3Bucket: { bucketName: this.bucket.bucketName, objectPrefixes: ['materials/'] },
        },
        // GuardDutyMalwareScanStatus on each scanned object: visible in S3 beside the record's `scan`.
        actions: { tagging: { status: 'ENABLED' } },
      });
      // GuardDuty checks the role's permissions when the plan is created.
      this.malwarePlan.node.addDependency(this.malwareRole);
    }
  }

  /**
   * The role GuardDuty assumes for the plan, as GuardDuty's documentation lays it out, confined to
   * this bucket, its key and GuardDuty's own managed rule.
   */
  private scanRole(): Role {
    const { bucketArn } = this.bucket;
    const rule = Stack.of(this).formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: GUARDDUTY_MANAGED_RULE,
    });
    const managedBy = 'malware-protection-plan.guardduty.amazonaws.com';
    const role = new Role(this, 'MalwareScanRole', {
      assumedBy: new ServicePrincipal(managedBy),
      description: 'GuardDuty Malware Protection for S3: scans and tags new objects of the documents bucket',
      inlinePolicies: {
        MalwareScan: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ManagedRule',
              effect: Effect.ALLOW,
              actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
              resources: [rule],
              conditions: { StringLike: { 'events:ManagedBy': managedBy } },
            }),
            new PolicyStatement({
              sid: 'ManagedRuleRead',
              actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
              resources: [rule],
            }),
            new PolicyStatement({
              sid: 'BucketEventsAndOwnership',
              actions: ['s3:GetBucketNotification', 's3:PutBucketNotification', 's3:ListBucket'],
              resources: [bucketArn],
            }),
            new PolicyStatement({
              sid: 'ValidationObject',
              actions: ['s3:PutObject'],
              resources: [`${bucketArn}/malware-protection-resource-validation-object`],
            }),
            new PolicyStatement({
              sid: 'ScanAndTag',
              actions: [
                's3:GetObject',
                's3:GetObjectVersion',
                's3:GetObjectTagging',
                's3:GetObjectVersionTagging',
                's3:PutObjectTagging',
                's3:PutObjectVersionTagging',
              ],
              resources: [`${bucketArn}/materials/*`],
            }),
            new PolicyStatement({
              sid: 'DocumentsKey',
              actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
              resources: [this.key.keyArn],
              conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
            }),
          ],
        }),
      },
    });
    for (const [finding, reason] of [
      [
        `Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/${GUARDDUTY_MANAGED_RULE}`,
        'GuardDuty names the EventBridge rule it manages for the plan itself; the statement is limited to rules with that fixed prefix and, for changes, to rules managed by GuardDuty.',
      ],
      [
        `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/materials/*`,
        'GuardDuty scans and tags every new version under materials/ (the uploads): the objects are not known in advance, only their prefix.',
      ],
    ] as const) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
    return role;
  }
}
