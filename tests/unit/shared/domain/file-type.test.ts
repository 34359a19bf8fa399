import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkType,
  contentTypeFits,
  contentTypes,
  extensionTypes,
  recognise,
  SNIFF_BYTES,
  typeOfName,
  zipEntryNames,
} from '../../../../shared/domain/file-type.ts';
import { fileTypes } from '../../../../shared/domain/uploads.ts';

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [...p])));

/** A ZIP's start: one local file header per entry (stored, sizes given), each followed by its data. */
function zip(entries: { name: string; data?: Uint8Array; descriptor?: boolean }[]): Uint8Array {
  const out: number[] = [];
  for (const { name, data = new Uint8Array(0), descriptor = false } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(descriptor ? 0x0808 : 0x0800, 6);
    header.writeUInt32LE(descriptor ? 0 : data.length, 18);
    header.writeUInt32LE(descriptor ? 0 : data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    out.push(...header, ...nameBytes, ...data);
  }
  return Uint8Array.from(out);
}

const filler = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251);

describe('typeOfName', () => {
  it('maps each allowed extension, in any case, and nothing else', () => {
    expect(typeOfName('报告书.PDF')).toBe('PDF');
    expect(typeOfName('a.b.docx')).toBe('DOCX');
    expect(typeOfName('photo.JPEG')).toBe('JPEG');
    expect(typeOfName('photo.jpg')).toBe('JPEG');
    expect(typeOfName('bill.ofd')).toBe('OFD');
    expect(typeOfName('data.xls')).toBe('XLS');
    expect(typeOfName('a.zip')).toBe('ZIP');
    expect(typeOfName('report')).toBeUndefined();
    expect(typeOfName('.pdf')).toBeUndefined();
    expect(typeOfName('report.')).toBeUndefined();
    expect(typeOfName('report.exe')).toBeUndefined();
    expect(typeOfName('report.toString')).toBeUndefined();
    expect(typeOfName('report.constructor')).toBeUndefined();
  });

  it('covers every file type', () => {
    expect(new Set(Object.values(extensionTypes))).toEqual(new Set(fileTypes));
    for (const type of fileTypes) expect(contentTypes[type].length).toBeGreaterThan(0);
  });
});

describe('contentTypeFits', () => {
  it('accepts the type’s own content types only', () => {
    expect(contentTypeFits('PDF', 'application/pdf')).toBe(true);
    expect(contentTypeFits('PDF', 'Application/PDF')).toBe(true);
    expect(contentTypeFits('PDF', 'application/zip')).toBe(false);
    expect(contentTypeFits('ZIP', 'application/x-zip-compressed')).toBe(true);
    expect(contentTypeFits('PNG', 'image/jpeg')).toBe(false);
  });
});

describe('recognise', () => {
  it('knows each magic number', () => {
    expect(recognise(bytes('%PDF-1.7\n', filler(100))).type).toBe('PDF');
    expect(recognise(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], filler(50))).type).toBe('PNG');
    expect(recognise(bytes([0xff, 0xd8, 0xff, 0xe0], filler(50))).type).toBe('JPEG');
    const ole = recognise(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], filler(500)));
    expect(ole.type).toBeUndefined();
    expect(ole.could).toEqual(['DOC', 'XLS']);
    expect(recognise(bytes('PK', [5, 6], new Uint8Array(18))).type).toBe('ZIP');
  });

  it('tells Office and OFD packages from a plain ZIP by their entries', () => {
    const docx = zip([
      { name: '[Content_Types].xml', data: filler(400) },
      { name: '_rels/.rels', data: filler(200) },
      { name: 'word/document.xml', data: filler(900) },
    ]);
    expect(recognise(docx)).toMatchObject({ type: 'DOCX', could: ['DOCX', 'ZIP'] });
    const xlsx = zip([{ name: '[Content_Types].xml', data: filler(400) }, { name: 'xl/workbook.xml' }]);
    expect(recognise(xlsx).type).toBe('XLSX');
    expect(
      recognise(zip([{ name: 'OFD.xml', data: filler(100) }, { name: 'Doc_0/Document.xml' }])).type,
    ).toBe('OFD');
    expect(recognise(zip([{ name: 'readme.txt', data: filler(100) }, { name: 'world/x' }])).type).toBe('ZIP');
    // Written with data descriptors (no sizes in the headers): the entries are still found.
    const streamed = zip([
      { name: '[Content_Types].xml', data: filler(300), descriptor: true },
      { name: 'word/document.xml', data: filler(300), descriptor: true },
    ]);
    expect(recognise(streamed).type).toBe('DOCX');
  });

  it('says so when the Office parts lie beyond the bytes read', () => {
    const far = zip([
      { name: '[Content_Types].xml', data: filler(SNIFF_BYTES) },
      { name: 'word/document.xml' },
    ]);
    const found = recognise(far.subarray(0, SNIFF_BYTES));
    expect(found.type).toBeUndefined();
    expect(found.could).toEqual(['DOCX', 'XLSX', 'ZIP']);
    expect(found.what).toMatch(/\.docx or a \.xlsx/);
  });

  it('recognises nothing in text, an empty file or a PDF header not at the start', () => {
    expect(recognise(bytes('hello world')).could).toEqual([]);
    expect(recognise(new Uint8Array(0)).what).toBe('an empty file');
    expect(recognise(bytes(' %PDF-1.4')).could).toEqual([]);
  });

  it('never throws, and whatever it names is among what the bytes could be', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        const found = recognise(data);
        if (found.type) expect(found.could).toContain(found.type);
        expect(found.what.length).toBeGreaterThan(0);
      }),
    );
  });

  it('a magic number in front of any bytes decides the type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ['PDF', bytes('%PDF-')],
          ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
          ['JPEG', bytes([0xff, 0xd8, 0xff])],
        ),
        fc.uint8Array({ maxLength: 300 }),
        ([type, magic], rest) => {
          expect(recognise(bytes(magic as Uint8Array, rest)).type).toBe(type);
        },
      ),
    );
  });
});

describe('zipEntryNames', () => {
  it('finds the entries whose headers are whole, and only those', () => {
    const archive = zip([
      { name: 'a.txt', data: filler(10) },
      { name: 'dir/b.xml', data: filler(10) },
    ]);
    expect(zipEntryNames(archive)).toEqual(['a.txt', 'dir/b.xml']);
    expect(zipEntryNames(archive.subarray(0, archive.length - 20))).toEqual(['a.txt']);
  });

  it('finds any entry names, whatever bytes lie between them', () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9_./-]{1,40}$/);
    fc.assert(
      fc.property(
        fc.array(fc.record({ name, data: fc.uint8Array({ maxLength: 80 }) }), { maxLength: 6 }),
        (entries) => {
          // Data without a PK signature of its own.
          const clean = entries.map((e) => ({ name: e.name, data: e.data.map((b) => (b === 0x50 ? 0 : b)) }));
          expect(zipEntryNames(zip(clean))).toEqual(clean.map((e) => e.name));
        },
      ),
    );
  });
});

describe('checkType', () => {
  it('accepts bytes that are what the name says', () => {
    expect(checkType('报告书.pdf', bytes('%PDF-1.7'))).toEqual({ ok: true, type: 'PDF' });
    const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], filler(100));
    expect(checkType('table.xls', ole)).toEqual({ ok: true, type: 'XLS' });
    expect(checkType('letter.doc', ole)).toEqual({ ok: true, type: 'DOC' });
    expect(checkType('bundle.zip', zip([{ name: 'word/document.xml' }]))).toEqual({ ok: true, type: 'ZIP' });
  });

  it('refuses a .pdf that is a ZIP, saying what it is', () => {
    const check = checkType('环评报告.pdf', zip([{ name: 'report.pdf', data: bytes('%PDF-1.4 ...') }]));
    expect(check).toMatchObject({ ok: false, claimed: 'PDF', found: { type: 'ZIP' } });
    expect(check.ok ? '' : check.message).toBe(
      '环评报告.pdf is named as a PDF document but its content is a ZIP archive',
    );
  });

  it('refuses a .docx that is a spreadsheet, a .doc that is a PNG, and a name of no allowed type', () => {
    expect(checkType('a.docx', zip([{ name: 'xl/workbook.xml' }])).ok).toBe(false);
    expect(checkType('a.doc', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])).ok).toBe(false);
    const check = checkType('a.exe', bytes('%PDF-1.7'));
    expect(check).toMatchObject({ ok: false, message: 'a.exe has no extension of an allowed file type' });
  });

  it('a file of no recognised type passes under no name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(extensionTypes)),
        fc.string({ maxLength: 200 }),
        (ext, text) => {
          const data = bytes(`#${text}`);
          expect(checkType(`file.${ext}`, data).ok).toBe(false);
        },
      ),
    );
  });
});
