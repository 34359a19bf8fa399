import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijingDate } from '../../../../shared/domain/calendar.ts';
import {
  foldText,
  isFiltered,
  noticeMatches,
  publishedBounds,
} from '../../../../shared/domain/notice-search.ts';
import type { Notice } from '../../../../shared/domain/types.ts';

const notice: Notice = {
  kind: 'DECISION',
  applicationId: '11111111-2222-4333-8444-555555555555',
  publishedAt: '2026-03-09T16:30:00.000Z',
  publishedOn: '2026-03-10',
  category: 'REPORT',
  projectName: '醴陵市 Liling Ceramics 窑炉改造项目',
  location: '湖南省醴陵市经济开发区',
  industry: '陶瓷',
  orgName: '醴陵市华联瓷业有限公司',
  number: '醴环审〔2026〕7号',
};

describe('noticeMatches', () => {
  it('finds q in the project name, the organisation, the number and the location', () => {
    for (const q of ['窑炉改造', '华联瓷业', '〔2026〕7号', '经济开发区', '醴陵市'])
      expect(noticeMatches(notice, { q }), q).toBe(true);
    expect(noticeMatches(notice, { q: '株洲' })).toBe(false);
    // The industry is not searched.
    expect(noticeMatches(notice, { q: '陶瓷' })).toBe(false);
    const { number: _number, ...unnumbered } = notice;
    expect(noticeMatches(unnumbered, { q: '7号' })).toBe(false);
  });

  it('matches Latin letters in any case, and full-width letters and digits as ordinary ones', () => {
    for (const q of ['liling', 'LILING', 'lIlInG ceramics', 'ｌｉｌｉｎｇ', 'ＬＩＬＩＮＧ', '２０２６'])
      expect(noticeMatches(notice, { q }), q).toBe(true);
    expect(noticeMatches(notice, { q: 'lilingc' })).toBe(false);
    expect(foldText('ＡＢＣ１醴')).toBe('abc1醴');
  });

  it('takes the kind', () => {
    expect(noticeMatches(notice, { kind: 'DECISION' })).toBe(true);
    expect(noticeMatches(notice, { kind: 'ACCEPTANCE' })).toBe(false);
  });

  it('takes from and to inclusive, on publishedOn (the day before and after are out)', () => {
    expect(noticeMatches(notice, { from: '2026-03-10', to: '2026-03-10' })).toBe(true);
    expect(noticeMatches(notice, { from: '2026-03-11' })).toBe(false);
    expect(noticeMatches(notice, { to: '2026-03-09' })).toBe(false);
    expect(noticeMatches(notice, { from: '2026-03-09', to: '2026-03-11' })).toBe(true);
  });

  it('needs every filter given to hold', () => {
    expect(noticeMatches(notice, { kind: 'DECISION', q: '华联', from: '2026-03-10' })).toBe(true);
    expect(noticeMatches(notice, { kind: 'DECISION', q: '华联', from: '2026-03-11' })).toBe(false);
    expect(noticeMatches(notice, { kind: 'FILING', q: '华联' })).toBe(false);
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ q: 'x' })).toBe(true);
  });
});

describe('publishedBounds', () => {
  it('is the Beijing days from `from` to `to` as UTC instants', () => {
    expect(publishedBounds({ from: '2026-03-10', to: '2026-03-10' })).toEqual({
      lo: '2026-03-09T16:00:00.000Z',
      hi: '2026-03-10T16:00:00.000Z',
    });
    expect(publishedBounds({})).toEqual({});
    expect(publishedBounds({ to: '9999-12-31' })).toEqual({ hi: '9999-12-31T16:00:00.000Z' });
  });

  it('holds an instant exactly when its Beijing day is within the days', () => {
    const day = fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        day,
        day,
        (at, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const { lo = '', hi = '' } = publishedBounds({ from, to });
          const iso = at.toISOString();
          const on = beijingDate(at);
          expect(lo <= iso && iso < hi).toBe(from <= on && on <= to);
        },
      ),
    );
  });
});
