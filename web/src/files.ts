/**
 * Files in the console, without the DOM: the upload of one file (hash, announce, PUT, retry), the
 * words for storage's refusals and the API's problem types, the versions of a material, and the
 * file name a download suggests. The pages (uploader.ts, views/) draw what this decides.
 */

/** A material as the API takes it once its bytes are uploaded. */
export interface UploadedMaterial {
  code: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  uploadId: string;
  contentType: string;
}

/** The answer of POST /applications/{id}/uploads: where to PUT the bytes, and how. */
export interface UploadTicket {
  uploadId: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
  material: UploadedMaterial;
}

/** What the browser knows of a picked file before anything is sent. */
export interface Described {
  fileName: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
}

/** The usual content type of each accepted extension (the API's list: shared/domain/file-type.ts). */
export const extensionContentTypes: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  zip: 'application/zip',
};

/**
 * The content type to declare for a file: the usual one of its name's extension (browsers differ,
 * and some know no type for .ofd); for a name the API will refuse anyway, what the browser says.
 */
export function contentTypeOf(fileName: string, browserType = ''): string {
  const dot = fileName.lastIndexOf('.');
  const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  return (
    (Object.hasOwn(extensionContentTypes, ext) ? extensionContentTypes[ext] : undefined) ??
    (browserType || 'application/octet-stream')
  );
}

/** Why a PUT to storage failed, in the few cases a person can act on differently. */
export type PutFailure = 'network' | 'expired' | 'changed' | 'refused' | 'server';

export type PutResult = { ok: true } | { ok: false; failure: PutFailure; status: number };

/** Storage's answer to a PUT, read from its status and (S3's XML) error code. */
export function putResult(status: number, body = ''): PutResult {
  if (status >= 200 && status < 300) return { ok: true };
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? '';
  if (status === 0) return { ok: false, failure: 'network', status };
  if (/expired/i.test(body) || code === 'ExpiredToken') return { ok: false, failure: 'expired', status };
  if (
    /BadDigest|XAmzContentSHA256Mismatch|InvalidDigest|IncompleteBody|SignatureDoesNotMatch/.test(code) ||
    status === 400
  )
    return { ok: false, failure: 'changed', status };
  if (status >= 500) return { ok: false, failure: 'server', status };
  return { ok: false, failure: 'refused', status };
}

/** Whole percent of a transfer, never above 100; an empty file is done at once. */
export const percent = (loaded: number, total: number): number =>
  total <= 0 ? 100 : Math.max(0, Math.min(100, Math.floor((loaded * 100) / total)));

/** A presigned URL still worth trying: a minute to spare, since the PUT itself takes time. */
export const ticketUsable = (ticket: Pick<UploadTicket, 'expiresAt'>, now: number, marginMs = 60_000) =>
  Date.parse(ticket.expiresAt) - now > marginMs;

export type UploadPhase = 'hashing' | 'announcing' | 'uploading' | 'done' | 'failed';

export interface UploadState {
  phase: UploadPhase;
  percent: number;
  /** Set when phase is 'failed': the PUT's failure, or the API's refusal of the announcement. */
  failure?: PutFailure | 'announce' | 'hash';
  /** The API's problem (when the announcement was refused). */
  problem?: unknown;
  material?: UploadedMaterial;
}

export interface UploadSteps {
  hash(): Promise<Described>;
  /** POST /applications/{id}/uploads. */
  announce(described: Described): Promise<UploadTicket>;
  /** The PUT, exactly as the ticket says, reporting bytes sent. */
  put(ticket: UploadTicket, progress: (loaded: number, total: number) => void): Promise<PutResult>;
  now(): number;
}

/**
 * One file's upload. `start()` and `retry()` return the run in progress when one is (a double
 * click starts nothing twice); a retry PUTs to the same presigned URL while it is valid and asks
 * for a new one otherwise. The material is given only once storage took the bytes.
 */
export class FileUpload {
  state: UploadState = { phase: 'hashing', percent: 0 };
  private described: Described | undefined;
  private ticket: UploadTicket | undefined;
  private running: Promise<UploadState> | undefined;

  constructor(
    private readonly steps: UploadSteps,
    private readonly onChange: (state: UploadState) => void = () => undefined,
  ) {}

  start(): Promise<UploadState> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Only a failed upload is retried; otherwise the run in progress (or the result) is returned. */
  retry(): Promise<UploadState> {
    if (this.running) return this.running;
    if (this.state.phase !== 'failed') return Promise.resolve(this.state);
    return this.start();
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  private set(next: UploadState): void {
    this.state = next;
    this.onChange(next);
  }

  private async run(): Promise<UploadState> {
    try {
      if (!this.described) {
        this.set({ phase: 'hashing', percent: 0 });
        this.described = await this.steps.hash();
      }
    } catch (problem) {
      this.set({ phase: 'failed', percent: 0, failure: 'hash', problem });
      return this.state;
    }
    if (!this.ticket || !ticketUsable(this.ticket, this.steps.now())) {
      this.set({ phase: 'announcing', percent: 0 });
      try {
        this.ticket = await this.steps.announce(this.described);
      } catch (problem) {
        this.ticket = undefined;
        this.set({ phase: 'failed', percent: 0, failure: 'announce', problem });
        return this.state;
      }
    }
    const ticket = this.ticket;
    this.set({ phase: 'uploading', percent: 0 });
    let result: PutResult;
    try {
      result = await this.steps.put(ticket, (loaded, total) => {
        this.set({ phase: 'uploading', percent: percent(loaded, total) });
      });
    } catch {
      result = { ok: false, failure: 'network', status: 0 };
    }
    if (!result.ok) {
      // Expired: the next try asks for a new URL; anything else may succeed on the same one.
      if (result.failure === 'expired') this.ticket = undefined;
      this.set({ phase: 'failed', percent: this.state.percent, failure: result.failure });
      return this.state;
    }
    this.set({ phase: 'done', percent: 100, material: ticket.material });
    return this.state;
  }
}

/** The i18n key of a PUT failure's sentence. */
export const failureKey = (failure: NonNullable<UploadState['failure']>) =>
  `uploadFailed_${failure}` as const;

/** The API's problem types a person may meet around files; each has a sentence in i18n.ts (`problem_<type>`). */
export const knownProblems = [
  'material-not-uploaded',
  'material-type-mismatch',
  'materials-not-clean',
  'file-infected',
  'validation',
  'not-found',
  'wrong-role',
  'not-yours',
  'not-allowed-in-state',
  'not-editable',
  'concurrent-change',
  'stale-version',
  'in-flight',
  'rate-limited',
  'too-many-requests',
  // Public participation: comments, the proposal's rules, hearings.
  'comment-period-closed',
  'comment-period-open',
  'comments-unanswered',
  'hearing-window-closed',
  'hearing-too-soon',
  'hearing-too-late',
  'comment-already-answered',
  // Every other type the API answers with (web/src/words/issues.ts).
  'unauthorized',
  'no-organisation',
  'separation-of-duties',
  'conflict-of-interest',
  'body-too-large',
  'not-json',
  'rule',
  'org-mismatch',
  'facts-frozen',
  'conditions-differ-from-notice',
  'idempotency-key-reused',
  'too-large',
  'email-taken',
  'own-roles',
  'last-admin',
  'invalid-config',
  'too-many-uploads',
  'unavailable',
  'internal',
] as const;

/** The i18n key for a problem type, or undefined when the console has no words of its own for it. */
export function problemKey(type: string): `problem_${string}` | undefined {
  return (knownProblems as readonly string[]).includes(type) ? `problem_${type}` : undefined;
}

/** The field of an upload the API refused (POST /uploads issues), as an i18n key `uploadIssue_<field>`. */
export function uploadIssueKey(path: string): `uploadIssue_${string}` | undefined {
  const field = path.split('.')[0] ?? '';
  return ['fileName', 'sizeBytes', 'contentType', 'code', 'sha256'].includes(field)
    ? `uploadIssue_${field}`
    : undefined;
}

/** One stored version of a material (GET /applications/{id}/materials). */
export interface MaterialVersion {
  code: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  contentType?: string;
  uploadedAt: string;
  uploadedBy?: { id: string; name: string } | string;
  scan: 'PENDING' | 'CLEAN' | 'INFECTED' | 'SKIPPED';
  /** Why it was not scanned (with scan SKIPPED); absent on versions recorded before reasons were kept. */
  scanReason?: string;
  current: boolean;
  uploadId: string;
  stored?: boolean;
}

/** Why a version was not scanned, as the API says (`scanReason`); each has its words (web/src/words/scan.ts). */
export const scanReasons = [
  'not-offered-in-region',
  'turned-off',
  'local',
  'unsupported',
  'access-denied',
  'failed',
] as const;

/**
 * The i18n key of a version's scan status: where it was not scanned, the reason in words; a
 * version without a reason, or with one this console does not know, the status alone.
 */
export function scanKey(v: Pick<MaterialVersion, 'scan' | 'scanReason'>): string {
  const known =
    v.scan === 'SKIPPED' && (scanReasons as readonly (string | undefined)[]).includes(v.scanReason);
  return known ? `scanReason_${v.scanReason}` : `scan_${v.scan}`;
}

/** Versions by material code in the order given, each code's versions newest first. */
export function groupVersions(
  versions: readonly MaterialVersion[],
  order: readonly string[] = [],
): [string, MaterialVersion[]][] {
  const by = new Map<string, MaterialVersion[]>();
  for (const code of order) by.set(code, []);
  for (const v of versions) {
    const list = by.get(v.code) ?? [];
    list.push(v);
    by.set(v.code, list);
  }
  for (const list of by.values()) list.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
  return [...by.entries()].filter(([, list]) => list.length > 0);
}

export const uploaderName = (v: MaterialVersion) =>
  typeof v.uploadedBy === 'string' ? v.uploadedBy : (v.uploadedBy?.name ?? '');

/** A size a person reads: bytes, KB, MB (1024-based, one decimal above bytes). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/**
 * The file name of a Content-Disposition header: RFC 6266's `filename*=UTF-8''…` first (the
 * Chinese name), then a plain `filename="…"`; undefined when neither is there or readable.
 */
export function dispositionName(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[^']*'([^;]+)/i.exec(header);
  if (star?.[1] && star[2]) {
    try {
      const charset = star[1].toLowerCase();
      const raw = star[2].trim();
      if (charset === 'utf-8') return decodeURIComponent(raw);
    } catch {
      // A malformed escape: the plain name below, if any.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare?.[1];
}

/** Lower-case hex of a SHA-256 digest. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const digest = await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether a file a person holds is the document: same SHA-256, case and spacing ignored. */
export const sameHash = (a: string | undefined, b: string | undefined) =>
  Boolean(a && b) && a?.trim().toLowerCase() === b?.trim().toLowerCase();

/** A document of a case (GET /applications/{id}/documents). */
export interface CaseDocument {
  documentId: string;
  kind: string;
  number: string;
  issuedOn: string;
  sha256?: string;
  sizeBytes?: number;
  pending?: boolean;
}

/** The public check of a document number (GET /public/documents/{number}). */
export interface DocumentCheck {
  number: string;
  kind: string;
  issuedOn: string;
  sha256: string;
  caseNumber?: string;
  chainVerified: boolean;
}

/** The number from a `#/verify/<number>` route, decoded; undefined when it does not decode. */
export function verifyNumber(param: string): string | undefined {
  try {
    const n = decodeURIComponent(param).trim();
    return n === '' ? undefined : n;
  } catch {
    return undefined;
  }
}

/** The kinds anyone may read by number (GET /public/documents/{number}/file); as shared/domain/documents.ts. */
export const publicFileKinds: readonly string[] = ['APPROVAL', 'REJECTION', 'FILING_RECEIPT'];

/** The console's route to the verification page of a document number. */
export const verifyHash = (number: string) => `#/verify/${encodeURIComponent(number)}`;

/**
 * The files a public notice links to: the public version of the EIA document for any notice of an
 * application that has been accepted (not a filing, which has no public version), and for a
 * decision its document (by number) with the verification page.
 */
export function noticeLinks(n: { noticeId?: string; kind: string; number?: string }): {
  publicVersion?: string;
  decision?: { number: string; file: string; verify: string };
} {
  const out: ReturnType<typeof noticeLinks> = {};
  if (n.noticeId && n.kind !== 'FILING')
    out.publicVersion = `/public/notices/${encodeURIComponent(n.noticeId)}/public-version`;
  if (n.kind === 'DECISION' && n.number)
    out.decision = {
      number: n.number,
      file: `/public/documents/${encodeURIComponent(n.number)}/file`,
      verify: verifyHash(n.number),
    };
  return out;
}
