/**
 * Every material a file (docs/documents.md#submission-checks), against DynamoDB Local and the local
 * S3 store: a submission counts a material only when its bytes are stored as announced and are
 * what its name says; accept waits for clean scans; the officials' acts take files too.
 */
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import { zipBytes } from '../../local/sample-files.ts';
import type { Application, AuditEvent, Material } from '../../shared/domain/types.ts';
import { uploadKey } from '../../shared/store/keys.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { act, beijing, draftBody, ok, submitted } from './helpers/scenario.ts';
import { uploadFile, uploadMaterials } from './helpers/uploads.ts';

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
});
afterAll(async () => {
  doc?.destroy();
  await stack?.stop();
});

type Acted = { application: Application; event: AuditEvent };
interface Problem {
  type: string;
  detail: string;
  issues: { path: string; message: string }[];
}

/** A draft with no materials yet; its id. */
async function emptyDraft(): Promise<string> {
  const res = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: { ...draftBody(), materials: [] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

async function name(id: string, materials: Material[]) {
  const res = await stack.request('PATCH', `/applications/${id}`, { as: 'applicant', body: { materials } });
  expect(res.status, res.text).toBe(200);
}

async function record(appId: string, uploadId: string) {
  const out = await doc.send(
    new GetCommand({ TableName: stack.tables.main, Key: uploadKey(appId, uploadId), ConsistentRead: true }),
  );
  return out.Item;
}

interface Version {
  code: string;
  uploadId: string;
  current: boolean;
  stored: boolean;
  fileName: string;
}
async function versions(id: string, as: 'applicant' | 'reviewer' = 'applicant'): Promise<Version[]> {
  const res = await stack.request<{ items: Version[] }>('GET', `/applications/${id}/materials`, { as });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

describe('submit checks the files', () => {
  it('refuses material-not-uploaded, naming it, when the bytes were never PUT; nothing is marked stored', async () => {
    await stack.setNow(beijing('2026-03-02'));
    const id = await emptyDraft();
    const [letter, eia, ...rest] = await uploadMaterials(stack, id, 'applicant', [
      'APPLICATION_LETTER',
      'EIA_DOCUMENT',
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
      'BUSINESS_LICENSE',
    ]);
    const unput = await uploadFile(stack, id, 'applicant', 'EIA_DOCUMENT', { v: 2, put: false });
    await name(id, [letter as Material, unput, ...rest]);

    const res = await act<Problem>(stack, id, 'submit', 'applicant');
    expect(res.status, res.text).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.type).toMatch(/\/material-not-uploaded$/);
    expect(res.json.detail).toContain('EIA_DOCUMENT');
    expect(res.json.issues).toEqual([
      {
        path: 'application.materials.1',
        message: expect.stringContaining('never stored'),
        code: 'custom',
        params: expect.objectContaining({ rule: 'bytes-missing' }),
      },
    ]);
    // Refused as a whole: no file of the submission counts as stored yet.
    expect((await record(id, letter?.uploadId ?? ''))?.storedAt).toBeUndefined();
    const app = await stack.request<Application>('GET', `/applications/${id}`, { as: 'applicant' });
    expect(app.json.state).toBe('DRAFT');

    // Named with the file that was put, it goes through, and every record is marked in that write.
    await name(id, [letter as Material, eia as Material, ...rest]);
    const done = await ok(stack, id, 'submit', 'applicant');
    expect(done.json.application).toMatchObject({ state: 'SUBMITTED' });
    const marked = await record(id, eia?.uploadId ?? '');
    expect(marked).toMatchObject({ detectedType: 'PDF', storedAt: (done.json as unknown as Acted).event.at });
    // The announced but never put version is no version.
    const listed = await versions(id);
    expect(listed.map((v) => v.uploadId)).not.toContain(unput.uploadId);
    expect(listed.filter((v) => v.code === 'EIA_DOCUMENT')).toEqual([
      expect.objectContaining({ uploadId: eia?.uploadId, current: true, stored: true }),
    ]);
  });

  it('refuses a ZIP named .pdf at submit, naming the code and the file name', async () => {
    await stack.setNow(beijing('2026-03-02'));
    const id = await emptyDraft();
    const materials = await uploadMaterials(stack, id, 'applicant', [
      'APPLICATION_LETTER',
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
      'BUSINESS_LICENSE',
    ]);
    // Storage takes it (its SHA-256 and size are as announced); the submission looks inside.
    const zip = await uploadFile(stack, id, 'applicant', 'EIA_DOCUMENT', {
      fileName: '环评报告表.pdf',
      bytes: zipBytes('not a PDF at all'),
    });
    await name(id, [...materials, zip]);

    const res = await act<Problem>(stack, id, 'submit', 'applicant');
    expect(res.status, res.text).toBe(422);
    expect(res.json.type).toMatch(/\/material-type-mismatch$/);
    expect(res.json.detail).toContain('环评报告表.pdf');
    expect(res.json.issues).toEqual([
      {
        path: 'application.materials.5',
        message: 'EIA_DOCUMENT: 环评报告表.pdf is named as a PDF document but its content is a ZIP archive',
        code: 'custom',
        params: expect.objectContaining({ rule: 'type-mismatch', claimed: 'PDF', found: 'ZIP' }),
      },
    ]);
  });
});

describe('a resubmission', () => {
  it('keeps both versions of a replaced material, the new one current', async () => {
    const id = await submitted(stack, '2026-03-02');
    await stack.setNow(beijing('2026-03-03'));
    await ok(stack, id, 'request_supplement', 'clerk', {
      items: [{ code: 'PUBLIC_VERSION', reason: '公开版本未删除商业秘密' }],
    });
    const first = (await versions(id)).find((v) => v.code === 'PUBLIC_VERSION');
    // Not put: refused, naming the field of the payload.
    const unput = await uploadFile(stack, id, 'applicant', 'PUBLIC_VERSION', { v: 2, put: false });
    const refused = await act<Problem>(stack, id, 'resubmit', 'applicant', { materials: [unput] });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.issues.map((i) => i.path)).toEqual(['materials.0']);

    const second = await uploadFile(stack, id, 'applicant', 'PUBLIC_VERSION', { v: 3 });
    await ok(stack, id, 'resubmit', 'applicant', { materials: [second] });

    const both = (await versions(id, 'reviewer')).filter((v) => v.code === 'PUBLIC_VERSION');
    expect(both).toEqual([
      expect.objectContaining({ uploadId: first?.uploadId, current: false, stored: true }),
      expect.objectContaining({ uploadId: second.uploadId, current: true, stored: true }),
    ]);
  });
});

describe('accept', () => {
  it('waits while a current material is being scanned (materials-not-clean), and accepts once clean', async () => {
    const id = await submitted(stack, '2026-03-02');
    const app = await stack.request<Application>('GET', `/applications/${id}`, { as: 'clerk' });
    const eia = app.json.materials.findIndex((m) => m.code === 'EIA_DOCUMENT');
    const uploadId = app.json.materials[eia]?.uploadId ?? '';
    const setScan = (scan: string) =>
      doc.send(
        new UpdateCommand({
          TableName: stack.tables.main,
          Key: uploadKey(id, uploadId),
          UpdateExpression: 'SET #scan = :scan',
          ExpressionAttributeNames: { '#scan': 'scan' },
          ExpressionAttributeValues: { ':scan': scan },
        }),
      );
    await setScan('PENDING');

    await stack.setNow(beijing('2026-03-03'));
    const res = await act<Problem>(stack, id, 'accept', 'clerk');
    expect(res.status, res.text).toBe(422);
    expect(res.json.type).toMatch(/\/materials-not-clean$/);
    expect(res.json.issues).toEqual([
      {
        path: `materials.${eia}`,
        message: expect.stringContaining('EIA_DOCUMENT'),
        code: 'custom',
        params: expect.objectContaining({ rule: 'scan-pending' }),
      },
    ]);

    await setScan('INFECTED');
    const infected = await act<Problem>(stack, id, 'accept', 'clerk');
    expect(infected.status).toBe(422);
    expect(infected.json.issues[0]?.message).toMatch(/infected/);

    await setScan('CLEAN');
    await ok(stack, id, 'accept', 'clerk');
  });
});

describe("the officials' attachments", () => {
  it('record_expert_opinion takes the panel opinion as a file, kept on the application, in the event and as a version', async () => {
    const id = await submitted(stack, '2026-03-02');
    await stack.setNow(beijing('2026-03-03'));
    await ok(stack, id, 'accept', 'clerk');
    await ok(stack, id, 'start_review', 'reviewer');
    await ok(stack, id, 'start_expert_review', 'reviewer', { expectedWorkingDays: 10 });

    const body = { opinion: '专家组原则同意', conclusion: 'PASS_WITH_CHANGES' };
    const unput = await uploadFile(stack, id, 'reviewer', 'EXPERT_OPINION', { put: false });
    const refused = await act<Problem>(stack, id, 'record_expert_opinion', 'reviewer', {
      ...body,
      attachments: [unput],
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.type).toMatch(/\/material-not-uploaded$/);
    expect(refused.json.issues.map((i) => i.path)).toEqual(['attachments.0']);

    // Only the act's own code.
    const wrongCode = await act<Problem>(stack, id, 'record_expert_opinion', 'reviewer', {
      ...body,
      attachments: [{ ...unput, code: 'HEARING_RECORD' }],
    });
    expect(wrongCode.status, wrongCode.text).toBe(400);

    const opinion = await uploadFile(stack, id, 'reviewer', 'EXPERT_OPINION', {
      fileName: '专家评审意见.pdf',
    });
    const done = await ok(stack, id, 'record_expert_opinion', 'reviewer', {
      ...body,
      attachments: [opinion],
    });
    const { application, event } = done.json as unknown as Acted;
    expect(application.expertReview?.attachments).toEqual([opinion]);
    expect(event.payload).toMatchObject({ attachments: [opinion] });
    expect(await versions(id)).toContainEqual(
      expect.objectContaining({
        code: 'EXPERT_OPINION',
        uploadId: opinion.uploadId,
        current: true,
        stored: true,
      }),
    );
    expect(await record(id, opinion.uploadId ?? '')).toMatchObject({
      detectedType: 'PDF',
      storedAt: event.at,
    });
  });

  it('record_hearing_outcome takes the hearing record as a file, uploaded by the case officer', async () => {
    const id = await submitted(stack, '2026-03-02');
    await stack.setNow(beijing('2026-03-03'));
    await ok(stack, id, 'accept', 'clerk');
    await ok(stack, id, 'start_review', 'reviewer');
    // The day after the acceptance notice's comment period (5 working days, through 03-10).
    await stack.setNow(beijing('2026-03-11'));
    await ok(stack, id, 'propose_decision', 'reviewer', { proposal: 'approve' });
    await ok(stack, id, 'request_hearing', 'applicant', { reason: '对审批条件有异议' });

    const minutes = await uploadFile(stack, id, 'reviewer', 'HEARING_RECORD', { fileName: '听证笔录.pdf' });
    const done = await ok(stack, id, 'record_hearing_outcome', 'reviewer', {
      summary: '听证会已召开，维持拟批准意见',
      next: 'PUBLIC_NOTICE',
      attachments: [minutes],
    });
    const { application } = done.json as unknown as Acted;
    expect(application.hearing?.attachments).toEqual([minutes]);
    expect(await record(id, minutes.uploadId ?? '')).toMatchObject({ detectedType: 'PDF' });
  });
});
