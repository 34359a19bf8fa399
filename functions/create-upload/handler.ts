import { randomUUID } from 'node:crypto';
import { materialCodesOf, type WorkflowConfig } from '../../shared/domain/config.ts';
import { allowedActions, canEdit, isOwner } from '../../shared/domain/decide.ts';
import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  RuleError,
  ValidationError,
} from '../../shared/domain/errors.ts';
import { contentTypeFits, contentTypes, typeOfName } from '../../shared/domain/file-type.ts';
import type { Application, Caller } from '../../shared/domain/types.ts';
import { newUploadScan, type UploadRecord, uploadObjectKey } from '../../shared/domain/uploads.ts';
import { editableStates } from '../../shared/domain/workflow.ts';
import { type AuthedReq, authed } from '../../shared/http/api.ts';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyOf, load, priorResponse } from '../../shared/http/command.ts';
import { attachmentActs, isAttachmentCode, PUT_EXPIRES_SECONDS } from '../../shared/http/materials.ts';
import { json } from '../../shared/http/respond.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getObjectStore, getStore, getUploadStore } from '../../shared/runtime/clients.ts';
import { env } from '../../shared/runtime/config.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';
import { parse } from '../../shared/schemas/parse.ts';
import { type UploadRequest, UploadRequestSchema } from '../../shared/schemas/uploads.ts';
import { IdempotencyRaceError } from '../../shared/store/errors.ts';

/**
 * POST /applications/{id}/uploads: announces one file for a material and answers a presigned PUT
 * pinned to its SHA-256, length and content type (docs/documents.md#uploads). Writes the upload
 * record only: nothing counts as a material until a submission (or an official's act) names it and
 * finds its bytes stored.
 */
export const handler = authed(async (req) => {
  const store = getStore();
  const idem = idempotencyOf(req);
  const found = await load(store, req, req.params.id ?? '', idem);
  if ('replayed' in found) return found.replayed;
  const { app } = found.loaded;
  const parsed = parse(UploadRequestSchema, req.body ?? {});
  // Stored, signed and served as the one spelling the type allows ("application/pdf"), never as
  // sent (" APPLICATION/PDF\n"): the PUT's headers and the download then carry exactly that.
  const input = { ...parsed, contentType: parsed.contentType.trim().toLowerCase() };
  const [calendar, { config, configVersion }] = await Promise.all([getCalendar(), configFor(app)]);
  checkFile(input, config);
  mayUpload(app, req.caller, input.code, () =>
    allowedActions(app, req.caller, { now: req.now, calendar, config, configVersion }),
  );
  await withinUploadLimit(app.id);

  const uploadId = randomUUID();
  const key = uploadObjectKey(app.id, uploadId);
  const put = await getObjectStore().presignPut({
    key,
    sha256: input.sha256,
    sizeBytes: input.sizeBytes,
    contentType: input.contentType,
    expiresInSeconds: PUT_EXPIRES_SECONDS,
  });
  const record: UploadRecord = {
    uploadId,
    applicationId: app.id,
    code: input.code,
    fileName: input.fileName,
    sha256: input.sha256,
    sizeBytes: input.sizeBytes,
    contentType: input.contentType,
    key,
    createdAt: req.now.toISOString(),
    createdBy: { id: req.caller.id, name: req.caller.name },
    expiresAt: put.expiresAt,
    // PENDING where GuardDuty scans the bucket; else SKIPPED, saying why (docs/documents.md#malware-scan).
    ...newUploadScan(env().MALWARE_SCAN),
  };
  const result = json(
    201,
    {
      uploadId,
      url: put.url,
      method: put.method,
      headers: put.headers,
      expiresAt: put.expiresAt,
      material: {
        code: input.code,
        fileName: input.fileName,
        sha256: input.sha256,
        sizeBytes: input.sizeBytes,
        uploadId,
        contentType: input.contentType,
      },
    },
    { location: `/applications/${app.id}/materials/${input.code}?version=${uploadId}` },
  );
  return create(req, record, idem, result);
});

/**
 * Upload records one application may have, every version and every announcement never PUT
 * included: far more than a case needs (a few dozen materials, a few versions each), and a bound
 * on what one applicant can make the service keep.
 */
export const MAX_UPLOADS_PER_APPLICATION = 200;

/**
 * 422 too-many-uploads once the application has its maximum of upload records. Counted before the
 * write, so requests racing past the last free place can overshoot by as many as run at once;
 * a bound on growth, not an exact quota.
 */
async function withinUploadLimit(applicationId: string): Promise<void> {
  const count = (await getUploadStore().list(applicationId)).length;
  if (count >= MAX_UPLOADS_PER_APPLICATION) {
    throw new RuleError(
      'too-many-uploads',
      `this application already has ${count} uploads, the most one application may have (${MAX_UPLOADS_PER_APPLICATION}); name the files already uploaded (GET /applications/${applicationId}/materials) instead of announcing new ones`,
    );
  }
}

/** The record and the response kept for the key's replays, in one transaction. */
async function create(
  req: AuthedReq,
  record: UploadRecord,
  idem: ReturnType<typeof idempotencyOf>,
  result: Awaited<ReturnType<typeof json>>,
) {
  try {
    await getUploadStore().create(
      record,
      idem && {
        scope: idem.scope,
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
        record: {
          requestHash: idem.requestHash,
          statusCode: result.statusCode,
          headers: result.headers,
          body: result.body,
          createdAt: record.createdAt,
        },
      },
    );
  } catch (error) {
    if (!(error instanceof IdempotencyRaceError)) throw error;
    const prior = await priorResponse(getStore(), idem, req.now);
    if (prior) return prior;
    throw new ConflictError('in-flight', 'a request with this Idempotency-Key is in progress; retry shortly');
  }
  return result;
}

/**
 * Who may upload what, now: the owner (or the window for a walk-in) a material of the
 * application's configuration while it is editable; the one who may take an act with attachments
 * its own kind of file while that act is open to them.
 */
function mayUpload(app: Application, caller: Caller, code: string, allowed: () => readonly string[]): void {
  if (isAttachmentCode(code)) {
    const act = attachmentActs[code];
    if (allowed().includes(act)) return;
    if (!caller.roles.includes('reviewer')) {
      throw new ForbiddenError(
        'wrong-role',
        `${code} is uploaded by the case officer (a reviewer) for ${act}`,
      );
    }
    if (app.caseOfficerId !== caller.id) {
      throw new ForbiddenError('not-yours', `only the case officer uploads ${code}`);
    }
    throw new ConflictError(
      'not-allowed-in-state',
      `${code} can be uploaded only while ${act} is open; the application is ${app.state}`,
    );
  }
  if (canEdit(app, caller)) return;
  // The owner as applicant (or the window) at the wrong time; anyone else may never.
  const applicant = caller.roles.includes('applicant') && isOwner(app, caller);
  if (applicant || (app.intake && caller.roles.includes('clerk'))) {
    throw new ConflictError(
      'not-editable',
      `files are uploaded in ${editableStates.join(', ')}; the application is ${app.state}`,
    );
  }
  throw new ForbiddenError('not-yours', 'only the owner uploads the application’s materials');
}

/** The file's size, type and content type against the application's configuration. */
function checkFile(input: UploadRequest, config: WorkflowConfig): void {
  const issues: FieldIssue[] = [];
  const known = materialCodesOf(config);
  if (!known.includes(input.code) && !isAttachmentCode(input.code)) {
    issues.push({
      path: 'code',
      message: `unknown material code; this application's are ${[...known, ...Object.keys(attachmentActs)].join(', ')}`,
    });
  }
  if (input.sizeBytes > config.uploads.maxBytes) {
    issues.push({ path: 'sizeBytes', message: `must be at most ${config.uploads.maxBytes} bytes` });
  }
  const type = typeOfName(input.fileName);
  if (!type || !config.uploads.types.includes(type)) {
    const allowed = config.uploads.types.join(', ');
    issues.push({
      path: 'fileName',
      message: type
        ? `${type} files are not accepted; allowed: ${allowed}`
        : `must end in the extension of an allowed type (${allowed})`,
    });
  } else if (!contentTypeFits(type, input.contentType)) {
    issues.push({
      path: 'contentType',
      message: `a ${type} file is sent as ${contentTypes[type].join(' or ')}`,
    });
  }
  if (issues.length > 0) {
    throw new ValidationError(`Invalid request body: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
}
