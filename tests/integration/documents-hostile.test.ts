/**
 * Uploads, downloads and document look-ups as a hostile applicant or a curious citizen would try
 * them: a content type in another spelling, invisible line and direction marks in a file name, an
 * application flooded with announcements, absurd document numbers and notice ids. Each answer is a
 * clear 4xx problem+json, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOADS_PER_APPLICATION } from '../../functions/create-upload/handler.ts';
import { pdfBytes, sha256Of } from '../../local/sample-files.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { beijing, draftBody } from './helpers/scenario.ts';
import { putBytes, type Upload } from './helpers/uploads.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
});
afterAll(async () => {
  await stack?.stop();
});

async function emptyDraft(): Promise<string> {
  const res = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: { ...draftBody(), materials: [] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

const bytes = pdfBytes('hostile');
const announcement = (over: Record<string, unknown> = {}) => ({
  code: 'EIA_DOCUMENT',
  fileName: 'report.pdf',
  sha256: sha256Of(bytes),
  sizeBytes: bytes.length,
  contentType: 'application/pdf',
  ...over,
});

const isProblem = (res: { headers: Record<string, string> }) =>
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);

describe('announcing an upload', () => {
  it('keeps the content type in its one spelling, so the PUT and the download carry exactly that', async () => {
    const id = await emptyDraft();
    const res = await stack.request<Upload>('POST', `/applications/${id}/uploads`, {
      as: 'applicant',
      body: announcement({ contentType: ' APPLICATION/PDF\n' }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.material.contentType).toBe('application/pdf');
    expect(res.json.headers['content-type']).toBe('application/pdf');
    expect((await putBytes(res.json, bytes)).status).toBe(200);
    const named = await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { materials: [res.json.material] },
    });
    expect(named.status, named.text).toBe(200);
    const version = await stack.request('GET', `/applications/${id}/materials/EIA_DOCUMENT`, {
      as: 'applicant',
      redirect: 'manual',
    });
    expect(version.status, version.text).toBe(303);
    const file = await fetch(version.headers.location ?? '');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
  });

  it.each([
    ['an Arabic letter mark (a direction mark)', 'report\u061Cfdp.pdf'],
    ['a line separator', 'report\u2028x.pdf'],
    ['a paragraph separator', 'report\u2029x.pdf'],
  ])('refuses a file name holding %s', async (_what, fileName) => {
    const id = await emptyDraft();
    const res = await stack.request<{ issues: { path: string }[] }>('POST', `/applications/${id}/uploads`, {
      as: 'applicant',
      body: announcement({ fileName }),
    });
    expect(res.status, res.text).toBe(400);
    isProblem(res);
    expect(res.json.issues.map((i) => i.path)).toEqual(['fileName']);
  });

  it(`stops at ${MAX_UPLOADS_PER_APPLICATION} uploads of one application with 422 too-many-uploads, and records nothing more`, async () => {
    const id = await emptyDraft();
    const post = (i: number) =>
      stack.request('POST', `/applications/${id}/uploads`, {
        as: 'applicant',
        body: announcement({ fileName: `report-${i}.pdf` }),
      });
    for (let i = 0; i < MAX_UPLOADS_PER_APPLICATION; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => post(i + j)));
      expect(batch.map((r) => r.status)).toEqual(Array(20).fill(201));
    }
    const over = await post(MAX_UPLOADS_PER_APPLICATION);
    expect(over.status, over.text).toBe(422);
    isProblem(over);
    expect(over.json).toMatchObject({ type: expect.stringMatching(/\/too-many-uploads$/) });
    // Another application of the same applicant is not affected.
    const other = await emptyDraft();
    const fresh = await stack.request('POST', `/applications/${other}/uploads`, {
      as: 'applicant',
      body: announcement(),
    });
    expect(fresh.status, fresh.text).toBe(201);
  });
});

describe('public look-ups with odd ids', () => {
  it.each([
    ['a very long number', 'x'.repeat(5000)],
    ['a very long unicode number', '醴'.repeat(1000)],
    ['a NUL', '\u0000'],
  ])('GET /public/documents/{number} with %s is a 404 problem, never a 500', async (_what, number) => {
    for (const path of [
      `/public/documents/${encodeURIComponent(number)}`,
      `/public/documents/${encodeURIComponent(number)}/file`,
    ]) {
      const res = await stack.request('GET', path, { redirect: 'manual' });
      expect(res.status, `${path.slice(0, 60)}: ${res.text}`).toBe(404);
      isProblem(res);
    }
  });

  it('GET /public/notices/{noticeId}/public-version with a very long id is a 404 problem', async () => {
    const noticeId = Buffer.from(`2026-03-02T01:00:00.000Z#${'a'.repeat(3000)}#ACCEPTANCE`).toString(
      'base64url',
    );
    for (const path of [`/public/notices/${noticeId}/public-version`, `/public/notices/${noticeId}`]) {
      const res = await stack.request('GET', path, { redirect: 'manual' });
      expect(res.status, `${path.slice(0, 40)}: ${res.text}`).toBe(404);
      isProblem(res);
    }
  });
});
