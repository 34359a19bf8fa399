import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { parseNoticeQuery } from '../../../../shared/http/notice-query.ts';

function named(query: Record<string, string>): string[] {
  try {
    parseNoticeQuery(query);
  } catch (error) {
    if (error instanceof ValidationError) return (error.issues ?? []).map((i) => i.path);
    throw error;
  }
  throw new Error(`taken: ${JSON.stringify(query)}`);
}

describe('parseNoticeQuery', () => {
  it('takes every filter, trimming q', () => {
    expect(
      parseNoticeQuery({ q: ' 醴陵 ', kind: 'FILING', from: '2026-03-01', to: '2026-03-31', limit: '5' }),
    ).toMatchObject({
      search: { q: '醴陵', kind: 'FILING', from: '2026-03-01', to: '2026-03-31' },
      limit: 5,
    });
    expect(parseNoticeQuery({})).toMatchObject({ search: {}, limit: 20 });
    expect(parseNoticeQuery({ from: '2026-03-01', to: '2026-03-01' }).search).toEqual({
      from: '2026-03-01',
      to: '2026-03-01',
    });
  });

  it('takes q of 1 to 100 characters, counted as a person does', () => {
    expect(parseNoticeQuery({ q: 'x' }).search.q).toBe('x');
    expect(parseNoticeQuery({ q: '醴'.repeat(100) }).search.q).toHaveLength(100);
    expect(parseNoticeQuery({ q: '💥'.repeat(100) }).search.q).toBe('💥'.repeat(100));
    expect(named({ q: 'x'.repeat(101) })).toEqual(['q']);
    expect(named({ q: '' })).toEqual(['q']);
    expect(named({ q: '   ' })).toEqual(['q']);
  });

  it('refuses control characters and broken text in q', () => {
    for (const q of ['a\u0000b', 'line\nbreak', 'tab\t', '\u007f', 'x\ud800'])
      expect(named({ q }), q).toEqual(['q']);
  });

  it('refuses an unknown kind, naming kind', () => {
    for (const kind of ['acceptance', 'NOTICE', '', 'DECISION '])
      expect(named({ kind }), kind).toEqual(['kind']);
  });

  it('refuses what is no date, naming the parameter', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-3-1', '20260301', '2026-03-01T00:00:00Z', ''])
      for (const name of ['from', 'to']) expect(named({ [name]: bad }), `${name}=${bad}`).toEqual([name]);
  });

  it('refuses from after to, naming from', () => {
    expect(named({ from: '2026-03-02', to: '2026-03-01' })).toEqual(['from']);
  });

  it('refuses unknown parameters, naming them', () => {
    expect(named({ state: 'DRAFT' })).toEqual(['state']);
  });

  it('signs cursors for the search: each filter changes the fingerprint, the plain list keeps its own', () => {
    const print = (query: Record<string, string>) => parseNoticeQuery(query).fingerprint;
    expect(print({})).toBe('["notices"]');
    expect(print({ limit: '5' })).toBe('["notices"]');
    const prints = [
      { q: '醴陵' },
      { q: '醴陵市' },
      { q: 'Liling' },
      { q: 'liling' },
      { kind: 'FILING' },
      { kind: 'DECISION' },
      { from: '2026-03-01' },
      { to: '2026-03-01' },
      { from: '2026-03-01', to: '2026-03-31' },
      { q: '醴陵', kind: 'FILING' },
    ].map(print);
    expect(new Set(prints).size).toBe(prints.length);
    expect(prints).not.toContain('["notices"]');
    // The same search spelled in another order is the same search.
    expect(print({ kind: 'FILING', q: '醴陵' })).toBe(print({ q: '醴陵', kind: 'FILING' }));
  });
});
