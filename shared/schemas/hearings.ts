import * as z from 'zod/mini';
import {
  MAX_HEARING_CONTACT_CHARS,
  MAX_HEARING_NAME_CHARS,
  MAX_HEARING_REASON_CHARS,
} from '../domain/hearings.ts';
import { plainText } from './text.ts';

/**
 * The body of an interested party's hearing request, for /openapi.json. The handler checks it with
 * shared/http/hearings.ts (characters counted as characters, control characters refused).
 */
export const HearingRequestSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(MAX_HEARING_NAME_CHARS), plainText('line')),
  contact: z.string().check(z.minLength(1), z.maxLength(MAX_HEARING_CONTACT_CHARS), plainText('line')),
  reason: z.string().check(z.minLength(1), z.maxLength(MAX_HEARING_REASON_CHARS), plainText('lines')),
});
