/**
 * The documents core (functions/documents/issue.ts) with S3 mocked (aws-sdk-client-mock, through
 * the real ObjectStore adapter) and the application's table as a small in-memory store that keeps
 * commit's condition on the version: a document is stored once and recorded once, whatever is
 * retried or replayed.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type IssuePorts, issueDocument, issuePending } from '../../../../functions/documents/issue.ts';
import type { DocumentContent } from '../../../../shared/documents/render.ts';
import { chain, GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { verifyTrail } from '../../../../shared/domain/audit-verify.ts';
import { chinaCalendar } from '../../../../shared/domain/calendar.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { systemStep } from '../../../../shared/domain/decide.ts';
import { ConflictError } from '../../../../shared/domain/errors.ts';
import type { StepChange } from '../../../../shared/domain/step-change.ts';
import type { Application, AuditEvent } from '../../../../shared/domain/types.ts';
import { objectStore } from '../../../../shared/store/object-store.ts';
import type { Loaded } from '../../../../shared/store/ports.ts';
import { act, at, callers, driveTo, payloads, type Trail } from '../../shared/domain/fixtures.ts';

const client = new S3Client({
  region: 'cn-north-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const s3 = mockClient(S3Client);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The table: the application item and its chained trail; commit conditioned on the version. */
function memoryStore(trail: Trail) {
  const events: AuditEvent[] = [];
  let prev = GENESIS;
  for (const e of trail.events) {
    const chained = chain(e, prev);
    events.push(chained);
    prev = chained.hash;
  }
  let loaded: Loaded = { app: trail.app, headHash: prev };
  const commits: StepChange[] = [];
  /** Runs once, right before the next commit is checked: another writer getting in first. */
  let interloper: (() => void) | undefined;
  return {
    trail: events,
    commits,
    current: () => loaded,
    interfere(fn: () => void) {
      interloper = fn;
    },
    /** Another change committed meanwhile (not through the core). */
    put(app: Application, event: AuditEvent) {
      events.push(event);
      loaded = { app, headHash: event.hash };
    },
    async get(id: string) {
      return id === loaded.app.id ? structuredClone(loaded) : undefined;
    },
    async events(_id: string, limit: number, startKey?: Record<string, unknown>) {
      const from = Number(startKey?.n ?? 0);
      const items = events.slice(from, from + limit);
      return from + limit < events.length ? { items, lastKey: { n: from + limit } } : { items };
    },
    async commit(change: StepChange) {
      const run = interloper;
      interloper = undefined;
      run?.();
      if (change.event.seq !== loaded.app.version + 1 || change.event.prevHash !== loaded.headHash)
        throw new ConflictError('concurrent-change', 'version moved');
      commits.push(change);
      events.push(change.event);
      loaded = { app: change.app, headHash: change.event.hash };
    },
  };
}

/** A renderer that is deterministic like the real one, and says what it was given. */
const rendered: DocumentContent[] = [];
async function render(content: DocumentContent): Promise<Uint8Array> {
  rendered.push(content);
  return new TextEncoder().encode(`%PDF-1.7 ${content.kind} ${content.number} ${JSON.stringify(content)}`);
}

function portsFor(store: ReturnType<typeof memoryStore>): IssuePorts {
  return {
    store,
    objects: objectStore(client, 'eia-documents'),
    render,
    configFor: async () => defaultConfig,
    calendar: async () => chinaCalendar,
    now: () => new Date('2026-03-20T02:00:00Z'),
    baseUrl: 'https://eia.example.cn',
  };
}

const approved = () => driveTo('APPROVED');
const approvalOf = (app: Application) => {
  const ref = app.documents?.find((d) => d.kind === 'APPROVAL');
  if (!ref) throw new Error('no approval');
  return ref;
};
const body = (bytes: Uint8Array) => ({ Body: { transformToByteArray: async () => bytes } }) as never;

beforeEach(() => {
  s3.reset();
  rendered.length = 0;
});

describe('issueDocument', () => {
  it('renders, stores under its own key only if new, and records the SHA-256 in an issue_document event', async () => {
    const store = memoryStore(approved());
    const ref = approvalOf(store.current().app);
    s3.on(PutObjectCommand).resolves({});

    const outcome = await issueDocument(portsFor(store), store.current().app.id, ref.documentId, 'req-doc');

    const put = s3.commandCalls(PutObjectCommand);
    expect(put).toHaveLength(1);
    const input = put[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'eia-documents',
      Key: `documents/${store.current().app.id}/${ref.documentId}.pdf`,
      ContentType: 'application/pdf',
      IfNoneMatch: '*',
    });
    const bytes = input?.Body as Uint8Array;
    expect(outcome).toEqual({
      outcome: 'issued',
      sha256: sha(bytes),
      sizeBytes: bytes.byteLength,
      stored: 'created',
    });
    expect(input?.ChecksumSHA256).toBe(Buffer.from(sha(bytes), 'hex').toString('base64'));
    // One event by the system, state unchanged, its changes setting the stored document.
    expect(store.commits).toHaveLength(1);
    const event = store.commits[0]?.event;
    expect(event).toMatchObject({
      action: 'issue_document',
      // Named in words a Chinese reader of the trail reads.
      actor: { id: 'system', role: 'system', name: '文书系统' },
      from: 'APPROVED',
      to: 'APPROVED',
      payload: { documentId: ref.documentId, number: ref.number, sha256: sha(bytes) },
    });
    const recorded = approvalOf(store.current().app);
    expect(recorded).toEqual({
      ...ref,
      sha256: sha(bytes),
      sizeBytes: bytes.byteLength,
      storedAt: '2026-03-20T02:00:00.000Z',
    });
    expect(event?.changes.documents).toEqual(store.current().app.documents);
    // The hash chain now covers the document: the trail verifies, and its replay is the application.
    const trail = store.trail.map((e, i) => ({ position: i + 1, event: e }));
    expect(verifyTrail({ applicationId: store.current().app.id, trail, stored: store.current() }).ok).toBe(
      true,
    );
  });

  it('a retry after the PUT (stopped before recording) finds the stored object and records it: never a second document', async () => {
    const store = memoryStore(approved());
    const ref = approvalOf(store.current().app);
    const stored = new TextEncoder().encode('%PDF-1.7 the one stored by the first run');
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
        message: 'At least one of the pre-conditions you specified did not hold',
      }),
    );
    s3.on(GetObjectCommand).resolves(body(stored));

    const outcome = await issueDocument(portsFor(store), store.current().app.id, ref.documentId, 'req-retry');

    expect(outcome).toEqual({
      outcome: 'issued',
      sha256: sha(stored),
      sizeBytes: stored.byteLength,
      stored: 'exists',
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'eia-documents',
      Key: `documents/${store.current().app.id}/${ref.documentId}.pdf`,
    });
    // The trail records the bytes that are stored, not the ones this run rendered.
    expect(approvalOf(store.current().app).sha256).toBe(sha(stored));
    expect(store.commits).toHaveLength(1);
  });

  it('a replayed event (the document already recorded) touches neither storage nor the trail', async () => {
    const store = memoryStore(approved());
    const ref = approvalOf(store.current().app);
    s3.on(PutObjectCommand).resolves({});
    const ports = portsFor(store);
    const first = await issueDocument(ports, store.current().app.id, ref.documentId, 'req-1');
    s3.reset();
    const version = store.current().app.version;

    const again = await issueDocument(ports, store.current().app.id, ref.documentId, 'req-2');

    expect(again).toEqual({ outcome: 'already', sha256: (first as { sha256: string }).sha256 });
    expect(s3.calls()).toHaveLength(0);
    expect(store.commits).toHaveLength(1);
    expect(store.current().app.version).toBe(version);
  });

  it('a run that loses its commit to another run of the same document finds it recorded and writes nothing more', async () => {
    const store = memoryStore(approved());
    const ref = approvalOf(store.current().app);
    s3.on(PutObjectCommand).resolves({});
    const other = 'a'.repeat(64);
    store.interfere(() => {
      const app = store.current().app;
      const documents = (app.documents ?? []).map((d) =>
        d.documentId === ref.documentId
          ? { ...d, sha256: other, sizeBytes: 10, storedAt: '2026-03-20T01:59:00.000Z' }
          : d,
      );
      const step = systemStep(
        app,
        'issue_document',
        { documents },
        { now: new Date('2026-03-20T01:59:00Z'), requestId: 'other-run' },
        { documentId: ref.documentId },
        'Documents 系统',
      );
      store.put(step.app, chain(step.event, store.current().headHash));
    });

    const outcome = await issueDocument(portsFor(store), store.current().app.id, ref.documentId, 'req-a');

    expect(outcome).toEqual({ outcome: 'already', sha256: other });
    expect(store.commits).toHaveLength(0);
    expect(store.trail.filter((e) => e.action === 'issue_document')).toHaveLength(1);
  });

  it('another change committed meanwhile: read again and recorded on top of it', async () => {
    const trail = approved();
    const store = memoryStore(trail);
    const ref = approvalOf(store.current().app);
    s3.on(PutObjectCommand).resolves({});
    store.interfere(() => {
      const next = act(
        { ...trail, app: store.current().app },
        'record_milestone',
        callers.reviewer,
        { milestone: 'CONSTRUCTION_STARTED' },
        at('2026-03-20'),
      );
      const step = next.steps.at(-1);
      if (!step) throw new Error('no step');
      store.put(step.app, chain(step.event, store.current().headHash));
    });

    const outcome = await issueDocument(portsFor(store), trail.app.id, ref.documentId, 'req-x');

    expect(outcome.outcome).toBe('issued');
    expect(store.current().app.milestones).toHaveLength(1);
    expect(approvalOf(store.current().app).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.trail.at(-1)?.action).toBe('issue_document');
  });

  it('an unknown document or application: nothing done', async () => {
    const store = memoryStore(approved());
    expect(await issueDocument(portsFor(store), store.current().app.id, 'APPROVAL-999', 'r')).toEqual({
      outcome: 'unknown',
    });
    expect(await issueDocument(portsFor(store), 'no-such-app', 'APPROVAL-13', 'r')).toEqual({
      outcome: 'unknown',
    });
    expect(s3.calls()).toHaveLength(0);
    expect(store.commits).toHaveLength(0);
  });
});

describe('what a document says', () => {
  it('is the application as the act left it, whatever came after (a supplement notice after the resubmission)', async () => {
    let trail = driveTo('SUPPLEMENT_REQUIRED');
    trail = act(trail, 'resubmit', callers.owner, payloads.resubmit, at('2026-03-05'));
    const store = memoryStore(trail);
    const ref = store.current().app.documents?.find((d) => d.kind === 'SUPPLEMENT_NOTICE');
    if (!ref) throw new Error('no supplement notice');
    s3.on(PutObjectCommand).resolves({});

    await issueDocument(portsFor(store), trail.app.id, ref.documentId, 'r');

    expect(rendered[0]).toMatchObject({
      kind: 'SUPPLEMENT_NOTICE',
      number: ref.number,
      issuedOn: ref.issuedOn,
      verifyUrl: `https://eia.example.cn/#/verify/${encodeURIComponent(ref.number)}`,
      applicant: { orgName: trail.app.applicant.orgName, orgCode: trail.app.applicant.orgCode },
    });
    const items = (rendered[0] as { items: { code: string; name: string; reason: string }[] }).items;
    expect(items.map((i) => i.code)).toEqual(
      (payloads.request_supplement.items as { code: string }[]).map((i) => i.code),
    );
    expect(items[0]?.name).toBe(defaultConfig.materials.find((m) => m.code === items[0]?.code)?.zh);
    // No personal contact data in any document.
    expect(JSON.stringify(rendered[0])).not.toContain(trail.app.applicant.contactPhone);
    expect(JSON.stringify(rendered[0])).not.toContain(trail.app.applicant.contactName);
  });

  it('issuePending issues every document not yet stored, oldest first (an approved case: acceptance notice, approval)', async () => {
    const store = memoryStore(approved());
    s3.on(PutObjectCommand).resolves({});

    const outcomes = await issuePending(portsFor(store), store.current().app.id, 'r');

    expect(outcomes.map((o) => o.outcome)).toEqual(['issued', 'issued']);
    expect(rendered.map((c) => c.kind)).toEqual(['ACCEPTANCE_NOTICE', 'APPROVAL']);
    expect(rendered[0]).toMatchObject({
      kind: 'ACCEPTANCE_NOTICE',
      limitDays: expect.any(Number),
      dueOn: expect.any(String),
    });
    expect(rendered[1]).toMatchObject({
      kind: 'APPROVAL',
      conditions: store.current().app.decision?.conditions,
    });
    expect(store.current().app.documents?.every((d) => d.sha256)).toBe(true);
  });
});
