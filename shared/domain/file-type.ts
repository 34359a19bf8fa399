import type { FileType } from './uploads.ts';

/**
 * A material's file type, by its name and by its bytes (docs/documents.md#file-types). The name
 * says what the uploader claims; the first bytes of what storage holds say what it is. A
 * submission counts a file only when both agree.
 */

/** How many bytes from the start of a file are read to recognise it. */
export const SNIFF_BYTES = 4100;

/** The file name's extension (lowercase, without the dot) → the type it claims. */
export const extensionTypes: Readonly<Record<string, FileType>> = {
  pdf: 'PDF',
  ofd: 'OFD',
  doc: 'DOC',
  docx: 'DOCX',
  xls: 'XLS',
  xlsx: 'XLSX',
  jpg: 'JPEG',
  jpeg: 'JPEG',
  png: 'PNG',
  zip: 'ZIP',
};

/**
 * The content types an upload of each type may declare (the presigned PUT pins the one declared,
 * and downloads are served with it). The first is the usual one.
 */
export const contentTypes: Readonly<Record<FileType, readonly string[]>> = {
  PDF: ['application/pdf'],
  OFD: ['application/ofd'],
  DOC: ['application/msword'],
  DOCX: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  XLS: ['application/vnd.ms-excel'],
  XLSX: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  JPEG: ['image/jpeg'],
  PNG: ['image/png'],
  ZIP: ['application/zip', 'application/x-zip-compressed'],
};

/** What each type is called in a message. */
export const typeNames: Readonly<Record<FileType, string>> = {
  PDF: 'a PDF document',
  OFD: 'an OFD document',
  DOC: 'a Word 97-2003 document (.doc)',
  DOCX: 'a Word document (.docx)',
  XLS: 'an Excel 97-2003 workbook (.xls)',
  XLSX: 'an Excel workbook (.xlsx)',
  JPEG: 'a JPEG image',
  PNG: 'a PNG image',
  ZIP: 'a ZIP archive',
};

/** The type a file name claims by its extension; undefined for no or an unknown extension. */
export function typeOfName(fileName: string): FileType | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return undefined;
  const ext = fileName.slice(dot + 1).toLowerCase();
  return Object.hasOwn(extensionTypes, ext) ? extensionTypes[ext] : undefined;
}

/** Whether `contentType` (as declared, compared without case) is one a file of `type` may have. */
export function contentTypeFits(type: FileType, contentType: string): boolean {
  return contentTypes[type].includes(contentType.trim().toLowerCase());
}

/** What the first bytes of a file show. */
export interface Recognised {
  /** The one type the bytes show; undefined when they show none, or more than one is possible. */
  type?: FileType;
  /** Every type the bytes are consistent with (empty: none of the allowed types). */
  could: FileType[];
  /** What they are, in words, for a message: "a ZIP archive", "nothing recognised". */
  what: string;
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_ENTRY = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: a local file header
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06]; // PK\5\6: the end record of an empty archive

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

/**
 * The names of the ZIP entries whose local headers lie wholly in `bytes`: every PK\3\4 signature,
 * its name length at +26 and the name at +30. Searching for the signature rather than walking
 * from entry to entry also finds entries written with a data descriptor (sizes after the data).
 */
export function zipEntryNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let at = 0; at + 30 <= bytes.length; at++) {
    if (!startsWith(bytes, ZIP_ENTRY, at)) continue;
    const nameLength = (bytes[at + 26] ?? 0) | ((bytes[at + 27] ?? 0) << 8);
    if (nameLength === 0 || at + 30 + nameLength > bytes.length) continue;
    names.push(decoder.decode(bytes.subarray(at + 30, at + 30 + nameLength)));
  }
  return names;
}

/**
 * The type shown by a file's first bytes (SNIFF_BYTES of them are enough), by magic number:
 * `%PDF-` at the very start (a ZIP holding a PDF is still a ZIP); PNG; JPEG; an OLE2 compound file
 * (a .doc or a .xls: the bytes read do not tell which); a ZIP archive, told apart by its entries'
 * names: `word/…` a DOCX, `xl/…` an XLSX, `OFD.xml` an OFD, `[Content_Types].xml` alone an Office
 * file whose parts lie further on (DOCX or XLSX), anything else a plain ZIP.
 */
export function recognise(bytes: Uint8Array): Recognised {
  if (startsWith(bytes, PDF)) return one('PDF');
  if (startsWith(bytes, PNG)) return one('PNG');
  if (startsWith(bytes, JPEG)) return one('JPEG');
  if (startsWith(bytes, OLE2))
    return { could: ['DOC', 'XLS'], what: 'an Office 97-2003 file (a .doc or a .xls)' };
  if (startsWith(bytes, ZIP_EMPTY)) return { ...one('ZIP'), what: 'an empty ZIP archive' };
  if (startsWith(bytes, ZIP_ENTRY)) {
    const names = zipEntryNames(bytes);
    // Every OOXML and OFD package is a ZIP too: a .zip holding one is still a ZIP.
    if (names.some((n) => n.startsWith('word/')))
      return { type: 'DOCX', could: ['DOCX', 'ZIP'], what: typeNames.DOCX };
    if (names.some((n) => n.startsWith('xl/')))
      return { type: 'XLSX', could: ['XLSX', 'ZIP'], what: typeNames.XLSX };
    if (names.some((n) => n === 'OFD.xml' || n.endsWith('/OFD.xml')))
      return { type: 'OFD', could: ['OFD', 'ZIP'], what: typeNames.OFD };
    if (names.includes('[Content_Types].xml'))
      return { could: ['DOCX', 'XLSX', 'ZIP'], what: 'an Office document (a .docx or a .xlsx)' };
    return one('ZIP');
  }
  return { could: [], what: bytes.length === 0 ? 'an empty file' : 'none of the allowed file types' };
}

function one(type: FileType): Recognised {
  return { type, could: [type], what: typeNames[type] };
}

/** Whether a file's bytes are what its name claims. */
export type TypeCheck =
  | { ok: true; type: FileType }
  | { ok: false; claimed?: FileType; found: Recognised; message: string };

/**
 * A file's bytes against its name: ok, with the type, when the name's extension is an allowed
 * type and the first bytes are consistent with it; else a message saying what the bytes are.
 */
export function checkType(fileName: string, bytes: Uint8Array): TypeCheck {
  const claimed = typeOfName(fileName);
  const found = recognise(bytes);
  if (!claimed) {
    return { ok: false, found, message: `${fileName} has no extension of an allowed file type` };
  }
  if (found.could.includes(claimed)) return { ok: true, type: claimed };
  return {
    ok: false,
    claimed,
    found,
    message: `${fileName} is named as ${typeNames[claimed]} but its content is ${found.what}`,
  };
}
