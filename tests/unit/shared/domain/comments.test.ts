/**
 * Public comments' rules at their boundary days: the window a notice takes comments in, the text
 * the public may send, and the proposal that waits for the acceptance comment period to end and
 * for every comment to be answered (the seen bug: accepted 03-03, comments open until 03-17,
 * proposed 03-06).
 */
import { describe, expect, it } from 'vitest';
import {
  commentsOpenUntil,
  commentWindowOpen,
  MAX_COMMENT_CHARS,
  proposalBlock,
  textIssue,
  unansweredOf,
} from '../../../../shared/domain/comments.ts';
import { decide } from '../../../../shared/domain/decide.ts';
import { RuleError } from '../../../../shared/domain/errors.ts';
import type { Notice } from '../../../../shared/domain/types.ts';
import { at, callers, driveTo, payloads, refusal } from './fixtures.ts';

const notice = (kind: Notice['kind'], endsOn?: string): Pick<Notice, 'kind' | 'endsOn'> => ({
  kind,
  ...(endsOn ? { endsOn } : {}),
});

describe('comment window', () => {
  it.each(['ACCEPTANCE', 'PROPOSED_DECISION'] as const)(
    '%s: open on its last day, closed the next',
    (kind) => {
      const n = notice(kind, '2026-03-17');
      expect(commentsOpenUntil(n)).toBe('2026-03-17');
      expect(commentWindowOpen(n, '2026-03-03')).toBe(true);
      expect(commentWindowOpen(n, '2026-03-17')).toBe(true);
      expect(commentWindowOpen(n, '2026-03-18')).toBe(false);
    },
  );

  it.each(['DECISION', 'FILING'] as const)('%s notices take no comments', (kind) => {
    expect(commentsOpenUntil(notice(kind, '2026-03-17'))).toBeUndefined();
    expect(commentWindowOpen(notice(kind, '2026-03-17'), '2026-03-03')).toBe(false);
  });

  it('a notice without a last day takes none', () => {
    expect(commentWindowOpen(notice('ACCEPTANCE'), '2026-03-03')).toBe(false);
  });
});

describe('comment text', () => {
  it('takes 1 and exactly the maximum characters (counted as characters)', () => {
    expect(textIssue('text', '好', MAX_COMMENT_CHARS, true)).toBeUndefined();
    expect(textIssue('text', '水'.repeat(MAX_COMMENT_CHARS), MAX_COMMENT_CHARS, true)).toBeUndefined();
    expect(textIssue('text', '😀'.repeat(MAX_COMMENT_CHARS), MAX_COMMENT_CHARS, true)).toBeUndefined();
    expect(textIssue('text', '第一段\n第二段\t缩进', MAX_COMMENT_CHARS, true)).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'must be text'],
    ['a number', 5, 'must be text'],
    ['empty', '', 'must not be empty'],
    ['blank', '  \n ', 'must not be empty'],
    ['one too long', 'a'.repeat(MAX_COMMENT_CHARS + 1), `at most ${MAX_COMMENT_CHARS}`],
    ['a NUL', 'a\u0000b', 'control characters'],
    ['an escape', 'a\u001b[2Jb', 'control characters'],
    ['a C1 control', 'a\u0085b', 'control characters'],
    ['DEL', 'a\u007fb', 'control characters'],
  ])('refuses %s, naming the field', (_label, value, message) => {
    const issue = textIssue('text', value, MAX_COMMENT_CHARS, true);
    expect(issue?.path).toBe('text');
    expect(issue?.message).toContain(message);
  });

  it('an optional field may be absent, but not empty', () => {
    expect(textIssue('name', undefined, 100, false)).toBeUndefined();
    expect(textIssue('name', '', 100, false)?.path).toBe('name');
  });
});

describe('proposal after the comment period, every comment answered', () => {
  const acceptance = {
    acceptedOn: '2026-03-03',
    deemed: false,
    noticePublishedOn: '2026-03-03',
    commentEndsOn: '2026-03-17',
  };

  it('refuses on the last comment day, allows the next', () => {
    expect(proposalBlock({ acceptance }, '2026-03-17', 0)?.type).toBe('comment-period-open');
    expect(proposalBlock({ acceptance }, '2026-03-18', 0)).toBeUndefined();
  });

  it('a period the sweeper closed does not block', () => {
    expect(
      proposalBlock({ acceptance: { ...acceptance, commentClosedOn: '2026-03-18' } }, '2026-03-18', 0),
    ).toBeUndefined();
  });

  it('refuses while one comment has no response, allows when none has', () => {
    const block = proposalBlock({ acceptance }, '2026-03-18', 1);
    expect(block?.type).toBe('comments-unanswered');
    expect(block?.message).toContain('1 public comment has');
    expect(proposalBlock({ acceptance }, '2026-03-18', 0)).toBeUndefined();
    expect(unansweredOf({ received: 3, answered: 2 })).toBe(1);
    expect(unansweredOf({ received: 3, answered: 3 })).toBe(0);
    expect(unansweredOf(undefined)).toBe(0);
  });

  // The seen bug: a REPORT accepted 03-03 (ten working days of comments, until 03-17) was
  // proposed on 03-06 and approved on 03-16, while the public could still comment.
  describe('regression: accepted 03-03, comments open until 03-17', () => {
    const t = driveTo('UNDER_REVIEW', 'REPORT', { on: '2026-03-02' });
    const propose = (day: string, unanswered = 0) =>
      decide(t.app, 'propose_decision', callers.reviewer, payloads.propose_decision, {
        now: at(day, '10:00'),
        requestId: 'req-comments',
        comments: { unanswered },
      });

    it('was accepted 03-03 with comments until 03-17', () => {
      expect(t.app.acceptance?.acceptedOn).toBe('2026-03-03');
      expect(t.app.acceptance?.commentEndsOn).toBe('2026-03-17');
    });

    it('refuses the proposal on 03-06 and on 03-17 with 422 comment-period-open', () => {
      for (const day of ['2026-03-06', '2026-03-17']) {
        const e = refusal(() => propose(day), RuleError, 422);
        expect(e.type).toBe('comment-period-open');
        expect(e.message).toContain('2026-03-17');
      }
    });

    it('with period: false only unanswered comments refuse', () => {
      const run = (unanswered: number) =>
        decide(t.app, 'propose_decision', callers.reviewer, payloads.propose_decision, {
          now: at('2026-03-06', '10:00'),
          requestId: 'req-comments',
          comments: { unanswered, period: false },
        });
      expect(refusal(() => run(1), RuleError, 422).type).toBe('comments-unanswered');
      expect(run(0).app.state).toBe('PUBLIC_NOTICE');
    });

    it('refuses on 03-18 while a comment is unanswered, then allows it', () => {
      const e = refusal(() => propose('2026-03-18', 2), RuleError, 422);
      expect(e.type).toBe('comments-unanswered');
      expect(propose('2026-03-18').app.state).toBe('PUBLIC_NOTICE');
    });
  });
});

describe('the decision after every comment is answered', () => {
  // On notice, its notice period over: the approver may decide.
  const onNotice = driveTo('PUBLIC_NOTICE');
  const after = onNotice.app.proposal?.noticeEndsOn ?? '';
  const day = (iso: string) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  const decideOn = (action: 'approve' | 'reject', unanswered: number) =>
    decide(onNotice.app, action, callers.approver, payloads[action], {
      now: at(day(after), '10:00'),
      requestId: 'req-decide',
      comments: { unanswered },
    });

  it.each(['approve', 'reject'] as const)(
    '%s is refused with 422 comments-unanswered while one waits',
    (action) => {
      const e = refusal(() => decideOn(action, 1), RuleError, 422);
      expect(e.type).toBe('comments-unanswered');
      expect(e.message).toContain('the case officer answers each before the decision');
    },
  );

  it.each(['approve', 'reject'] as const)('%s is taken once all are answered', (action) => {
    expect(decideOn(action, 0).app.state).toBe(action === 'approve' ? 'APPROVED' : 'REJECTED');
  });
});
