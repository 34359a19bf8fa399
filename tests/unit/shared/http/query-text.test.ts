/**
 * Query strings carry one line of text (docs/http-api.md#text): a search (`q`), an actor id or any
 * other value with a control, line-break, direction or broken character is refused with a 400
 * naming the parameter, before the route's own checks.
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { parseQuery } from '../../../../shared/http/query.ts';

const Query = z.strictObject({ q: z.optional(z.string()), actor: z.optional(z.string()) });

function refusal(query: Record<string, string>): ValidationError {
  try {
    parseQuery(Query, query);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`took ${JSON.stringify(query)}`);
}

describe('parseQuery text hygiene', () => {
  it.each([
    ['q', '陶瓷\u0000', 'control-chars'],
    ['q', '\u001b[2J', 'control-chars'],
    ['q', '陶\u202e瓷', 'bidi-chars'],
    ['actor', 'u-1\u0085', 'control-chars'],
    ['actor', 'u\ud800', 'broken-char'],
    ['q', '陶瓷\n园区', 'single-line'],
    ['q', '陶瓷\t园区', 'single-line'],
  ])('refuses %s=%j with 400 naming it (%s)', (name, value, rule) => {
    const error = refusal({ [name]: value });
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([
      expect.objectContaining({ path: name, code: 'custom', params: expect.objectContaining({ rule }) }),
    ]);
  });

  it('names every offending parameter at once', () => {
    expect(refusal({ q: 'a\u0000', actor: 'b\u202e' }).issues?.map((i) => i.path)).toEqual(['q', 'actor']);
  });

  it('takes plain searches, emoji and zero-width joiners (control)', () => {
    expect(parseQuery(Query, { q: '醴陵 陶瓷（一期）👩\u200d🔬', actor: 'u-1' })).toEqual({
      q: '醴陵 陶瓷（一期）👩\u200d🔬',
      actor: 'u-1',
    });
  });
});
