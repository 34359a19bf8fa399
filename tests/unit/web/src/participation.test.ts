import { describe, expect, it } from 'vitest';
import {
  addDays,
  beijingDate,
  charCount,
  commentsOpen,
  hearingAt,
  hearingDays,
  hearingRequestsOpen,
  isEmail,
  proposalBlocks,
  unansweredIn,
  windowOpen,
} from '../../../../web/src/participation.ts';

/** The console's rules of public participation (web/src/participation.ts), each at its boundary. */
describe('the windows of a notice', () => {
  it('are open from the first day through the last, both included', () => {
    expect(windowOpen('2026-12-10', '2026-12-11', '2026-12-04')).toBe(true);
    expect(windowOpen('2026-12-11', '2026-12-11', '2026-12-04')).toBe(true);
    expect(windowOpen('2026-12-12', '2026-12-11', '2026-12-04')).toBe(false);
    expect(windowOpen('2026-12-03', '2026-12-11', '2026-12-04')).toBe(false);
    expect(windowOpen('2026-12-04', '2026-12-11', '2026-12-04')).toBe(true);
    expect(windowOpen('2026-12-04', undefined)).toBe(false);
  });

  it('take comments while commentsOpenUntil lasts, hearing requests only on a proposed decision', () => {
    const accepted = { kind: 'ACCEPTANCE', publishedOn: '2026-12-04', commentsOpenUntil: '2026-12-11' };
    expect(commentsOpen(accepted, '2026-12-11')).toBe(true);
    expect(commentsOpen(accepted, '2026-12-12')).toBe(false);
    expect(commentsOpen({ kind: 'DECISION', publishedOn: '2026-12-04' }, '2026-12-04')).toBe(false);
    // An acceptance notice never takes hearing requests, even with a date beside it.
    expect(hearingRequestsOpen({ ...accepted, hearingRequestsOpenUntil: '2026-12-11' }, '2026-12-05')).toBe(
      false,
    );
    const proposed = {
      kind: 'PROPOSED_DECISION',
      publishedOn: '2026-12-14',
      hearingRequestsOpenUntil: '2026-12-18',
    };
    expect(hearingRequestsOpen(proposed, '2026-12-18')).toBe(true);
    expect(hearingRequestsOpen(proposed, '2026-12-19')).toBe(false);
    expect(hearingRequestsOpen({ ...proposed, hearingRequestsOpenUntil: undefined }, '2026-12-15')).toBe(
      false,
    );
  });
});

describe('counting', () => {
  it('counts characters as the API does: code points, trimmed', () => {
    expect(charCount('  意见  ')).toBe(2);
    expect(charCount('😀a')).toBe(2);
    expect('😀a'.length).toBe(3);
    expect(charCount('')).toBe(0);
  });

  it('takes dates in Beijing, where a day starts 8 hours before UTC', () => {
    expect(beijingDate(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
    expect(beijingDate(new Date('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
  });
});

describe('what stops a proposal', () => {
  const acceptance = { commentEndsOn: '2026-12-11' };
  it('is the comment period through its last day, then nothing', () => {
    expect(proposalBlocks({ acceptance }, '2026-12-11')).toEqual([
      { type: 'comment-period-open', until: '2026-12-11' },
    ]);
    expect(proposalBlocks({ acceptance }, '2026-12-12')).toEqual([]);
    // Closed by the sweeper: no longer a block, whatever the date.
    expect(
      proposalBlocks({ acceptance: { ...acceptance, commentClosedOn: '2026-12-11' } }, '2026-12-10'),
    ).toEqual([]);
  });

  it('is every comment without a response, listed with the period when both apply', () => {
    expect(proposalBlocks({ acceptance, comments: { received: 3, answered: 1 } }, '2026-12-10')).toEqual([
      { type: 'comment-period-open', until: '2026-12-11' },
      { type: 'comments-unanswered', unanswered: 2 },
    ]);
    expect(proposalBlocks({ acceptance, comments: { received: 3, answered: 3 } }, '2026-12-12')).toEqual([]);
    expect(proposalBlocks({}, '2026-12-12')).toEqual([]);
  });

  it('reads the number of unanswered comments from the API’s detail', () => {
    expect(unansweredIn('1 public comment has no response yet; answer each before proposing')).toBe(1);
    expect(unansweredIn('12 public comments have no response yet; answer each before proposing')).toBe(12);
    expect(unansweredIn('something else')).toBeUndefined();
  });
});

describe('the hearing’s time', () => {
  it('is sent as ISO 8601 with the +08:00 offset', () => {
    expect(hearingAt('2026-12-20T09:30')).toBe('2026-12-20T09:30:00+08:00');
    expect(hearingAt('2026-12-20T09:30:15')).toBe('2026-12-20T09:30:15+08:00');
    expect(hearingAt('2026-12-20')).toBeUndefined();
    expect(hearingAt('')).toBeUndefined();
    expect(hearingAt('2026-13-40T09:30')).toBeUndefined();
  });

  it('may be put from 7 calendar days ahead through the last day it may be held', () => {
    expect(hearingDays('2026-12-12', '2027-01-08')).toEqual({
      earliest: '2026-12-19',
      latest: '2027-01-08',
      possible: true,
    });
    expect(hearingDays('2027-01-01', '2027-01-08').possible).toBe(true);
    expect(hearingDays('2027-01-02', '2027-01-08').possible).toBe(false);
  });

  it('tells e-mail addresses from phone numbers', () => {
    expect(isEmail('lixm@example.cn')).toBe(true);
    expect(isEmail('13907331234')).toBe(false);
    expect(isEmail('a@b')).toBe(false);
  });
});
