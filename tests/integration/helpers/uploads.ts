/**
 * Materials as files over HTTP, as a client sends them: POST /applications/{id}/uploads announces
 * a file (its code, name, SHA-256, size, content type), the bytes go to the presigned URL with the
 * headers it answered, and the material the upload answered is what the application names.
 */
import { expect } from 'vitest';
import { bytesFor, contentTypeOf, sha256Of } from '../../../local/sample-files.ts';
import { defaultConfig } from '../../../shared/domain/config.ts';
import type { Category, Material } from '../../../shared/domain/types.ts';
import type { LocalStack, Who } from './local-stack.ts';

/** What POST /applications/{id}/uploads answers (201). */
export interface Upload {
  uploadId: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
  material: Material;
}

export interface FileOptions {
  /** Default `<code>.pdf`, or `<code>-v<v>.pdf` with `v`. */
  fileName?: string;
  /** Default: a small real file of the name's type, about the code (and `v`). */
  bytes?: Uint8Array;
  /** Another version of the same code: other bytes. */
  v?: number;
  /** false: announce the upload but never PUT its bytes. */
  put?: boolean;
}

/** Announces one file (201 expected). */
export async function announce(
  stack: LocalStack,
  appId: string,
  who: Who,
  file: { code: string; fileName: string; bytes: Uint8Array; contentType?: string },
): Promise<Upload> {
  const res = await stack.request<Upload>('POST', `/applications/${appId}/uploads`, {
    as: who,
    body: {
      code: file.code,
      fileName: file.fileName,
      sha256: sha256Of(file.bytes),
      sizeBytes: file.bytes.length,
      contentType: file.contentType ?? contentTypeOf(file.fileName),
    },
  });
  expect(res.status, `POST uploads ${file.code}: ${res.text}`).toBe(201);
  return res.json;
}

/** PUTs bytes to an upload's presigned URL with the headers it must carry; the response. */
export async function putBytes(upload: Upload, bytes: Uint8Array): Promise<Response> {
  // fetch sets Content-Length from the body itself.
  const headers = Object.fromEntries(
    Object.entries(upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  return fetch(upload.url, { method: upload.method, headers, body: bytes });
}

/** One file uploaded (announced and PUT, 200 expected): the material naming it. */
export async function uploadFile(
  stack: LocalStack,
  appId: string,
  who: Who,
  code: string,
  options: FileOptions = {},
): Promise<Material> {
  const name = options.v === undefined ? code : `${code}-v${options.v}`;
  const fileName = options.fileName ?? `${name}.pdf`;
  const bytes = options.bytes ?? bytesFor(fileName, `${name} ${appId}`);
  const upload = await announce(stack, appId, who, { code, fileName, bytes });
  if (options.put !== false) {
    const res = await putBytes(upload, bytes);
    expect(res.status, `PUT ${fileName}: ${await res.clone().text()}`).toBe(200);
  }
  return upload.material;
}

/** Files for some codes (default: every one the category requires), uploaded in turn. */
export async function uploadMaterials(
  stack: LocalStack,
  appId: string,
  who: Who,
  codes: Category | readonly string[] = 'REPORT_FORM',
  options: Omit<FileOptions, 'bytes' | 'fileName'> = {},
): Promise<Material[]> {
  const list = typeof codes === 'string' ? defaultConfig.required[codes as Category] : codes;
  const materials: Material[] = [];
  for (const code of list) materials.push(await uploadFile(stack, appId, who, code, options));
  return materials;
}

/**
 * Makes the materials an application names real: a file for each (same code and file name, bytes
 * of that type), uploaded, and the list PATCHed to name them (200 expected). The materials.
 */
export async function withFiles(
  stack: LocalStack,
  appId: string,
  who: Who = 'applicant',
): Promise<Material[]> {
  const got = await stack.request<{ materials: Material[] }>('GET', `/applications/${appId}`, { as: who });
  expect(got.status, got.text).toBe(200);
  const materials: Material[] = [];
  for (const m of got.json.materials)
    materials.push(m.uploadId ? m : await uploadFile(stack, appId, who, m.code, { fileName: m.fileName }));
  const patched = await stack.request('PATCH', `/applications/${appId}`, { as: who, body: { materials } });
  expect(patched.status, `PATCH materials: ${patched.text}`).toBe(200);
  return materials;
}
