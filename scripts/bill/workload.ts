import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the bench measured (bench/results.json), reduced to what the bill multiplies. */
export interface Measured {
  /** When the bench ran. */
  readonly at: string;
  /** API requests of one whole approval as the bench makes them (each act, each upload, the PATCH). */
  readonly apiWritesPerApplication: number;
  /** State changes of one approval (create … approve): each publishes one event. */
  readonly transitionsPerApplication: number;
  /** Documents the documents function issues per approval. */
  readonly documentsPerApplication: number;
  readonly writeUnitsPerApplication: number;
  readonly readUnitsPerApplication: number;
  readonly s3PutsPerApplication: number;
  readonly s3GetsPerApplication: number;
  /** Files uploaded per application. */
  readonly uploadsPerApplication: number;
  /** Mean handler time of a request, ms (in process, against DynamoDB Local). */
  readonly handlerMs: number;
  /** Mean warm render time of a document, ms. */
  readonly documentMs: number;
  /** Mean size of an issued document, bytes. */
  readonly documentBytes: number;
  /** Mean module load time of a function bundle (a cold start's init), ms. */
  readonly coldStartMs: number;
  /** Mean read units of a list or audit page (the scale section). */
  readonly readUnitsPerRead: number;
  /** Read units of one sweep. */
  readonly readUnitsPerSweep: number;
}

/**
 * Everything the bill assumes rather than measures, in one place. Each is a guess about how people
 * use the service; change one here and every figure follows.
 */
export const ASSUMPTIONS = {
  /** GET requests around each write (the case, its timeline, its files or documents, the list it came from). */
  readsPerWrite: 4,
  /** Requests a staff member's console makes on a working day beyond the acts (inbox, lists, cases opened). */
  staffRequestsPerDay: 30,
  workingDaysPerMonth: 21,
  /** API requests behind one public page view (the notices list or a notice with its documents). */
  apiRequestsPerPageView: 2,
  /** Console loads per staff member per working day (each a page view of the console's files). */
  staffConsoleLoadsPerDay: 2,
  /** Months an applicant signs in while an application runs (monthly active users). */
  applicantActiveMonths: 3,
  /** Materials per application (the report, drawings, scans), MB. */
  materialsMbPerApplication: 20,
  /** Messages (e-mail or SMS) per state change: the applicant and the official who acts next. */
  messagesPerTransition: 2,
  /** Bytes each invocation writes to its log group (START, END, REPORT and one structured line). */
  logBytesPerInvocation: 600,
  /** Share of invocations that start cold (init billed since August 2025): a small bureau's traffic is sparse. */
  coldStartShare: 0.5,
  /** A month late in the first year: the table and files hold one year of applications. */
  yearsOfRecords: 1,
  /** Table bytes per application: write units ÷ 2 (transactions write twice) in KB, index copies included — an upper bound. */
  tableKbPerWriteUnit: 0.5,
  /** Bytes of one S3 server access log line and one CloudFront standard log line. */
  s3AccessLogLineBytes: 350,
  cloudfrontLogLineBytes: 500,
  /** Console files when web/dist is not built: three files, ~220 KB (uncompressed; CloudFront gzips). */
  consoleFilesFallback: { files: 3, bytes: 220_000 },
  /** Authorizer cache hits (china: the Lambda authorizer's answers are cached per token for 5 minutes). */
  authorizerCacheHitShare: 0.8,
  /** Staff time to keep it running, hours a month: stated, not priced. */
  serverlessStaffHours: 1,
  selfHostedStaffHours: 8,
  /** Self-hosted: the VM's disk and the database's minimum disk, GB. */
  vmDiskGb: 30,
  databaseMinGb: 20,
} as const;

interface BenchWork {
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly s3?: Record<string, number>;
}
interface BenchResults {
  readonly at?: string;
  readonly work?: {
    readonly perStep?: readonly { readonly name: string; readonly work: BenchWork }[];
    readonly approval?: BenchWork;
  };
  readonly overhead?: {
    readonly transitions?: number;
    readonly perStep?: readonly { readonly name: string; readonly handlerMs: number }[];
  };
  readonly documents?: { readonly perKind?: readonly { readonly warmMs: number; readonly bytes: number }[] };
  readonly coldStart?: {
    readonly figures?: readonly { readonly kind: string; readonly loadMs: number }[];
  };
  readonly scale?: readonly {
    readonly reads?: readonly { readonly name: string; readonly work: BenchWork }[];
  }[];
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench/results.json has no ${what}: run npm run bench first`);
  return value;
}

const S3_PUTS = ['PUT (presigned)', 'PutObject'];
const S3_GETS = ['HeadObject', 'GetObject'];

/** Reduces the bench's results to per-application units. Throws naming what is missing. */
export function measuredFrom(results: BenchResults): Measured {
  const steps = need(results.work?.perStep, 'work.perStep');
  const approval = need(results.work?.approval, 'work.approval');
  let apiWrites = 0;
  let transitions = 0;
  let documents = 0;
  let uploads = 0;
  for (const step of steps) {
    if (step.name.startsWith('document')) {
      documents += 1;
      continue;
    }
    const presigned = step.work.s3?.['PUT (presigned)'] ?? 0;
    if (presigned > 0) {
      // One POST /uploads per file, then one PATCH naming them.
      uploads += presigned;
      apiWrites += presigned + 1;
    } else {
      apiWrites += 1;
      transitions += 1;
    }
  }
  const s3 = approval.s3 ?? {};
  const sum = (names: readonly string[]) => names.reduce((n, k) => n + (s3[k] ?? 0), 0);
  const overheadSteps = need(results.overhead?.perStep, 'overhead.perStep');
  const overheadTransitions = need(results.overhead?.transitions, 'overhead.transitions');
  const rounds = overheadTransitions / Math.max(overheadSteps.length, 1);
  const handlerMs = mean(overheadSteps.map((s) => s.handlerMs / rounds));
  const kinds = results.documents?.perKind ?? [];
  const functions = (results.coldStart?.figures ?? []).filter((f) => f.kind === 'function');
  const reads = results.scale?.[0]?.reads ?? [];
  const sweep = reads.find((r) => r.name.startsWith('sweep'));
  return {
    at: results.at ?? 'unknown',
    apiWritesPerApplication: apiWrites,
    transitionsPerApplication: transitions,
    documentsPerApplication: documents,
    writeUnitsPerApplication: approval.writeUnits,
    readUnitsPerApplication: approval.readUnits,
    s3PutsPerApplication: sum(S3_PUTS),
    s3GetsPerApplication: sum(S3_GETS),
    uploadsPerApplication: uploads,
    handlerMs,
    documentMs: mean(kinds.map((k) => k.warmMs)),
    documentBytes: mean(kinds.map((k) => k.bytes)),
    coldStartMs: mean(functions.map((f) => f.loadMs)),
    readUnitsPerRead: mean(reads.filter((r) => !r.name.startsWith('sweep')).map((r) => r.work.readUnits)),
    readUnitsPerSweep: sweep?.work.readUnits ?? 0,
  };
}

export function readMeasured(path: string): Measured {
  return measuredFrom(JSON.parse(readFileSync(path, 'utf8')) as BenchResults);
}

/** The console's files (web/dist) as one page view downloads them; a stated fallback when not built. */
export function consoleFiles(dir: string): { files: number; bytes: number; measured: boolean } {
  if (!existsSync(dir)) return { ...ASSUMPTIONS.consoleFilesFallback, measured: false };
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (/\.(html|js|css)$/.test(name)) {
        files += 1;
        bytes += stat.size;
      }
    }
  };
  walk(dir);
  return files === 0
    ? { ...ASSUMPTIONS.consoleFilesFallback, measured: false }
    : { files, bytes, measured: true };
}
