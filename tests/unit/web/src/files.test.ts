import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { contentTypes, extensionTypes } from '../../../../shared/domain/file-type.ts';
import {
  contentTypeOf,
  dispositionName,
  extensionContentTypes,
  FileUpload,
  formatBytes,
  groupVersions,
  type MaterialVersion,
  noticeLinks,
  percent,
  problemKey,
  putResult,
  sameHash,
  sha256Hex,
  ticketUsable,
  type UploadState,
  type UploadSteps,
  type UploadTicket,
  verifyHash,
  verifyNumber,
} from '../../../../web/src/files.ts';

const NOW = Date.parse('2026-12-06T08:00:00Z');

const ticket = (uploadId: string, expiresAt = '2026-12-06T08:15:00Z'): UploadTicket => ({
  uploadId,
  url: `http://127.0.0.1:9000/bucket/materials/app/${uploadId}?X-Amz-Signature=x`,
  method: 'PUT',
  headers: { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': 'abc=' },
  expiresAt,
  material: {
    code: 'EIA_DOCUMENT',
    fileName: 'eia.pdf',
    sha256: 'a'.repeat(64),
    sizeBytes: 10,
    uploadId,
    contentType: 'application/pdf',
  },
});

/** Steps whose PUT answers are given in turn; every call recorded. */
function fakeSteps(puts: Array<ReturnType<typeof putResult> | Error>, now = () => NOW) {
  let n = 0;
  const steps = {
    hash: vi.fn(async () => ({
      fileName: 'eia.pdf',
      sha256: 'a'.repeat(64),
      sizeBytes: 10,
      contentType: 'application/pdf',
    })),
    announce: vi.fn(async () => ticket(`u${++n}`)),
    put: vi.fn(async (_t: UploadTicket, progress: (loaded: number, total: number) => void) => {
      progress(5, 10);
      const next = puts.shift() ?? { ok: true as const };
      if (next instanceof Error) throw next;
      if (next.ok) progress(10, 10);
      return next;
    }),
    now,
  } satisfies UploadSteps;
  return steps;
}

describe('FileUpload', () => {
  it('hashes, announces, PUTs with progress, and gives the material only once the PUT succeeded', async () => {
    const steps = fakeSteps([{ ok: true }]);
    const seen: UploadState[] = [];
    const state = await new FileUpload(steps, (s) => seen.push(s)).start();
    expect(state).toMatchObject({ phase: 'done', percent: 100, material: { uploadId: 'u1' } });
    expect(seen.map((s) => `${s.phase}:${s.percent}`)).toEqual([
      'hashing:0',
      'announcing:0',
      'uploading:0',
      'uploading:50',
      'uploading:100',
      'done:100',
    ]);
    expect(seen.slice(0, -1).every((s) => s.material === undefined)).toBe(true);
  });

  it('starts once however often it is started while running (a double click)', async () => {
    const steps = fakeSteps([{ ok: true }]);
    const upload = new FileUpload(steps);
    const [a, b] = [upload.start(), upload.start()];
    expect(upload.busy).toBe(true);
    await Promise.all([a, b, upload.retry()]);
    expect(steps.hash).toHaveBeenCalledTimes(1);
    expect(steps.announce).toHaveBeenCalledTimes(1);
    expect(steps.put).toHaveBeenCalledTimes(1);
    expect(upload.busy).toBe(false);
  });

  it('retries a failed PUT on the same presigned URL while it is valid, without hashing again', async () => {
    const steps = fakeSteps([{ ok: false, failure: 'network', status: 0 }, { ok: true }]);
    const upload = new FileUpload(steps);
    expect(await upload.start()).toMatchObject({ phase: 'failed', failure: 'network', percent: 50 });
    expect(upload.state.material).toBeUndefined();
    expect(await upload.retry()).toMatchObject({ phase: 'done', material: { uploadId: 'u1' } });
    expect(steps.hash).toHaveBeenCalledTimes(1);
    expect(steps.announce).toHaveBeenCalledTimes(1);
    expect(steps.put.mock.calls.map(([t]) => t.uploadId)).toEqual(['u1', 'u1']);
  });

  it('asks for a new URL when the old one has expired (by the clock, or as storage says)', async () => {
    let now = NOW;
    const steps = fakeSteps([{ ok: false, failure: 'server', status: 503 }, { ok: true }], () => now);
    const upload = new FileUpload(steps);
    await upload.start();
    now = Date.parse('2026-12-06T08:14:30Z'); // 30 s left: not enough for a PUT
    expect(await upload.retry()).toMatchObject({ phase: 'done', material: { uploadId: 'u2' } });

    const refused = fakeSteps([{ ok: false, failure: 'expired', status: 403 }, { ok: true }]);
    const second = new FileUpload(refused);
    await second.start();
    expect(await second.retry()).toMatchObject({ phase: 'done', material: { uploadId: 'u2' } });
  });

  it('counts a thrown PUT as a network failure and an API refusal as a failed announcement', async () => {
    const upload = new FileUpload(fakeSteps([new Error('boom')]));
    expect(await upload.start()).toMatchObject({ phase: 'failed', failure: 'network' });

    const problem = new Error('too large');
    const steps = fakeSteps([]);
    steps.announce.mockRejectedValueOnce(problem);
    const refused = new FileUpload(steps);
    expect(await refused.start()).toMatchObject({ phase: 'failed', failure: 'announce', problem });
    expect(steps.put).not.toHaveBeenCalled();
    expect(await refused.retry()).toMatchObject({ phase: 'done' });
  });

  it('does not retry what did not fail', async () => {
    const steps = fakeSteps([{ ok: true }]);
    const upload = new FileUpload(steps);
    await upload.start();
    expect(await upload.retry()).toMatchObject({ phase: 'done' });
    expect(steps.put).toHaveBeenCalledTimes(1);
  });
});

describe('putResult', () => {
  it('reads storage’s answer', () => {
    expect(putResult(200)).toEqual({ ok: true });
    expect(putResult(0)).toMatchObject({ failure: 'network' });
    expect(
      putResult(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'),
    ).toMatchObject({
      failure: 'expired',
    });
    expect(putResult(400, '<Error><Code>BadDigest</Code></Error>')).toMatchObject({ failure: 'changed' });
    expect(putResult(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>')).toMatchObject({
      failure: 'changed',
    });
    expect(putResult(403, '<Error><Code>AccessDenied</Code></Error>')).toMatchObject({
      failure: 'refused',
      status: 403,
    });
    expect(putResult(503)).toMatchObject({ failure: 'server' });
  });
});

describe('small helpers', () => {
  it('percent stays within 0..100 and an empty file is done', () => {
    expect(percent(0, 0)).toBe(100);
    expect(percent(1, 3)).toBe(33);
    expect(percent(20, 10)).toBe(100);
    expect(percent(-1, 10)).toBe(0);
  });

  it('a ticket is usable only with a minute to spare', () => {
    expect(ticketUsable({ expiresAt: '2026-12-06T08:01:01Z' }, NOW)).toBe(true);
    expect(ticketUsable({ expiresAt: '2026-12-06T08:01:00Z' }, NOW)).toBe(false);
  });

  it('knows words for the file problems and none for unknown types', () => {
    expect(problemKey('material-not-uploaded')).toBe('problem_material-not-uploaded');
    expect(problemKey('materials-not-clean')).toBe('problem_materials-not-clean');
    expect(problemKey('material-type-mismatch')).toBe('problem_material-type-mismatch');
    expect(problemKey('something-else')).toBeUndefined();
  });

  it('declares the usual content type of the API’s own extension list', () => {
    expect(Object.keys(extensionContentTypes).sort()).toEqual(Object.keys(extensionTypes).sort());
    for (const [ext, type] of Object.entries(extensionTypes))
      expect(contentTypes[type][0], ext).toBe(extensionContentTypes[ext]);
    expect(contentTypeOf('报告.PDF', '')).toBe('application/pdf');
    expect(contentTypeOf('a.ofd', '')).toBe('application/ofd');
    expect(contentTypeOf('notes.txt', 'text/plain')).toBe('text/plain');
    expect(contentTypeOf('noext', '')).toBe('application/octet-stream');
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100.0 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('reads the UTF-8 file name of a Content-Disposition first', () => {
    expect(
      dispositionName(
        `attachment; filename="eia.pdf"; filename*=UTF-8''${encodeURIComponent('环评报告 v2.pdf')}`,
      ),
    ).toBe('环评报告 v2.pdf');
    expect(dispositionName('inline; filename="a \\"b\\".pdf"')).toBe('a "b".pdf');
    expect(dispositionName('attachment; filename=plain.pdf')).toBe('plain.pdf');
    expect(dispositionName("attachment; filename*=UTF-8''%E0%A4%A")).toBeUndefined();
    expect(dispositionName(null)).toBeUndefined();
  });

  it('hashes like Node and compares hashes ignoring case and spaces', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 醴陵');
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(sameHash('ABC ', 'abc')).toBe(true);
    expect(sameHash('abc', 'abd')).toBe(false);
    expect(sameHash(undefined, undefined)).toBe(false);
  });

  it('routes a document number to its verification page and back', () => {
    const number = '醴环评〔2026〕17号';
    const hash = verifyHash(number);
    expect(hash).toBe(`#/verify/${encodeURIComponent(number)}`);
    expect(verifyNumber(hash.slice('#/verify/'.length))).toBe(number);
    expect(verifyNumber('%E0%A4%A')).toBeUndefined();
    expect(verifyNumber('%20')).toBeUndefined();
  });

  it('links a notice to the public version, and a decision to its document', () => {
    expect(noticeLinks({ noticeId: 'n1', kind: 'ACCEPTANCE', number: 'LLHP-1' })).toEqual({
      publicVersion: '/public/notices/n1/public-version',
    });
    expect(noticeLinks({ noticeId: 'n2', kind: 'DECISION', number: '醴环评〔2026〕1号' })).toEqual({
      publicVersion: '/public/notices/n2/public-version',
      decision: {
        number: '醴环评〔2026〕1号',
        file: `/public/documents/${encodeURIComponent('醴环评〔2026〕1号')}/file`,
        verify: verifyHash('醴环评〔2026〕1号'),
      },
    });
    expect(noticeLinks({ noticeId: 'n3', kind: 'FILING', number: 'R-1' })).toEqual({});
    expect(noticeLinks({ kind: 'PROPOSED_DECISION' })).toEqual({});
  });

  it('groups versions by material in the given order, newest first', () => {
    const v = (code: string, uploadedAt: string, current = false): MaterialVersion => ({
      code,
      fileName: `${code}.pdf`,
      sha256: 'a'.repeat(64),
      sizeBytes: 1,
      uploadedAt,
      scan: 'SKIPPED',
      current,
      uploadId: `${code}-${uploadedAt}`,
    });
    const groups = groupVersions(
      [
        v('EIA_DOCUMENT', '2026-01-01T00:00:00Z'),
        v('OTHER', '2026-01-03T00:00:00Z'),
        v('EIA_DOCUMENT', '2026-01-02T00:00:00Z', true),
      ],
      ['APPLICATION_LETTER', 'EIA_DOCUMENT'],
    );
    expect(groups.map(([code, list]) => [code, list.map((x) => x.uploadedAt.slice(8, 10))])).toEqual([
      ['EIA_DOCUMENT', ['02', '01']],
      ['OTHER', ['03']],
    ]);
  });
});
