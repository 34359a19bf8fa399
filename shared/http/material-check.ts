import type { WorkflowConfig } from '../domain/config.ts';
import { type FieldIssue, RuleError } from '../domain/errors.ts';
import { checkType, SNIFF_BYTES, typeNames } from '../domain/file-type.ts';
import { ruleIssue } from '../domain/rules.ts';
import type { Application, Material } from '../domain/types.ts';
import type { UploadRecord } from '../domain/uploads.ts';
import type { ObjectStore, UploadStore, UploadStored } from '../store/ports.ts';

/**
 * Every material is a file (docs/documents.md#submission-checks): an act that names materials
 * (submit, resubmit, submit_revision) or attachments (record_expert_opinion,
 * record_hearing_outcome) counts each only when its upload record says the same code, file name,
 * SHA-256 and size, storage holds the bytes with that size (and that SHA-256, by storage's own
 * checksum), and those bytes are what the name says. The act's transaction then marks the records
 * stored. A record already marked stored by an earlier act was checked then: it costs no storage
 * read again.
 */

/** What the check reads: the upload records and storage. Made only when there is something to read. */
export interface MaterialPorts {
  uploads: () => Pick<UploadStore, 'list'>;
  objects: () => Pick<ObjectStore, 'head' | 'readStart'>;
}

/** One material to check, and the field of the request (or of the application) it is. */
export interface Named {
  material: Material;
  path: string;
}

/** An upload record as read, and what the check found: the act's transaction marks it stored. */
export type StoredMark = { record: UploadRecord; stored: UploadStored };

/** How many files are looked at in storage at once. */
const PARALLEL = 8;

const label = (m: Material) => `${m.code} (${m.fileName})`;
/** The material an issue is about, as a rule's values (shared/domain/rules.ts). */
const fileOf = (m: Material) => ({ code: m.code, fileName: m.fileName });

/**
 * Checks the named materials of `app`; the upload records to mark stored in the act's
 * transaction (those not marked yet). 422 `material-not-uploaded` naming every material whose
 * file is not there as declared; else 422 `material-type-mismatch` naming every one whose bytes
 * are not what its name says, or a type the configuration does not take.
 */
export async function checkMaterials(
  app: Pick<Application, 'id'>,
  named: readonly Named[],
  config: Pick<WorkflowConfig, 'uploads'>,
  ports: MaterialPorts,
  at: string,
): Promise<StoredMark[]> {
  if (named.length === 0) return [];
  const withId = named.filter((n) => n.material.uploadId !== undefined);
  const records =
    withId.length === 0
      ? new Map<string, UploadRecord>()
      : new Map((await ports.uploads().list(app.id)).map((r) => [r.uploadId, r]));

  const missing: FieldIssue[] = [];
  const mismatched: FieldIssue[] = [];
  const marks: StoredMark[] = [];
  const toRead: { n: Named; record: UploadRecord }[] = [];

  for (const n of named) {
    const { material: m, path } = n;
    const record = m.uploadId === undefined ? undefined : records.get(m.uploadId);
    const why = recordMismatch(m, record, app.id);
    if (why || !record) {
      missing.push(ruleIssue(path, `${label(m)}: ${why}`, 'upload-unknown', fileOf(m)));
      continue;
    }
    if (record.storedAt && record.detectedType) {
      // Checked by an earlier act; only the configuration's types may have narrowed since.
      if (!config.uploads.types.includes(record.detectedType))
        mismatched.push(
          ruleIssue(path, notTaken(m, record.detectedType), 'type-not-taken', {
            ...fileOf(m),
            type: record.detectedType,
          }),
        );
      continue;
    }
    toRead.push({ n, record });
  }

  const objects = toRead.length > 0 ? ports.objects() : undefined;
  await inBatches(toRead, PARALLEL, async ({ n, record }) => {
    const { material: m, path } = n;
    const found = await objects?.head(record.key);
    if (!found) {
      missing.push(
        ruleIssue(
          path,
          `${label(m)}: its bytes were never stored; PUT them to the upload URL`,
          'bytes-missing',
          fileOf(m),
        ),
      );
      return;
    }
    if (found.sizeBytes !== m.sizeBytes) {
      missing.push(
        ruleIssue(
          path,
          `${label(m)}: storage holds ${found.sizeBytes} bytes, not the ${m.sizeBytes} declared; upload it again`,
          'size-differs',
          fileOf(m),
        ),
      );
      return;
    }
    if (found.sha256 !== undefined && found.sha256 !== m.sha256) {
      missing.push(
        ruleIssue(
          path,
          `${label(m)}: the stored bytes have another SHA-256 than declared; upload it again`,
          'sha-differs',
          fileOf(m),
        ),
      );
      return;
    }
    const start = (await objects?.readStart(record.key, SNIFF_BYTES)) ?? new Uint8Array();
    const type = checkType(m.fileName, start);
    if (!type.ok) {
      mismatched.push(
        type.claimed
          ? ruleIssue(path, `${m.code}: ${type.message}`, 'type-mismatch', {
              ...fileOf(m),
              claimed: type.claimed,
              ...(type.found.type ? { found: type.found.type } : {}),
            })
          : ruleIssue(path, `${m.code}: ${type.message}`, 'no-file-type', fileOf(m)),
      );
      return;
    }
    if (!config.uploads.types.includes(type.type)) {
      mismatched.push(
        ruleIssue(path, notTaken(m, type.type), 'type-not-taken', { ...fileOf(m), type: type.type }),
      );
      return;
    }
    marks.push({ record, stored: { storedAt: at, detectedType: type.type } });
  });

  const order = (a: FieldIssue, b: FieldIssue) => a.path.localeCompare(b.path, 'en', { numeric: true });
  if (missing.length > 0) {
    missing.sort(order);
    throw new RuleError(
      'material-not-uploaded',
      `not uploaded: ${codesOf(missing)}. Upload each file (POST /applications/${app.id}/uploads), PUT its bytes to the URL given, and name it as the upload answered.`,
      { issues: missing },
    );
  }
  if (mismatched.length > 0) {
    mismatched.sort(order);
    throw new RuleError(
      'material-type-mismatch',
      `the content is not what the name says: ${mismatched.map((i) => i.message).join('; ')}`,
      { issues: mismatched },
    );
  }
  return marks;
}

/** Why a material does not name an upload of this application as it was announced; undefined when it does. */
function recordMismatch(m: Material, record: UploadRecord | undefined, applicationId: string) {
  if (m.uploadId === undefined)
    return 'no uploadId: every material is a file now; upload it and name the uploadId answered';
  if (!record || record.applicationId !== applicationId) return `no upload ${m.uploadId} on this application`;
  const differs = (['code', 'fileName', 'sha256', 'sizeBytes'] as const).filter((f) => record[f] !== m[f]);
  if (differs.length > 0) return `upload ${m.uploadId} was announced with another ${differs.join(', ')}`;
  return undefined;
}

function notTaken(m: Material, type: keyof typeof typeNames) {
  return `${m.code}: ${m.fileName} is ${typeNames[type]}, a type the bureau does not take now`;
}

/** The codes the issues are about (each message starts with one), each once, in their order. */
function codesOf(issues: readonly FieldIssue[]): string {
  return [...new Set(issues.map((i) => /^[A-Z][A-Z0-9_]*/.exec(i.message)?.[0] ?? i.path))].join(', ');
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * The materials of an application an act names, with the field each is: those of the request
 * body at their place in it (`materials.<i>`), the others the application already holds at
 * theirs (`application.materials.<i>`).
 */
export function namedMaterials(next: readonly Material[], payload: readonly Material[] = []): Named[] {
  const inPayload = new Map(payload.map((m, i) => [m.code, i]));
  return next.map((material, i) => {
    const j = inPayload.get(material.code);
    return { material, path: j === undefined ? `application.materials.${i}` : `materials.${j}` };
  });
}

/**
 * Accept only once every current material's scan is over and clean (or skipped where there is no
 * scanner): 422 `materials-not-clean` naming each still PENDING or INFECTED.
 */
export async function checkClean(
  app: Pick<Application, 'id' | 'materials'>,
  ports: Pick<MaterialPorts, 'uploads'>,
): Promise<void> {
  const current = app.materials.flatMap((m, i) => (m.uploadId === undefined ? [] : [{ m, i }]));
  if (current.length === 0) return;
  const records = new Map((await ports.uploads().list(app.id)).map((r) => [r.uploadId, r]));
  const issues: FieldIssue[] = [];
  for (const { m, i } of current) {
    const scan = m.uploadId === undefined ? undefined : records.get(m.uploadId)?.scan;
    if (scan === 'PENDING')
      issues.push(
        ruleIssue(
          `materials.${i}`,
          `${label(m)}: the malware scan has not finished`,
          'scan-pending',
          fileOf(m),
        ),
      );
    if (scan === 'INFECTED')
      issues.push(
        ruleIssue(
          `materials.${i}`,
          `${label(m)}: the malware scan found it infected; the applicant must replace it`,
          'scan-infected',
          fileOf(m),
        ),
      );
  }
  if (issues.length > 0) {
    throw new RuleError(
      'materials-not-clean',
      `not clean yet: ${codesOf(issues)}. Accept once every material's scan is over and clean; an infected one must be replaced (request a supplement).`,
      { issues },
    );
  }
}

/**
 * The checks of one act that `decide` allowed, before it is committed: the upload records its
 * transaction marks stored. Nothing to check (and nothing read) for the other actions.
 */
export async function checkAct(
  action: string,
  before: Pick<Application, 'id' | 'materials'>,
  next: Pick<Application, 'id' | 'materials'>,
  payload: unknown,
  config: Pick<WorkflowConfig, 'uploads'>,
  ports: MaterialPorts,
  at: string,
): Promise<StoredMark[]> {
  const body = (payload ?? {}) as { materials?: Material[]; attachments?: Material[] };
  switch (action) {
    case 'submit':
    case 'resubmit':
    case 'submit_revision':
      return checkMaterials(next, namedMaterials(next.materials, body.materials), config, ports, at);
    case 'record_expert_opinion':
    case 'record_hearing_outcome':
      return checkMaterials(
        next,
        (body.attachments ?? []).map((material, i) => ({ material, path: `attachments.${i}` })),
        config,
        ports,
        at,
      );
    case 'accept':
      await checkClean(before, ports);
      return [];
    default:
      return [];
  }
}
