// @ts-nocheck
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import {
  checkAgainstDigests,
  type Digest,
  dayAfter,
  hashDigest,
  headsOf,
  sealDigest,
  verifyDigests,
} from '../../../../shared/domain/audit-digest.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const h = (c: string) => c.repeat(64);

/** Three consecutive days, newest first (as listed). */
function chainOf(): Digest[] {
  const d1 = sealDigest('2026-02-27', [
    { applicationId: B, seq: 1, hash: h('1') },
    { applicationId: A, seq: 1, hash: h('2') },
    { applicationId: A, seq: 2, hash: h('3') },
  ]);
  const d2 = sealDigest('2026-02-28', [], d1);
  const d3 = sealDigest('2026-03-01', [{ applicationId: A, seq: 3, hash: h('4') }], d2);
  return [d3, d2, d1];
}

describe('daily digests', () => {
  it('records each application’s newest event of the day, sorted by applicationId', () => {
    expect(
      headsOf([
        { applicationId: B, seq: 1, hash: h('1') },
        { applicationId: A, seq: 2, hash: h('3') },
        { applicationId: A, seq: 1, hash: h('2') },
      ]),
    ).toEqual([
      { applicationId: A, seq: 2, hash: h('3') },
      { applicationId: B, seq: 1, hash: h('1') },
    ]);
  });

  it('hashes the RFC 8785 canonical JSON of the digest without its hash, and links to GENESIS first', () => {
    const [, , first] = chainOf();
    if (!first) throw new Error('no digest');
    expect(first).toMatchObject({ day: '2026-02-27', count: 2, prevHash: GENESIS });
    const { hash, ...unsigned } = first;
    // An outsider's check: sort keys, no spaces, SHA-256 over UTF-8.
    const expected = createHash('sha256')
      .update(canonicalize(unsigned) ?? '', 'utf8')
      .digest('hex');
    expect(hash).toBe(expected);
    expect(hashDigest(unsigned)).toBe(hash);
  });

  it('chains days in order: each prevHash is the hash of the day before', () => {
    const [d3, d2, d1] = chainOf();
    expect(d2?.prevHash).toBe(d1?.hash);
    expect(d3?.prevHash).toBe(d2?.hash);
    expect(d2).toMatchObject({ applications: [], count: 0 });
    expect(verifyDigests(chainOf(), null)).toEqual({ chainOk: true });
    // Without the digest before the oldest, that one link is not checked.
    expect(verifyDigests(chainOf().slice(0, 2))).toEqual({ chainOk: true });
    expect(verifyDigests([], null)).toEqual({ chainOk: true });
  });

  it('finds an edited digest, a deleted day, a broken link and a first digest not at GENESIS', () => {
    const edited = chainOf();
    const middle = edited[1];
    if (!middle) throw new Error('no digest');
    edited[1] = { ...middle, applications: [{ applicationId: B, seq: 9, hash: h('9') }], count: 1 };
    expect(verifyDigests(edited, null)).toMatchObject({
      chainOk: false,
      firstBrokenDay: '2026-02-28',
      reason: expect.stringMatching(/hash of 2026-02-28/),
    });

    const [d3, , d1] = chainOf();
    if (!d3 || !d1) throw new Error('no digest');
    expect(verifyDigests([d3, d1], null)).toMatchObject({ chainOk: false, firstBrokenDay: '2026-03-01' });

    const relinked = sealDigest('2026-02-28', [], { hash: h('e') });
    expect(verifyDigests([relinked], d1)).toMatchObject({
      chainOk: false,
      firstBrokenDay: '2026-02-28',
      reason: expect.stringMatching(/prevHash/),
    });
    expect(verifyDigests([relinked], null)).toMatchObject({
      chainOk: false,
      reason: expect.stringMatching(/genesis/),
    });
  });

  it('names the first seq whose recorded hash the trail no longer holds', () => {
    const mentions = [
      { day: '2026-03-01', applicationId: A, seq: 3, hash: h('4') },
      { day: '2026-02-27', applicationId: A, seq: 2, hash: h('3') },
    ];
    const trail = new Map([
      [1, h('2')],
      [2, h('3')],
      [3, h('4')],
    ]);
    expect(checkAgainstDigests(mentions, (seq) => trail.get(seq))).toBeUndefined();
    trail.set(2, h('x'));
    trail.delete(3);
    expect(checkAgainstDigests(mentions, (seq) => trail.get(seq))).toMatchObject({ firstBrokenSeq: 2 });
    trail.set(2, h('3'));
    expect(checkAgainstDigests(mentions, (seq) => trail.get(seq))).toMatchObject({
      firstBrokenSeq: 3,
      reason: expect.stringMatching(/not in the trail/),
    });
  });

  it('counts UTC days across month and year ends', () => {
    expect(dayAfter('2026-02-28')).toBe('2026-03-01');
    expect(dayAfter('2028-02-28')).toBe('2028-02-29');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
  });
});
