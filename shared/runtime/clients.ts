import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applicationStore } from '../store/application-store.ts';
import { auditStore } from '../store/audit-store.ts';
import { bureauStore } from '../store/bureau-store.ts';
import { digestStore } from '../store/digest-store.ts';
import { inboxStore } from '../store/inbox-store.ts';
import { objectStore } from '../store/object-store.ts';
import type {
  ApplicationStore,
  AuditStore,
  BureauStore,
  DigestStore,
  InboxStore,
  ObjectStore,
  StatsStore,
  UploadStore,
} from '../store/ports.ts';
import { statsStore } from '../store/stats-store.ts';
import { uploadStore } from '../store/upload-store.ts';
import { env } from './config.ts';

/** One DynamoDB client per cold start, shared by the stores and reused by every invocation. */
let doc: DynamoDBDocumentClient | undefined;
let store: ApplicationStore | undefined;
let audit: AuditStore | undefined;
let digests: DigestStore | undefined;
let stats: StatsStore | undefined;
let bureau: BureauStore | undefined;
let objects: ObjectStore | undefined;

function documentClient(): DynamoDBDocumentClient {
  if (!doc) {
    const { DYNAMODB_ENDPOINT, AWS_REGION } = env();
    const client = new DynamoDBClient({
      region: AWS_REGION,
      ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
      // The SDK's default waits up to minutes on a stuck socket, past the function's 10 s timeout;
      // failing fast turns it into a retry and, at worst, a 503 with Retry-After. A retried
      // transaction keeps its ClientRequestToken, so it is applied at most once. Four attempts of
      // 1.5 s and their backoff stay inside the function's 10 s. DynamoDB Local on
      // a loaded laptop is slower than DynamoDB: it gets more room.
      requestHandler: {
        connectionTimeout: DYNAMODB_ENDPOINT ? 10_000 : 1_000,
        requestTimeout: DYNAMODB_ENDPOINT ? 30_000 : 1_500,
        throwOnRequestTimeout: true,
      },
    });
    doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }
  return doc;
}

/** The shared DynamoDB client itself, for a call no store makes (shared/http/public-limit.ts). */
export function getDocumentClient(): DynamoDBDocumentClient {
  return documentClient();
}

export function getStore(): ApplicationStore {
  store ??= applicationStore(documentClient(), {
    table: env().TABLE_NAME,
    idempotencyTable: env().IDEMPOTENCY_TABLE_NAME,
  });
  return store;
}

/** The audit functions' store. */
export function getAuditStore(): AuditStore {
  audit ??= auditStore(documentClient(), env().TABLE_NAME);
  return audit;
}

/** GET /stats's reads: the action index and the applications' categories. */
export function getStatsStore(): StatsStore {
  stats ??= statsStore(documentClient(), env().TABLE_NAME);
  return stats;
}

/** The daily digests: written by the sweeper, read by the audit functions. */
export function getDigestStore(): DigestStore {
  digests ??= digestStore(documentClient(), env().TABLE_NAME);
  return digests;
}

/** The bureau's data (calendar, …) and its audit stream: the admin routes, the loaders, the sweeper. */
export function getBureauStore(): BureauStore {
  bureau ??= bureauStore(documentClient(), env().TABLE_NAME);
  return bureau;
}

/**
 * The documents bucket (DOCUMENTS_BUCKET): S3 in AWS, the local store at S3_ENDPOINT (path-style
 * URLs, as a local server has no per-bucket host names). Only the functions that touch files call it.
 */
export function getObjectStore(): ObjectStore {
  if (!objects) {
    const { DOCUMENTS_BUCKET, S3_ENDPOINT, AWS_REGION } = env();
    if (!DOCUMENTS_BUCKET) throw new Error('Missing environment: DOCUMENTS_BUCKET');
    const client = new S3Client({
      region: AWS_REGION,
      ...(S3_ENDPOINT ? { endpoint: S3_ENDPOINT, forcePathStyle: true } : {}),
      // Checksums only where we give them (the SHA-256 of an upload or a PDF): the SDK's own CRC32
      // would be signed into presigned PUTs that a browser cannot reproduce.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: S3_ENDPOINT ? 10_000 : 2_000,
        requestTimeout: S3_ENDPOINT ? 30_000 : 5_000,
        throwOnRequestTimeout: true,
      },
    });
    objects = objectStore(client, DOCUMENTS_BUCKET);
  }
  return objects;
}

let uploads: UploadStore | undefined;

/** The upload records beside each application (POST /uploads, the materials routes, the scan result). */
export function getUploadStore(): UploadStore {
  uploads ??= uploadStore(documentClient(), {
    table: env().TABLE_NAME,
    idempotencyTable: env().IDEMPOTENCY_TABLE_NAME,
  });
  return uploads;
}

let inbox: InboxStore | undefined;

/** Each user's inbox: written by the notifier (and locally by the server), read by GET /inbox. */
export function getInboxStore(): InboxStore {
  inbox ??= inboxStore(documentClient(), env().TABLE_NAME);
  return inbox;
}
