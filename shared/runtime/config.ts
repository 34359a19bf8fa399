import * as z from 'zod/mini';
import { malwareScanModes } from '../domain/uploads.ts';

/**
 * Environment of every function, read and checked once at cold start. The local server sets the
 * same variables before it imports the handler modules.
 */
const EnvSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  IDEMPOTENCY_TABLE_NAME: z.string().check(z.minLength(1)),
  /**
   * The key that signs list cursors so that clients cannot forge or edit them, locally and in tests.
   * In AWS, CURSOR_KEY_SECRET_ARN instead: the key is read from Secrets Manager at run time
   * (shared/runtime/secrets.ts), never put in the environment. Not both; a function that uses
   * neither key (no cursor, no public write budget) has neither.
   */
  CURSOR_SECRET: z.optional(z.string().check(z.minLength(16))),
  /** The Secrets Manager secret (its ARN, not a secret) holding the cursor key, in AWS. */
  CURSOR_KEY_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
  /** DynamoDB Local (or another endpoint); absent in AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.string()),
  AWS_REGION: z._default(z.string(), 'cn-north-1'),
  /** The documents bucket (materials and issued PDFs); only the functions that touch files have it. */
  DOCUMENTS_BUCKET: z.optional(z.string()),
  /** An S3-compatible endpoint (the local store); absent in AWS. */
  S3_ENDPOINT: z.optional(z.string()),
  /**
   * `guardduty` where GuardDuty scans the documents bucket: new uploads start PENDING; else SKIPPED
   * with the reason: `off-in-region` (not offered: profile china), `off` (turned off); absent locally.
   */
  MALWARE_SCAN: z.optional(z.enum(malwareScanModes)),
  /** The console's public address: the verification URL printed in each issued document. */
  PUBLIC_BASE_URL: z.optional(z.string()),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new Error(`Missing or invalid environment: ${names}`);
    }
    if (parsed.data.CURSOR_SECRET !== undefined && parsed.data.CURSOR_KEY_SECRET_ARN !== undefined) {
      throw new Error('Missing or invalid environment: CURSOR_SECRET or CURSOR_KEY_SECRET_ARN, not both');
    }
    cached = parsed.data;
  }
  return cached;
}
