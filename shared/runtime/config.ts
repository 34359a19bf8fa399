import * as z from 'zod/mini';

/**
 * Environment of every function, read and checked once at cold start. The local server sets the
 * same variables before it imports the handler modules.
 */
const EnvSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  IDEMPOTENCY_TABLE_NAME: z.string().check(z.minLength(1)),
  /** Signs list cursors so that clients cannot forge or edit them. */
  CURSOR_SECRET: z.string().check(z.minLength(16)),
  /** DynamoDB Local (or another endpoint); absent in AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.string()),
  AWS_REGION: z._default(z.string(), 'cn-north-1'),
  /** The documents bucket (materials and issued PDFs); only the functions that touch files have it. */
  DOCUMENTS_BUCKET: z.optional(z.string()),
  /** An S3-compatible endpoint (the local store); absent in AWS. */
  S3_ENDPOINT: z.optional(z.string()),
  /** `guardduty` where GuardDuty scans the documents bucket: new uploads start PENDING; else SKIPPED. */
  MALWARE_SCAN: z.optional(z.string()),
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
    cached = parsed.data;
  }
  return cached;
}
