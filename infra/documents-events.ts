import { Duration, Validations } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../functions/publisher/event-bridge.ts';
import { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE } from '../functions/scan-result/scan.ts';
import { DOCUMENT_DETAIL_TYPE } from '../shared/domain/document-outbox.ts';
import { EiaFunction } from './eia-function.ts';
import type { AlarmSpec } from './operations.ts';
import type { StageSettings } from './stage-settings.ts';

/**
 * The Chinese font the documents function embeds (a subset per PDF), copied beside its bundle
 * under its own name, where shared/documents/font.ts also looks without DOCUMENT_FONT_PATH.
 */
export const DOCUMENT_FONT = {
  from: 'node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf',
  name: 'NotoSansHans-Regular.otf',
} as const;
/** Where Lambda puts the function's code (LAMBDA_TASK_ROOT). */
const TASK_ROOT = '/var/task';

export interface DocumentsEventsProps {
  readonly settings: StageSettings;
  /** The service's bus: the publisher puts each outbox `document` item on it. */
  readonly bus: IEventBus;
  readonly bucket: IBucket;
  /** Whether GuardDuty scans the bucket's uploads (stage setting malwareProtection). */
  readonly malwareProtection: boolean;
  /** The console's URL: the verification link in each PDF and its QR code (always, once deployed). */
  readonly publicBaseUrl?: string;
}

/**
 * The event-driven side of documents (docs/documents.md):
 *
 *   bus ─(eia.document.issue)→ documents ─→ PDF in documents/…, issue_document event
 *   default bus ─(GuardDuty Object Scan Result, materials/…)→ scan-result ─→ upload record's scan
 *
 * Like the notifier: EventBridge retries the hand-over, Lambda retries a function that throws, and
 * what still fails lands in a dead-letter queue whose first message raises an alarm. The documents
 * function is idempotent (a retry or a replay from the bus archive finds the same document).
 */
export class DocumentsEvents extends Construct {
  readonly documents: EiaFunction;
  readonly documentFailures: Queue;
  readonly scanResult?: EiaFunction;
  readonly scanFailures?: Queue;

  constructor(scope: Construct, id: string, props: DocumentsEventsProps) {
    super(scope, id);
    const { settings, bus, bucket } = props;

    this.documentFailures = this.deadLetters('DocumentFailures');
    // Rendering subsets a CJK font: CPU-bound, so more memory (Lambda's CPU grows with it) and time.
    this.documents = new EiaFunction(this, 'documents', {
      name: 'documents',
      settings,
      memoryMb: 1024,
      timeout: Duration.seconds(60),
      files: [DOCUMENT_FONT],
    });
    this.documents.addEnvironment('DOCUMENT_FONT_PATH', `${TASK_ROOT}/${DOCUMENT_FONT.name}`);
    if (props.publicBaseUrl) this.documents.addEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl);
    this.retried(this.documents, this.documentFailures);
    new Rule(this, 'ToDocuments', {
      eventBus: bus,
      description: `eia ${settings.stage}: render and store each issued document`,
      eventPattern: { source: [EVENT_SOURCE], detailType: [DOCUMENT_DETAIL_TYPE] },
      targets: [this.target(this.documents, this.documentFailures)],
    });

    if (props.malwareProtection) {
      this.scanFailures = this.deadLetters('ScanFailures');
      this.scanResult = new EiaFunction(this, 'scan-result', { name: 'scan-result', settings });
      this.retried(this.scanResult, this.scanFailures);
      // GuardDuty puts its results on the account's default bus (no eventBus: the default one).
      new Rule(this, 'ScanResults', {
        description: `eia ${settings.stage}: GuardDuty's scan results for uploads into their records`,
        eventPattern: {
          source: [SCAN_RESULT_SOURCE],
          detailType: [SCAN_RESULT_DETAIL_TYPE],
          detail: {
            s3ObjectDetails: { bucketName: [bucket.bucketName], objectKey: Match.prefix('materials/') },
          },
        },
        targets: [this.target(this.scanResult, this.scanFailures)],
      });
    }
  }

  private deadLetters(name: string): Queue {
    const queue = new Queue(this, name, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue; an alarm fires on its first message.',
    });
    return queue;
  }

  /** Lambda's own retries of an event the function threw on, then the queue (with the error). */
  private retried(fn: EiaFunction, failures: Queue): void {
    fn.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(failures),
    });
  }

  /** EventBridge's retries of the hand-over to Lambda, then the same queue. */
  private target(fn: EiaFunction, failures: Queue): LambdaFunction {
    return new LambdaFunction(fn.fn, {
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
      deadLetterQueue: failures,
    });
  }

  /** For the alarm topic: a message in either dead-letter queue. */
  alarms(): AlarmSpec[] {
    const visible = (q: Queue): IMetric =>
      q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    const specs: AlarmSpec[] = [
      {
        id: 'document-failures',
        metric: visible(this.documentFailures),
        threshold: 1,
        description:
          'Documents the documents function failed on (each message holds the event and the error): fix, then replay from the bus archive; a replay never issues a second document',
      },
    ];
    if (this.scanFailures) {
      specs.push({
        id: 'scan-failures',
        metric: visible(this.scanFailures),
        threshold: 1,
        description:
          "GuardDuty scan results not written into their upload records (the upload stays PENDING): fix, then send the message's event to the scan-result function again",
      });
    }
    return specs;
  }
}
