import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { STAGE, synthesize } from './synth.ts';

const { app, nag, assembly } = synthesize();

/** Every acknowledgement in the tree: where, which finding, why. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^[^:]+::/, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding', () => {
    const findings = nag.validateScope(app).violations.map((v) => ({
      rule: v.ruleName,
      at: v.violatingResources.map((r) => r.constructPath),
    }));
    expect(findings).toEqual([]);
  });

  it('leaves a clean validation report in the cloud assembly', () => {
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((p: { violations?: unknown[] }) => p.violations ?? [])).toEqual([]);
  });

  it('is live: an unacknowledged finding fails the synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'eia-cdk-'));
    try {
      const context = { stage: STAGE, 'aws:cdk:bundling-stacks': [] };
      const canary = buildApp(new App({ context, outdir }));
      new Topic(canary.stateless, 'PlainTopic');
      expect(() => canary.app.synth()).toThrow(/AwsSolutions-SNS3/);
      const rules = canary.nag.validateScope(canary.app).violations.map((v) => v.ruleName);
      expect(rules).toContain('AwsSolutions-SNS3');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('acknowledges only these findings, each by its exact id and with a reason', () => {
    const all = acknowledgements(app);
    expect([...new Set(all.map((a) => a.id))].sort()).toEqual([
      // The REST API: validation and execution logs (infra/http-api.ts).
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG6',
      // The web console's distribution and bucket, and CDK's BucketDeployment handler (infra/web-console.ts).
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      // API Gateway's account-wide role for REST stages' access logs (infra/http-api.ts).
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<ConsoleFiles2D43986C.Arn>/*]',
      // GuardDuty's role: the uploads and GuardDuty's own managed rule (infra/documents-bucket.ts).
      'AwsSolutions-IAM5[Resource::<DocumentsBucket089EA665.Arn>/materials/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      // The functions' objects under one prefix of the documents bucket (infra/eia-function.ts bindBucket).
      'AwsSolutions-IAM5[Resource::eia-test-documents-bucket-arn/documents/*]',
      'AwsSolutions-IAM5[Resource::eia-test-documents-bucket-arn/materials/*]',
      'AwsSolutions-L1',
      // The console's bucket and its logs bucket, and the documents bucket's access-log bucket (infra/documents-bucket.ts).
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
    for (const { path, reason } of all) expect(reason.length, path).toBeGreaterThan(40);
  });

  it('acknowledges API Gateway findings on the REST API and its stage only, and no missing authorizer', () => {
    const api = acknowledgements(app)
      .filter((a) => a.id.startsWith('AwsSolutions-APIG') || a.id.startsWith('AwsSolutions-COG'))
      .map((a) => `${a.id} ${a.path.split('/').slice(-2).join('/')}`);
    expect(api.sort()).toEqual([
      'AwsSolutions-APIG2 Api/Resource',
      'AwsSolutions-APIG6 Api/DeploymentStage.api',
    ]);
  });

  it('acknowledges "no dead-letter queue" on the dead-letter queues only', () => {
    const dlq = acknowledgements(app)
      .filter((a) => a.id === 'AwsSolutions-SQS3')
      .map((a) => a.path.split('/').slice(-2).join('/'));
    expect(dlq.sort()).toEqual([
      'Documents/DocumentFailures',
      'Documents/ScanFailures',
      'Notifications/NotifyFailures',
      'Notifications/PublishFailures',
    ]);
  });

  it('acknowledges "no access logs" on the console bucket and the log buckets only', () => {
    const unlogged = acknowledgements(app)
      .filter((a) => a.id === 'AwsSolutions-S1')
      .map((a) => a.path.split('/').slice(-2).join('/'));
    expect(unlogged.sort()).toEqual(['Console/Files', 'Console/Logs', 'Documents/AccessLogs']);
  });
});
