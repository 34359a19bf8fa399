import * as z from 'zod/mini';
import { ruleParams } from '../domain/rules.ts';
import { MaterialCodeSchema, wellFormed } from './common.ts';
import { plainText } from './text.ts';

/**
 * Characters a file name may not hold: path separators, C0 and C1 controls, and the invisible
 * direction and formatting marks that can make `report‮fdp.exe` read as `reportexe.pdf`.
 */
const forbiddenRanges: readonly [number, number][] = [
  [0x2f, 0x2f], // /
  [0x5c, 0x5c], // \
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x061c, 0x061c], // Arabic letter mark: a direction mark
  [0x200b, 0x200f],
  [0x2028, 0x2029], // line and paragraph separators
  [0x202a, 0x202e],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
];
const forbiddenInName = {
  test: (s: string) =>
    [...s].some((c) => {
      const code = c.codePointAt(0) ?? 0;
      return forbiddenRanges.some(([lo, hi]) => code >= lo && code <= hi);
    }),
};

/** A file name as it will be offered on download: one name, no path, at most 255 characters. */
export const FileNameSchema = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(255, 'must be at most 255 characters'),
  wellFormed(),
  z.refine((s) => !forbiddenInName.test(s), {
    message: 'must be a name only: no / or \\, no control or direction characters',
    params: ruleParams('file-name-path'),
  }),
  z.refine((s) => s.trim() === s, {
    message: 'must not start or end with a space',
    params: ruleParams('file-name-space'),
  }),
  z.refine((s) => s !== '.' && s !== '..', {
    message: 'must be a file name',
    params: ruleParams('file-name-dots'),
  }),
);

/** POST /applications/{id}/uploads: the file about to be put, as the uploader declares it. */
export const UploadRequestSchema = z.strictObject({
  code: MaterialCodeSchema,
  fileName: FileNameSchema,
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hexadecimal characters')),
  /** Against the configuration's `uploads.maxBytes` too (the handler: it depends on the application). */
  sizeBytes: z.int().check(z.positive('must be at least 1 byte'), z.maximum(Number.MAX_SAFE_INTEGER)),
  /** Trimmed here and lower-cased by the handler: `' Application/PDF\n'` is `application/pdf`. */
  contentType: z.string().check(z.trim(), z.minLength(1), z.maxLength(127), plainText('line')),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;
