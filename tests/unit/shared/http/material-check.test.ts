import { describe, expect, it } from 'vitest';
import { contentTypeOf, pdfBytes, sha256Of, zipBytes } from '../../../../local/sample-files.ts';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { RuleError } from '../../../../shared/domain/errors.ts';
import type { Material } from '../../../../shared/domain/types.ts';
import { type UploadRecord, uploadObjectKey } from '../../../../shared/domain/uploads.ts';
import {
  checkAct,
  checkClean,
  checkMaterials,
  type MaterialPorts,
  namedMaterials,
} from '../../../../shared/http/material-check.ts';
import type { StoredObject } from '../../../../shared/store/ports.ts';

const APP = '0b6f3c1e-6a2d-4f7b-9c3e-2d5a8e4f1a90';
const AT = '2025-06-10T02:00:00.000Z';
const config = { uploads: defaultConfig.uploads };

/** An upload id whose last digits are `n`. */
const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface File {
  material: Material;
  record: UploadRecord;
  bytes: Uint8Array;
}

/** A material, its upload record and its bytes, all agreeing. */
function file(code: string, n: number, bytes = pdfBytes(`${code} ${n}`), fileName = `${code}.pdf`): File {
  const material: Material = {
    code,
    fileName,
    sha256: sha256Of(bytes),
    sizeBytes: bytes.length,
    uploadId: uid(n),
    contentType: contentTypeOf(fileName),
  };
  const record: UploadRecord = {
    uploadId: uid(n),
    applicationId: APP,
    code,
    fileName,
    sha256: material.sha256,
    sizeBytes: material.sizeBytes,
    contentType: contentTypeOf(fileName),
    key: uploadObjectKey(APP, uid(n)),
    createdAt: '2025-06-09T01:00:00.000Z',
    createdBy: { id: 'applicant-owner', name: 'Li Ming' },
    expiresAt: '2025-06-09T01:15:00.000Z',
    scan: 'SKIPPED',
  };
  return { material, record, bytes };
}

/**
 * Fakes of the two ports: the records listed, and storage holding `objects` (key → bytes, and
 * optionally what HeadObject says otherwise). Counts the calls.
 */
/** What HeadObject says otherwise than the bytes would (`sha256: undefined`: storage kept none). */
type HeadOverride = { [K in keyof StoredObject]?: StoredObject[K] | undefined };

function fakes(records: UploadRecord[], objects: Map<string, { bytes: Uint8Array; head?: HeadOverride }>) {
  const calls = { list: 0, head: 0, readStart: 0, made: { uploads: 0, objects: 0 } };
  const ports: MaterialPorts = {
    uploads: () => {
      calls.made.uploads++;
      return {
        list: async (id) => {
          calls.list++;
          return records.filter((r) => r.applicationId === id);
        },
      };
    },
    objects: () => {
      calls.made.objects++;
      return {
        head: async (key) => {
          calls.head++;
          const o = objects.get(key);
          return o && ({ sizeBytes: o.bytes.length, sha256: sha256Of(o.bytes), ...o.head } as StoredObject);
        },
        readStart: async (key, n) => {
          calls.readStart++;
          return objects.get(key)?.bytes.subarray(0, n);
        },
      };
    },
  };
  return { ports, calls };
}

const stored = (...files: File[]) => new Map(files.map((f) => [f.record.key, { bytes: f.bytes }]));
const named = (...files: File[]) => namedMaterials(files.map((f) => f.material));

async function refusal(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

describe('checkMaterials: every material a file as declared', () => {
  it('passes files stored as declared and hands back their records to mark stored, with the type found', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const b = file('EIA_DOCUMENT', 2);
    const { ports, calls } = fakes([a.record, b.record], stored(a, b));
    const marks = await checkMaterials({ id: APP }, named(a, b), config, ports, AT);
    expect(marks).toEqual([
      { record: a.record, stored: { storedAt: AT, detectedType: 'PDF' } },
      { record: b.record, stored: { storedAt: AT, detectedType: 'PDF' } },
    ]);
    // One Query for the records, a HEAD and a ranged GET per file.
    expect(calls).toMatchObject({ list: 1, head: 2, readStart: 2 });
  });

  it('reads nothing when nothing is named', async () => {
    const { ports, calls } = fakes([], new Map());
    expect(await checkMaterials({ id: APP }, [], config, ports, AT)).toEqual([]);
    expect(calls.made).toEqual({ uploads: 0, objects: 0 });
  });

  it('does not read storage again for a record an earlier act marked stored', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const record = { ...a.record, storedAt: '2025-06-01T00:00:00.000Z', detectedType: 'PDF' as const };
    const { ports, calls } = fakes([record], new Map());
    expect(await checkMaterials({ id: APP }, named(a), config, ports, AT)).toEqual([]);
    expect(calls.made.objects).toBe(0);
  });

  it('refuses a material without uploadId: material-not-uploaded, at its path, without reading storage', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const { uploadId: _none, ...legacy } = a.material;
    const { ports, calls } = fakes([], new Map());
    const error = await refusal(checkMaterials({ id: APP }, namedMaterials([legacy]), config, ports, AT));
    expect(error.type).toBe('material-not-uploaded');
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([
      {
        path: 'application.materials.0',
        message: expect.stringMatching(/^APPLICATION_LETTER \(APPLICATION_LETTER\.pdf\): no uploadId/),
        code: 'custom',
        params: { rule: 'upload-unknown', code: 'APPLICATION_LETTER', fileName: 'APPLICATION_LETTER.pdf' },
      },
    ]);
    expect(calls.made).toEqual({ uploads: 0, objects: 0 });
  });

  it.each([
    ['no record at all', (_r: UploadRecord) => [] as UploadRecord[], /no upload .* on this application/],
    ['a record of another application', (r: UploadRecord) => [{ ...r, applicationId: 'x' }], /no upload/],
    ['another code', (r: UploadRecord) => [{ ...r, code: 'EIA_DOCUMENT' }], /another code/],
    ['another SHA-256', (r: UploadRecord) => [{ ...r, sha256: 'f'.repeat(64) }], /another sha256/],
    ['another size', (r: UploadRecord) => [{ ...r, sizeBytes: r.sizeBytes + 1 }], /another sizeBytes/],
    ['another file name', (r: UploadRecord) => [{ ...r, fileName: 'other.pdf' }], /another fileName/],
  ])(
    'refuses a material whose upload record differs (%s): material-not-uploaded',
    async (_what, records, why) => {
      const a = file('APPLICATION_LETTER', 1);
      const { ports } = fakes(records(a.record), stored(a));
      const error = await refusal(checkMaterials({ id: APP }, named(a), config, ports, AT));
      expect(error.type).toBe('material-not-uploaded');
      expect(error.issues?.[0]?.message).toMatch(why);
    },
  );

  it('refuses a file whose bytes were never PUT', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const { ports } = fakes([a.record], new Map());
    const error = await refusal(checkMaterials({ id: APP }, named(a), config, ports, AT));
    expect(error.type).toBe('material-not-uploaded');
    expect(error.message).toContain('APPLICATION_LETTER');
    expect(error.issues?.[0]?.message).toMatch(/never stored/);
  });

  it('refuses a stored object of another size, or whose SHA-256 by storage differs', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const b = file('EIA_DOCUMENT', 2);
    const objects = new Map([
      [a.record.key, { bytes: a.bytes, head: { sizeBytes: a.bytes.length + 5 } }],
      [b.record.key, { bytes: b.bytes, head: { sha256: '0'.repeat(64) } }],
    ]);
    const { ports } = fakes([a.record, b.record], objects);
    const error = await refusal(checkMaterials({ id: APP }, named(a, b), config, ports, AT));
    expect(error.type).toBe('material-not-uploaded');
    expect(error.message).toMatch(/APPLICATION_LETTER, EIA_DOCUMENT/);
    expect(error.issues).toEqual([
      {
        path: 'application.materials.0',
        message: expect.stringMatching(/storage holds \d+ bytes/),
        code: 'custom',
        params: expect.objectContaining({ rule: 'size-differs' }),
      },
      {
        path: 'application.materials.1',
        message: expect.stringMatching(/another SHA-256/),
        code: 'custom',
        params: expect.objectContaining({ rule: 'sha-differs' }),
      },
    ]);
  });

  it('trusts the size when storage keeps no SHA-256 of its own', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const objects = new Map([[a.record.key, { bytes: a.bytes, head: { sha256: undefined } }]]);
    const { ports } = fakes([a.record], objects);
    await expect(checkMaterials({ id: APP }, named(a), config, ports, AT)).resolves.toHaveLength(1);
  });

  it('names every material not uploaded at once, by the field of the request that named it', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const b = file('EIA_DOCUMENT', 2);
    const c = file('PUBLIC_VERSION', 3);
    const { ports } = fakes([a.record, b.record, c.record], stored(b));
    // The payload names c; a and b the application holds already.
    const list = namedMaterials([a.material, b.material, c.material], [c.material]);
    const error = await refusal(checkMaterials({ id: APP }, list, config, ports, AT));
    expect(error.issues?.map((i) => i.path)).toEqual(['application.materials.0', 'materials.0']);
    expect(error.message).toContain('APPLICATION_LETTER, PUBLIC_VERSION');
  });

  it('refuses a ZIP named .pdf: material-type-mismatch naming the code and the file name', async () => {
    const a = file('EIA_DOCUMENT', 1, zipBytes('not a pdf'), 'report.pdf');
    const { ports } = fakes([a.record], stored(a));
    const error = await refusal(checkMaterials({ id: APP }, named(a), config, ports, AT));
    expect(error.type).toBe('material-type-mismatch');
    expect(error.issues).toEqual([
      {
        path: 'application.materials.0',
        message: 'EIA_DOCUMENT: report.pdf is named as a PDF document but its content is a ZIP archive',
        code: 'custom',
        params: {
          rule: 'type-mismatch',
          code: 'EIA_DOCUMENT',
          fileName: 'report.pdf',
          claimed: 'PDF',
          found: 'ZIP',
        },
      },
    ]);
    expect(error.message).toContain('report.pdf');
  });

  it('refuses a type the configuration does not take, even when the name agrees', async () => {
    const a = file('EIA_DOCUMENT', 1, zipBytes('an archive'), 'bundle.zip');
    const { ports } = fakes([a.record], stored(a));
    const pdfOnly = { uploads: { maxBytes: 1e9, types: ['PDF' as const] } };
    const error = await refusal(checkMaterials({ id: APP }, named(a), pdfOnly, ports, AT));
    expect(error.type).toBe('material-type-mismatch');
    expect(error.issues?.[0]?.message).toMatch(
      /EIA_DOCUMENT: bundle\.zip is a ZIP archive, a type the bureau does not take/,
    );
    // The same file where ZIP is taken passes.
    await expect(checkMaterials({ id: APP }, named(a), config, ports, AT)).resolves.toHaveLength(1);
  });

  it('answers not-uploaded before type mismatches', async () => {
    const a = file('EIA_DOCUMENT', 1, zipBytes('x'), 'report.pdf');
    const b = file('PUBLIC_VERSION', 2);
    const { ports } = fakes([a.record, b.record], stored(a));
    const error = await refusal(checkMaterials({ id: APP }, named(a, b), config, ports, AT));
    expect(error.type).toBe('material-not-uploaded');
    expect(error.message).toContain('PUBLIC_VERSION');
  });
});

describe('checkClean: accept only clean materials', () => {
  const app = (files: File[]) => ({ id: APP, materials: files.map((f) => f.material) });

  it.each(['PENDING', 'INFECTED'] as const)(
    'refuses while a current material is %s, naming it',
    async (scan) => {
      const a = file('APPLICATION_LETTER', 1);
      const b = file('EIA_DOCUMENT', 2);
      const { ports } = fakes([a.record, { ...b.record, scan }], new Map());
      const error = await refusal(checkClean(app([a, b]), ports));
      expect(error.type).toBe('materials-not-clean');
      expect(error.issues).toEqual([
        {
          path: 'materials.1',
          message: expect.stringContaining('EIA_DOCUMENT'),
          code: 'custom',
          params: expect.objectContaining({ rule: expect.stringMatching(/^scan-(pending|infected)$/) }),
        },
      ]);
      expect(error.message).toContain('EIA_DOCUMENT');
    },
  );

  it('passes CLEAN and SKIPPED, and an older version still PENDING that is no longer current', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const old = file('APPLICATION_LETTER', 9);
    const b = file('EIA_DOCUMENT', 2);
    const { ports } = fakes(
      [{ ...a.record, scan: 'CLEAN' }, b.record, { ...old.record, scan: 'PENDING' }],
      new Map(),
    );
    await expect(checkClean(app([a, b]), ports)).resolves.toBeUndefined();
  });

  it('reads nothing for materials from before files', async () => {
    const { uploadId: _none, ...legacy } = file('APPLICATION_LETTER', 1).material;
    const { ports, calls } = fakes([], new Map());
    await checkClean({ id: APP, materials: [legacy] }, ports);
    expect(calls.made.uploads).toBe(0);
  });
});

describe('checkAct: which acts check what', () => {
  it('checks the attachments of record_expert_opinion at attachments.<i>', async () => {
    const a = file('EXPERT_OPINION', 1);
    const { ports } = fakes([], new Map());
    const error = await refusal(
      checkAct(
        'record_expert_opinion',
        { id: APP, materials: [] },
        { id: APP, materials: [] },
        { attachments: [a.material] },
        config,
        ports,
        AT,
      ),
    );
    expect(error.issues?.[0]?.path).toBe('attachments.0');
  });

  it('checks nothing (and reads nothing) for other actions', async () => {
    const { ports, calls } = fakes([], new Map());
    const legacy = {
      id: APP,
      materials: [{ code: 'X', fileName: 'x.pdf', sha256: 'a'.repeat(64), sizeBytes: 1 }],
    };
    for (const action of ['decline', 'start_review', 'withdraw', 'approve'])
      expect(await checkAct(action, legacy, legacy, {}, config, ports, AT)).toEqual([]);
    expect(calls.made).toEqual({ uploads: 0, objects: 0 });
  });

  it('checks the whole list after a resubmission, the payload at materials.<i>', async () => {
    const a = file('APPLICATION_LETTER', 1);
    const b = file('EIA_DOCUMENT', 2);
    const { ports } = fakes([a.record, b.record], stored(a));
    const error = await refusal(
      checkAct(
        'resubmit',
        { id: APP, materials: [a.material] },
        { id: APP, materials: [a.material, b.material] },
        { materials: [b.material] },
        config,
        ports,
        AT,
      ),
    );
    expect(error.issues?.map((i) => i.path)).toEqual(['materials.0']);
  });
});
