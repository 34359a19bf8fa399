/**
 * Issue 14 in AWS: the documents bucket (stateful stack), GuardDuty Malware Protection for S3 on
 * it, the scan results back into the upload records, and the documents function on the bus.
 * The grants of each function: function-permissions.test.ts.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENT_SOURCE } from '../../functions/publisher/event-bridge.ts';
import { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE } from '../../functions/scan-result/scan.ts';
import { DOCUMENT_FONT } from '../../infra/documents-events.ts';
import { DOCUMENT_DETAIL_TYPE } from '../../shared/domain/document-outbox.ts';
import { CONSOLE_ORIGIN, logicalId, synthesize } from './synth.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
const resources = (t: Template, type: string) =>
  Object.entries(t.findResources(type) as Record<string, Resource>);
const only = (t: Template, type: string, filter: (r: Resource) => boolean = () => true) => {
  const found = resources(t, type).filter(([, r]) => filter(r));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};

const built = synthesize();
const { stateful, stateless, templates } = built;
const docs = stateful.documents;
const bucketId = logicalId(stateful, docs.bucket);
const keyId = logicalId(stateful, docs.key);
const logsId = logicalId(stateful, docs.accessLogs);
const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
const documentsBucket = () =>
  only(templates.stateful, 'AWS::S3::Bucket', (r) => r.Properties.ObjectLockEnabled === true);
const documentBucketOf = (t: Template) =>
  Object.values(
    t.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }) as Record<
      string,
      Resource
    >,
  )[0];

describe('documents bucket', () => {
  it('is versioned, private, and encrypted with a KMS key of its own that rotates', () => {
    const [id, bucket] = documentsBucket();
    expect(id).toBe(bucketId);
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
    });
    const [, key] = only(templates.stateful, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('and its key are retained when the stack is deleted or the resource replaced', () => {
    for (const id of [bucketId, keyId, logsId]) {
      const resource = templates.stateful.toJSON().Resources[id] as Resource;
      expect(resource.DeletionPolicy, id).toBe('Retain');
      expect(resource.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  it('refuses every request without TLS', () => {
    const [, policy] = only(
      templates.stateful,
      'AWS::S3::BucketPolicy',
      (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
      },
    ]);
  });

  it('locks every version: GOVERNANCE for 30 years in a development stage', () => {
    expect(documentsBucket()[1].Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 * 365 } },
    });
  });

  it('logs every request to a log bucket of its own (S3-managed keys, TLS only, expiring)', () => {
    expect(documentsBucket()[1].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'documents/',
    });
    const logs = templates.stateful.toJSON().Resources[logsId] as Resource;
    expect(logs.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 90, Status: 'Enabled' })],
      },
    });
    const [, policy] = only(
      templates.stateful,
      'AWS::S3::BucketPolicy',
      (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: logsId }),
    );
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements.map((s) => s.Effect)).toEqual(['Deny', 'Allow']);
    // Only S3's log delivery, only for the documents bucket, in this account.
    expect(statements[1]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId, 'Arn'] }, '/documents/*']] },
      Condition: {
        ArnLike: { 'aws:SourceArn': bucketArn },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
  });

  it('moves current files to Intelligent-Tiering and old versions to Deep Archive', () => {
    expect(documentsBucket()[1].Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'current-to-intelligent-tiering',
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }],
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
        {
          Id: 'noncurrent-to-archive',
          Status: 'Enabled',
          NoncurrentVersionTransitions: [
            { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
            { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 },
          ],
        },
      ],
    });
    // Nothing ever expires: Object Lock keeps every version, and no rule deletes one.
    expect(JSON.stringify(documentsBucket()[1].Properties.LifecycleConfiguration)).not.toMatch(/Expiration/);
  });

  it("lets only the console's origin PUT, and any origin GET a presigned URL", () => {
    expect(documentsBucket()[1].Properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedOrigins: [CONSOLE_ORIGIN],
          AllowedMethods: ['PUT', 'GET', 'HEAD'],
          AllowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
          ExposedHeaders: ['etag', 'content-disposition'],
          MaxAge: 3600,
        },
        {
          AllowedOrigins: ['*'],
          AllowedMethods: ['GET', 'HEAD'],
          ExposedHeaders: ['etag', 'content-disposition'],
          MaxAge: 3600,
        },
      ],
    });
  });

  it('sets no notification configuration: GuardDuty manages the bucket’s EventBridge setting', () => {
    expect(documentsBucket()[1].Properties.NotificationConfiguration).toBeUndefined();
  });

  it('names its presigned URLs’ host in the console’s CSP connect-src', () => {
    const [, policy] = only(templates.stateless, 'AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig);
    expect(csp).toMatch(
      /connect-src 'self' https:\/\/",\{"Ref":"HttpApi[^"]*"\},"\.execute-api\.[^;]* https:\/\/",\{"Ref":"AuthUsersHostedUi[^"]*"\},"\.auth\.[^;]* https:\/\/",\{"Fn::ImportValue":"[^"]*DocumentsBucket[^"]*"\},"\.s3\./,
    );
  });
});

describe('GuardDuty Malware Protection for S3', () => {
  const [planId, plan] = only(templates.stateful, 'AWS::GuardDuty::MalwareProtectionPlan');
  const roleId = logicalId(stateful, docs.malwareRole as never);

  it('scans every new version under materials/ and tags it', () => {
    expect(plan.Properties).toMatchObject({
      ProtectedResource: { S3Bucket: { BucketName: { Ref: bucketId }, ObjectPrefixes: ['materials/'] } },
      Actions: { Tagging: { Status: 'ENABLED' } },
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    expect(templates.stateful.toJSON().Resources[planId].DependsOn).toContain(roleId);
  });

  it("gives the plan's role GuardDuty's documented permissions, confined to this bucket and key", () => {
    const role = templates.stateful.toJSON().Resources[roleId] as Resource;
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    const rule = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':events:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
        ],
      ],
    };
    const [policy, ...more] = role.Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[];
    expect(more).toEqual([]);
    expect(policy?.PolicyDocument.Statement).toEqual([
      {
        Sid: 'ManagedRule',
        Effect: 'Allow',
        Action: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        Resource: rule,
        Condition: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      },
      {
        Sid: 'ManagedRuleRead',
        Effect: 'Allow',
        Action: ['events:DescribeRule', 'events:ListTargetsByRule'],
        Resource: rule,
      },
      {
        Sid: 'BucketEventsAndOwnership',
        Effect: 'Allow',
        Action: ['s3:GetBucketNotification', 's3:PutBucketNotification', 's3:ListBucket'],
        Resource: bucketArn,
      },
      {
        Sid: 'ValidationObject',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [bucketArn, '/malware-protection-resource-validation-object']] },
      },
      {
        Sid: 'ScanAndTag',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
        ],
        Resource: { 'Fn::Join': ['', [bucketArn, '/materials/*']] },
      },
      {
        Sid: 'DocumentsKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
            },
          },
        },
      },
    ]);
    // Nothing else is attached to it.
    for (const [, p] of resources(templates.stateful, 'AWS::IAM::Policy')) {
      expect(JSON.stringify(p.Properties.Roles)).not.toContain(roleId);
    }
  });

  it("sends GuardDuty's results for materials/ of this bucket from the default bus to scan-result", () => {
    const scanResult = stateless.documentEvents.scanResult;
    const failures = stateless.documentEvents.scanFailures;
    if (!scanResult || !failures) throw new Error('no scan-result function');
    const [, rule] = only(templates.stateless, 'AWS::Events::Rule', (r) =>
      String(JSON.stringify(r.Properties.EventPattern)).includes(SCAN_RESULT_DETAIL_TYPE),
    );
    expect(rule.Properties.EventBusName).toBeUndefined();
    const pattern = rule.Properties.EventPattern as Record<string, unknown>;
    expect(pattern).toEqual({
      source: [SCAN_RESULT_SOURCE],
      'detail-type': [SCAN_RESULT_DETAIL_TYPE],
      detail: {
        s3ObjectDetails: {
          bucketName: [{ 'Fn::ImportValue': expect.stringMatching(/DocumentsBucket/) }],
          objectKey: [{ prefix: 'materials/' }],
        },
      },
    });
    const failuresArn = { 'Fn::GetAtt': [logicalId(stateless, failures), 'Arn'] };
    expect(rule.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [logicalId(stateless, scanResult.fn), 'Arn'] },
        DeadLetterConfig: { Arn: failuresArn },
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 8 },
      },
    ]);
    const [, invoke] = only(templates.stateless, 'AWS::Lambda::EventInvokeConfig', (r) =>
      JSON.stringify(r.Properties.FunctionName).includes(logicalId(stateless, scanResult.fn)),
    );
    expect(invoke.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: failuresArn } },
    });
  });

  it('makes new upload records PENDING (MALWARE_SCAN=guardduty on create-upload only)', () => {
    const withScan = resources(templates.stateless, 'AWS::Lambda::Function')
      .map(([id, r]) => [
        id,
        (r.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables?.MALWARE_SCAN,
      ])
      .filter(([, scan]) => scan !== undefined);
    expect(withScan).toEqual([
      [logicalId(stateless, stateless.functions.get('create-upload')?.fn ?? { node: {} }), 'guardduty'],
    ]);
  });

  it('alarms on the first scan result that could not be recorded', () => {
    const failures = stateless.documentEvents.scanFailures;
    if (!failures) throw new Error('no scan-failures queue');
    templates.stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stateless, failures), 'QueueName'] } },
      ],
      Threshold: 1,
    });
  });
});

describe('documents function', () => {
  const { documents, documentFailures } = stateless.documentEvents;
  const fnId = logicalId(stateless, documents.fn);

  it('gets every document outbox item from the service bus, with retries and a dead-letter queue', () => {
    const [, rule] = only(templates.stateless, 'AWS::Events::Rule', (r) =>
      String(JSON.stringify(r.Properties.EventPattern)).includes(DOCUMENT_DETAIL_TYPE),
    );
    expect(rule.Properties.EventBusName).toEqual({ Ref: logicalId(stateless, stateless.notifications.bus) });
    expect(rule.Properties.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [DOCUMENT_DETAIL_TYPE],
    });
    const failuresArn = { 'Fn::GetAtt': [logicalId(stateless, documentFailures), 'Arn'] };
    expect(rule.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        DeadLetterConfig: { Arn: failuresArn },
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 8 },
      },
    ]);
    templates.stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stateless, documentFailures), 'QueueName'] } },
      ],
      Threshold: 1,
    });
  });

  it('the notifier does not get them (its rule takes notifications only)', () => {
    const [, rule] = only(templates.stateless, 'AWS::Events::Rule', (r) =>
      String(JSON.stringify(r.Properties.Targets)).includes(
        logicalId(stateless, stateless.notifications.notifier.fn),
      ),
    );
    const [prefix] = (rule.Properties.EventPattern as { 'detail-type': { prefix: string }[] })['detail-type'];
    expect(DOCUMENT_DETAIL_TYPE.startsWith(prefix?.prefix ?? '')).toBe(false);
  });

  it('finds its font beside the bundle, and the console’s URL for the verification links', () => {
    const fn = templates.stateless.toJSON().Resources[fnId] as Resource;
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.DOCUMENT_FONT_PATH).toBe(`/var/task/${DOCUMENT_FONT.name}`);
    expect(env.PUBLIC_BASE_URL).toBe(CONSOLE_ORIGIN);
    expect(env.DOCUMENTS_BUCKET).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DocumentsBucket/) });
    expect(fn.Properties).toMatchObject({ MemorySize: 1024, Timeout: 60 });
  });
});

describe('per stage', () => {
  const lockOf = (t: Template) =>
    documentBucketOf(t)?.Properties.ObjectLockConfiguration as Record<string, unknown> | undefined;
  const corsOf = (t: Template) =>
    (
      documentBucketOf(t)?.Properties.CorsConfiguration as
        | { CorsRules: { AllowedOrigins: string[]; AllowedMethods: string[] }[] }
        | undefined
    )?.CorsRules ?? [];
  const noDomain = { consoleOrigin: '', consoleCertificateArn: '' };
  const prod = synthesize({ context: { stage: 'prod' } });
  // A short GOVERNANCE lock, and neither console domain: no PUT rule.
  const short = synthesize({
    context: { ...noDomain, documentRetentionDays: '1', documentLockMode: 'GOVERNANCE' },
  });
  // No malware protection; the console's CloudFront domain from context.
  const off = synthesize({
    context: {
      ...noDomain,
      malwareProtection: 'false',
      consoleDistributionDomain: 'd111111abcdef8.cloudfront.net',
    },
  });

  it('production locks in COMPLIANCE mode for 30 years; the retention and mode follow the context', () => {
    expect(lockOf(prod.templates.stateful)).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 * 365 } },
    });
    expect(lockOf(short.templates.stateful)).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
    });
  });

  it('without malware protection: no plan, no scan-result function or rule, uploads SKIPPED as turned off', () => {
    off.templates.stateful.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 0);
    off.templates.stateful.resourceCountIs('AWS::IAM::Role', 0);
    expect(off.stateless.documentEvents.scanResult).toBeUndefined();
    expect(off.stateless.functions.has('scan-result')).toBe(false);
    expect(JSON.stringify(off.templates.stateless.toJSON())).not.toMatch(/GuardDuty Malware Protection/);
    // create-upload records each upload SKIPPED with scanReason turned-off (shared/domain/uploads.ts).
    const upload = off.stateless.functions.get('create-upload')?.fn ?? { node: {} };
    const scanEnv = resources(off.templates.stateless, 'AWS::Lambda::Function')
      .map(([id, r]) => [
        id,
        (r.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables?.MALWARE_SCAN,
      ])
      .filter(([, scan]) => scan !== undefined);
    expect(scanEnv).toEqual([[logicalId(off.stateless, upload), 'off']]);
    // The plan's presence is the switch: with it (the default) there is one of each.
    templates.stateful.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 1);
    expect(stateless.functions.has('scan-result')).toBe(true);
  });

  it('without a console domain the CloudFront domain from context may PUT; without either, nobody', () => {
    expect(corsOf(off.templates.stateful).map((r) => [r.AllowedOrigins, r.AllowedMethods])).toEqual([
      [['https://d111111abcdef8.cloudfront.net'], ['PUT', 'GET', 'HEAD']],
      [['*'], ['GET', 'HEAD']],
    ]);
    expect(corsOf(short.templates.stateful).map((r) => [r.AllowedOrigins, r.AllowedMethods])).toEqual([
      [['*'], ['GET', 'HEAD']],
    ]);
  });
});
