import * as z from 'zod/mini';
import { MAX_COMMENT_CHARS } from '../domain/comments.ts';
import { plainText } from './text.ts';

/**
 * The bodies of the comment routes, for /openapi.json. The handlers check them with
 * shared/http/comments.ts (characters counted as characters; control and direction characters refused, text.ts).
 */
export const CommentSchema = z.strictObject({
  text: z.string().check(z.minLength(1), z.maxLength(MAX_COMMENT_CHARS), plainText('lines')),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(100), plainText('line'))),
  contact: z.optional(z.string().check(z.minLength(1), z.maxLength(200), plainText('line'))),
});

export const CommentResponseSchema = z.strictObject({
  response: z.string().check(z.minLength(1), z.maxLength(MAX_COMMENT_CHARS), plainText('lines')),
});
