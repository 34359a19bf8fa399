import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noticeIdOf, noticeKey, noticeKeyOfId } from '../../../../shared/store/keys.ts';

const kinds = ['ACCEPTANCE', 'PROPOSED_DECISION', 'DECISION', 'FILING'] as const;

describe('noticeId', () => {
  it('is the notice’s own key, one path segment, and names it back', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.uuid(),
        fc.constantFrom(...kinds),
        (at, applicationId, kind) => {
          const notice = { publishedAt: at.toISOString(), applicationId, kind };
          const id = noticeIdOf(notice);
          expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(noticeKeyOfId(id)).toEqual(noticeKey(notice as Parameters<typeof noticeKey>[0]));
        },
      ),
    );
  });

  it('names nothing for what no notice could have as its id', () => {
    const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    for (const bad of ['', 'a b', '../x', 'abc=', enc('a#b'), enc('a##c'), enc('#a#b'), 'x'.repeat(201)]) {
      expect(noticeKeyOfId(bad), bad).toBeUndefined();
    }
    // Another spelling of the same bytes (an unused low bit of the last character set) is refused.
    const id = noticeIdOf({
      publishedAt: '2026-03-03T02:00:00.000Z',
      applicationId: 'a',
      kind: 'ACCEPTANCE',
    });
    expect(noticeKeyOfId(id)).toBeDefined();
    // 37 bytes: the last of 50 characters carries 2 bits, the low 4 are unused.
    expect(Buffer.from(id, 'base64url')).toHaveLength(37);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const other = id.slice(0, -1) + alphabet[alphabet.indexOf(id.at(-1) ?? 'A') ^ 1];
    expect(Buffer.from(other, 'base64url')).toEqual(Buffer.from(id, 'base64url'));
    expect(noticeKeyOfId(other)).toBeUndefined();
  });
});
