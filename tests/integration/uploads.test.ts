/**
 * Uploads and downloads over HTTP against the real local S3 store and DynamoDB Local
 * (docs/documents.md#uploads): the presigned PUT takes exactly the declared bytes, the announcement
 * refuses what can never count, every version is kept and listed, a download is a 303 to the very
 * bytes uploaded, officials' downloads are in the access log, and the public version is public
 * only once the acceptance notice is.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../local/dynamodb.ts';
import { pdfBytes, sha256Of } from '../../local/sample-files.ts';
import type { Material } from '../../shared/domain/types.ts';
import { noticeIdOf } from '../../shared/store/keys.ts';
import { uploadStore } from '../../shared/store/upload-store.ts';
import { type LocalStack, startLocalStack, type Who } from './helpers/local-stack.ts';
import { beijing, draft, draftBody, ok, otherApplicant } from './helpers/scenario.ts';
import { announce, putBytes, type Upload, uploadFile } from './helpers/uploads.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
});
afterAll(async () => {
  await stack?.stop();
});

interface Version {
  code: string;
  uploadId: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  current: boolean;
  stored: boolean;
  scan: string;
  uploadedBy: { id: string; name: string };
}

async function emptyDraft(): Promise<string> {
  const res = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: { ...draftBody(), materials: [] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

function uploadBody(over: Record<string, unknown> = {}) {
  const bytes = pdfBytes('report');
  return {
    code: 'EIA_DOCUMENT',
    fileName: '环境影响报告表.pdf',
    sha256: sha256Of(bytes),
    sizeBytes: bytes.length,
    contentType: 'application/pdf',
    ...over,
  };
}

/** GET a material's download (not following it): the response. */
function download(appId: string, code: string, who: Who | undefined, version?: string) {
  const query = version ? `?version=${version}` : '';
  return stack.request('GET', `/applications/${appId}/materials/${code}${query}`, {
    ...(who !== undefined && { as: who }),
    redirect: 'manual',
  });
}

/** Follows a 303 to storage, as a browser does (no token): the bytes and their headers. */
async function follow(res: { status: number; headers: Record<string, string>; text: string }) {
  expect(res.status, res.text).toBe(303);
  const location = res.headers.location ?? '';
  const file = await fetch(location);
  expect(file.status, location).toBe(200);
  return { bytes: new Uint8Array(await file.arrayBuffer()), headers: file.headers, location };
}

async function versions(appId: string, who: Who = 'applicant'): Promise<Version[]> {
  const res = await stack.request<{ items: Version[] }>('GET', `/applications/${appId}/materials`, {
    as: who,
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

describe('the presigned PUT', () => {
  it('stores exactly the declared bytes, and storage itself refuses any others', async () => {
    const id = await emptyDraft();
    const bytes = pdfBytes('the declared bytes');
    const upload = await announce(stack, id, 'applicant', {
      code: 'EIA_DOCUMENT',
      fileName: 'eia.pdf',
      bytes,
    });
    expect(upload.headers['x-amz-checksum-sha256']).toBe(
      Buffer.from(sha256Of(bytes), 'hex').toString('base64'),
    );
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 5_000);

    // Other bytes of the same length, a short body, and no checksum header: refused by storage.
    const other = pdfBytes('the declared bytez');
    expect(other.length).toBe(bytes.length);
    expect((await putBytes(upload, other)).status).toBeGreaterThanOrEqual(400);
    expect((await putBytes(upload, bytes.subarray(1))).status).toBeGreaterThanOrEqual(400);
    const { 'x-amz-checksum-sha256': _, ...unpinned } = upload.headers;
    expect((await putBytes({ ...upload, headers: unpinned }, bytes)).status).toBeGreaterThanOrEqual(400);

    // Named by the draft but its bytes never stored: listed as not stored, and no download.
    await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { materials: [upload.material] },
    });
    expect((await download(id, 'EIA_DOCUMENT', 'applicant')).status).toBe(404);
    expect(await versions(id)).toMatchObject([{ uploadId: upload.uploadId, current: true, stored: false }]);

    expect((await putBytes(upload, bytes)).status).toBe(200);
    const got = await follow(await download(id, 'EIA_DOCUMENT', 'applicant'));
    expect(sha256Of(got.bytes)).toBe(sha256Of(bytes));

    // Stored but named by nothing, and never checked by a submission: not a version of anything.
    const stray = await uploadFile(stack, id, 'applicant', 'EIA_DOCUMENT', { fileName: 'stray.pdf' });
    expect((await download(id, 'EIA_DOCUMENT', 'applicant', stray.uploadId)).status).toBe(404);
    expect((await versions(id)).map((v) => v.uploadId)).toEqual([upload.uploadId]);
  });

  it('is never answered for what can never count: oversize, bad names, wrong types, an unknown code', async () => {
    const id = await emptyDraft();
    const cases: [Record<string, unknown>, string][] = [
      [{ sizeBytes: 2 * 1024 ** 3 + 1 }, 'sizeBytes'],
      [{ sizeBytes: 0 }, 'sizeBytes'],
      [{ sha256: 'F'.repeat(64) }, 'sha256'],
      [{ fileName: '../../etc/passwd.pdf' }, 'fileName'],
      [{ fileName: 'a\\b.pdf' }, 'fileName'],
      [{ fileName: 'report\u0007.pdf' }, 'fileName'],
      [{ fileName: 'report\u202efdp.exe' }, 'fileName'],
      [{ fileName: `${'a'.repeat(252)}.pdf` }, 'fileName'],
      [{ fileName: 'tool.exe', contentType: 'application/octet-stream' }, 'fileName'],
      [{ contentType: 'text/html' }, 'contentType'],
      [{ code: 'NOT_A_MATERIAL' }, 'code'],
    ];
    for (const [over, path] of cases) {
      const res = await stack.request<{ issues: { path: string }[] }>('POST', `/applications/${id}/uploads`, {
        as: 'applicant',
        body: uploadBody(over),
      });
      expect(res.status, `${JSON.stringify(over)}: ${res.text}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json.issues.map((i) => i.path)).toContain(path);
    }
    expect(await versions(id)).toEqual([]);
  });

  it('replays an announcement for its Idempotency-Key: the same upload, one record', async () => {
    const id = await emptyDraft();
    const send = () =>
      stack.request<Upload>('POST', `/applications/${id}/uploads`, {
        as: 'applicant',
        body: uploadBody(),
        headers: { 'Idempotency-Key': 'announce-once' },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.uploadId).toBe(first.json.uploadId);
  });
});

describe('downloads', () => {
  let id: string;
  beforeAll(async () => {
    id = await draft(stack);
    await ok(stack, id, 'submit', 'applicant');
  });

  it('are a 303 to the very bytes uploaded, with the UTF-8 file name', async () => {
    const current = (await versions(id)).find((v) => v.code === 'PUBLIC_VERSION' && v.current);
    expect(current?.stored).toBe(true);
    const got = await follow(await download(id, 'PUBLIC_VERSION', 'applicant'));
    expect(sha256Of(got.bytes)).toBe(current?.sha256);
    expect(got.bytes.length).toBe(current?.sizeBytes);
    const disposition = got.headers.get('content-disposition') ?? '';
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(current?.fileName ?? '')}`);
    expect(new URL(got.location).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('are 404 to another applicant, and 401 without a token', async () => {
    const res = await download(id, 'EIA_DOCUMENT', otherApplicant);
    expect(res.status).toBe(404);
    expect(res.headers.location).toBeUndefined();
    expect((await stack.request('GET', `/applications/${id}/materials`, { as: otherApplicant })).status).toBe(
      404,
    );
    expect((await download(id, 'EIA_DOCUMENT', undefined)).status).toBe(401);
  });

  it("enter an official's and the auditor's download in the access log, and not the owner's", async () => {
    const log = async () => {
      const res = await stack.request<{ items: Record<string, unknown>[] }>(
        'GET',
        '/audit/access-log?limit=100',
        {
          as: 'auditor',
        },
      );
      expect(res.status, res.text).toBe(200);
      return res.json.items.filter((r) => r.kind === 'DOCUMENT_DOWNLOAD' && r.applicationId === id);
    };
    const before = (await log()).length;
    await follow(await download(id, 'EIA_DOCUMENT', 'applicant'));
    expect(await log()).toHaveLength(before);
    await follow(await download(id, 'EIA_DOCUMENT', 'reviewer'));
    await follow(await download(id, 'EIA_DOCUMENT', 'auditor'));
    const entries = await log();
    expect(entries).toHaveLength(before + 2);
    expect(entries[0]).toMatchObject({
      kind: 'DOCUMENT_DOWNLOAD',
      applicationId: id,
      code: 'EIA_DOCUMENT',
      actor: { roles: ['auditor'] },
      uploadId: expect.any(String),
      fileName: expect.any(String),
    });
  });

  it('keep every version across a resubmission, each downloadable as it was', async () => {
    await ok(stack, id, 'request_supplement', 'clerk', {
      items: [{ code: 'EIA_DOCUMENT', reason: '缺少签章' }],
    });
    const [first] = (await versions(id)).filter((v) => v.code === 'EIA_DOCUMENT' && v.current);
    const v2 = pdfBytes('the signed report');
    const material: Material = await uploadFile(stack, id, 'applicant', 'EIA_DOCUMENT', {
      fileName: 'eia-signed.pdf',
      bytes: v2,
    });
    await ok(stack, id, 'resubmit', 'applicant', { materials: [material] });

    const eia = (await versions(id)).filter((v) => v.code === 'EIA_DOCUMENT');
    expect(eia.map((v) => [v.uploadId, v.current, v.stored])).toEqual([
      [first?.uploadId, false, true],
      [material.uploadId, true, true],
    ]);
    const now = await follow(await download(id, 'EIA_DOCUMENT', 'reviewer'));
    expect(sha256Of(now.bytes)).toBe(sha256Of(v2));
    const then = await follow(await download(id, 'EIA_DOCUMENT', 'reviewer', first?.uploadId));
    expect(sha256Of(then.bytes)).toBe(first?.sha256);
  });
});

describe('the public version', () => {
  const publicVersion = (noticeId: string) =>
    fetch(`${stack.baseUrl}/public/notices/${noticeId}/public-version`, { redirect: 'manual' });

  it('is 404 before the acceptance notice and for a filing, and 303 to its bytes once published', async () => {
    const id = await draft(stack);
    await ok(stack, id, 'submit', 'applicant');
    // The id its acceptance notice would have, were it published now: nothing yet.
    const early = noticeIdOf({
      publishedAt: new Date().toISOString(),
      applicationId: id,
      kind: 'ACCEPTANCE',
    });
    expect((await publicVersion(early)).status).toBe(404);
    expect((await publicVersion('not-a-notice')).status).toBe(404);

    const filing = await draft(stack, 'REGISTRATION', '仓储扩建登记');
    await ok(stack, filing, 'submit', 'applicant');
    await ok(stack, id, 'accept', 'clerk');

    const notices = await stack.request<{
      items: { noticeId: string; applicationId: string; kind: string }[];
    }>('GET', '/public/notices?limit=100');
    const of = (appId: string, kind: string) =>
      notices.json.items.find((n) => n.applicationId === appId && n.kind === kind)?.noticeId ?? '';
    const filed = of(filing, 'FILING');
    expect(filed).not.toBe('');
    const res404 = await publicVersion(filed);
    expect(res404.status).toBe(404);
    expect(res404.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const accepted = of(id, 'ACCEPTANCE');
    const res = await publicVersion(accepted);
    const got = await follow({ status: res.status, headers: Object.fromEntries(res.headers), text: '' });
    const listed = await versions(id, 'auditor');
    const pv = listed.find((v) => v.code === 'PUBLIC_VERSION' && v.current);
    const eia = listed.find((v) => v.code === 'EIA_DOCUMENT' && v.current);
    // The public version, never the full EIA document.
    expect(sha256Of(got.bytes)).toBe(pv?.sha256);
    expect(sha256Of(got.bytes)).not.toBe(eia?.sha256);
    expect(new URL(got.location).pathname).toContain(`/materials/${id}/${pv?.uploadId}`);
  });
});

describe('the upload records in DynamoDB', () => {
  it('take a scan verdict and a stored mark as conditional Puts, keeping the first storedAt', async () => {
    const doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
    try {
      const store = uploadStore(doc, {
        table: stack.tables.main,
        idempotencyTable: stack.tables.idempotency,
      });
      const id = await emptyDraft();
      const upload = await announce(stack, id, 'applicant', {
        code: 'EIA_DOCUMENT',
        fileName: 'eia.pdf',
        bytes: pdfBytes('scanned'),
      });
      expect(await store.setScan(id, upload.uploadId, 'CLEAN', '2026-03-02T02:00:00.000Z')).toBe(true);
      const mark = { storedAt: '2026-03-02T03:00:00.000Z', detectedType: 'PDF' } as const;
      expect(await store.markStored(id, upload.uploadId, mark)).toBe(true);
      expect(
        await store.markStored(id, upload.uploadId, { ...mark, storedAt: '2026-04-01T00:00:00.000Z' }),
      ).toBe(true);
      expect(await store.get(id, upload.uploadId)).toMatchObject({
        scan: 'CLEAN',
        scannedAt: '2026-03-02T02:00:00.000Z',
        storedAt: '2026-03-02T03:00:00.000Z',
        detectedType: 'PDF',
        sha256: upload.material.sha256,
      });
      expect(await store.setScan(id, '00000000-0000-4000-8000-000000000000', 'CLEAN', 'x')).toBe(false);
      expect((await store.list(id)).map((r) => r.uploadId)).toEqual([upload.uploadId]);
    } finally {
      doc.destroy();
    }
  });
});
