import { createHash } from 'node:crypto';
import type { DocumentContent } from '../../shared/documents/render.ts';
import type { WorkCalendar } from '../../shared/domain/calendar.ts';
import type { WorkflowConfig } from '../../shared/domain/config.ts';
import { systemStep } from '../../shared/domain/decide.ts';
import type { DocumentRef } from '../../shared/domain/documents.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import { replay } from '../../shared/domain/replay.ts';
import { stepChange } from '../../shared/domain/step-change.ts';
import { systemActorNames } from '../../shared/domain/system-actors.ts';
import type { Application, AuditEvent } from '../../shared/domain/types.ts';
import { documentObjectKey } from '../../shared/domain/uploads.ts';
import type { ApplicationStore, Key, ObjectStore } from '../../shared/store/ports.ts';
import { documentContent } from './content.ts';

/**
 * The documents core (docs/documents.md#written-documents): one document of an application,
 * rendered, stored under its own key and recorded. Safe to run any number of times, at once or
 * after a crash: the object is written only if its key is new (a second run reads the stored one
 * instead), and the `issue_document` event that puts its SHA-256 into the trail is conditioned on
 * the version read; a run that finds the SHA-256 already recorded does nothing.
 */
export interface IssuePorts {
  store: Pick<ApplicationStore, 'get' | 'events' | 'commit'>;
  objects: Pick<ObjectStore, 'putNew' | 'get'>;
  render: (content: DocumentContent) => Promise<Uint8Array>;
  /** The configuration the application follows (shared/runtime/workflow-config.ts configFor). */
  configFor: (app: Application) => Promise<WorkflowConfig>;
  calendar: () => Promise<WorkCalendar>;
  now: () => Date;
  /** The console's address, for the verification URL printed in the document. */
  baseUrl: string;
}

export type IssueOutcome =
  /** Rendered (or found stored) and recorded now. */
  | { outcome: 'issued'; sha256: string; sizeBytes: number; stored: 'created' | 'exists' }
  /** Recorded before: nothing done. */
  | { outcome: 'already'; sha256: string }
  /** No such application or document: nothing to do (logged by the caller). */
  | { outcome: 'unknown' };

/** Attempts at the `issue_document` commit when another change moved the application meanwhile. */
const COMMIT_ATTEMPTS = 5;

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function issueDocument(
  ports: IssuePorts,
  applicationId: string,
  documentId: string,
  requestId: string,
): Promise<IssueOutcome> {
  let loaded = await ports.store.get(applicationId);
  let ref = loaded?.app.documents?.find((d) => d.documentId === documentId);
  if (!loaded || !ref) return { outcome: 'unknown' };
  if (ref.sha256) return { outcome: 'already', sha256: ref.sha256 };

  const [calendar, config] = await Promise.all([ports.calendar(), ports.configFor(loaded.app)]);
  const asIssued = await applicationAt(ports.store, applicationId, ref.seq);
  const bytes = await ports.render(documentContent(ref, asIssued, config, calendar, ports.baseUrl));
  const key = documentObjectKey(applicationId, documentId);
  let body = bytes;
  const stored = await ports.objects.putNew({
    key,
    body: bytes,
    contentType: 'application/pdf',
    sha256: sha256Hex(bytes),
  });
  if (stored === 'exists') {
    // A run before this one stored it and stopped short of recording it: that document stands.
    const found = await ports.objects.get(key);
    if (!found) throw new Error(`${key}: storage said it exists but returned nothing`);
    body = found;
  }
  const sha256 = sha256Hex(body);
  const sizeBytes = body.byteLength;

  for (let attempt = 1; ; attempt++) {
    const { app, headHash } = loaded;
    const storedAt = ports.now().toISOString();
    const documents = (app.documents ?? []).map(
      (d): DocumentRef => (d.documentId === documentId ? { ...d, sha256, sizeBytes, storedAt } : d),
    );
    const step = systemStep(
      app,
      'issue_document',
      { documents },
      { now: ports.now(), requestId, config, calendar },
      { documentId, number: ref.number, sha256, sizeBytes },
      systemActorNames.documents,
    );
    try {
      await ports.store.commit(stepChange(step, headHash, calendar, config));
      return { outcome: 'issued', sha256, sizeBytes, stored };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= COMMIT_ATTEMPTS) throw error;
    }
    // Another change won: read again; another run may have recorded this very document.
    loaded = await ports.store.get(applicationId);
    ref = loaded?.app.documents?.find((d) => d.documentId === documentId);
    if (!loaded || !ref) return { outcome: 'unknown' };
    if (ref.sha256) return { outcome: 'already', sha256: ref.sha256 };
  }
}

/** The application right after event `seq`: its trail replayed that far. */
async function applicationAt(
  store: Pick<ApplicationStore, 'events'>,
  applicationId: string,
  seq: number,
): Promise<Application> {
  const events: AuditEvent[] = [];
  let startKey: Key | undefined;
  do {
    const page = await store.events(applicationId, 100, startKey);
    events.push(...page.items);
    startKey = page.lastKey;
  } while (startKey && events.length < seq);
  return replay(events.slice(0, seq));
}

/**
 * Every document of the application not yet recorded as stored, issued one after the other (the
 * local server runs this right after an act, as the outbox does in AWS).
 */
export async function issuePending(
  ports: IssuePorts,
  applicationId: string,
  requestId: string,
): Promise<IssueOutcome[]> {
  const loaded = await ports.store.get(applicationId);
  const pending = (loaded?.app.documents ?? []).filter((d) => !d.sha256);
  const outcomes: IssueOutcome[] = [];
  for (const d of pending) outcomes.push(await issueDocument(ports, applicationId, d.documentId, requestId));
  return outcomes;
}
