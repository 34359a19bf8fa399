import { describe, expect, it } from 'vitest';
import { createApplication, decide } from '../../../../shared/domain/decide.ts';
import {
  findMatches,
  findTerms,
  findTextOf,
  foldForFind,
  withActingOfficial,
} from '../../../../shared/domain/find.ts';
import type { Application, Caller } from '../../../../shared/domain/types.ts';
import { createBody, ORG_CODE } from '../../functions/fixtures.ts';

const owner: Caller = { id: 'applicant-1', name: '李明', roles: ['applicant'], orgCode: ORG_CODE };
const clerk: Caller = { id: 'clerk-1', name: '王芳', roles: ['clerk'] };
const now = new Date('2026-03-02T01:00:00.000Z');

function draft(): Application {
  return createApplication(
    {
      ...createBody(),
      project: { ...createBody().project, name: '醴陵市 陶瓷产业园（二期）' },
      applicant: {
        ...createBody().applicant,
        orgName: '醴陵市Ｈｏｎｇｙｕａｎ陶瓷有限公司',
        contactName: '李 明',
      },
    },
    owner,
    { now, requestId: 'r-1', id: '0b6f3c1e-6a2d-4f7b-9c3e-2d5a8e4f1a90' },
  ).app;
}

describe('folding', () => {
  it('folds full-width forms and case, and drops spaces, brackets and dashes', () => {
    expect(foldForFind('醴环评〔2026〕17号')).toBe('醴环评202617号');
    expect(foldForFind('醴环评[2026] 17 号')).toBe('醴环评202617号');
    expect(foldForFind('ＬＬＨＳ－２０２６')).toBe('llhs2026');
    expect(foldForFind('李\u3000明')).toBe('李明');
  });

  it('splits a search where the person put spaces (also full-width ones), each term folded, none empty', () => {
    expect(findTerms('  陶瓷\u3000二期 ')).toEqual(['陶瓷', '二期']);
    expect(findTerms('〔 〕 -')).toEqual([]);
    expect(findTerms('Abc abc')).toEqual(['abc']);
  });
});

describe('the words an application is found by', () => {
  it('hold its project, organisation, code, contact and id, folded, and every term must be there', () => {
    const text = findTextOf(draft());
    for (const q of [
      '陶瓷产业园(二期)',
      '陶瓷 产业园',
      'hongyuan',
      ORG_CODE.toLowerCase(),
      '李明',
      '0B6F3C1E',
    ])
      expect(findMatches(text, findTerms(q)), q).toBe(true);
    for (const q of ['株洲', '陶瓷 株洲', '王芳']) expect(findMatches(text, findTerms(q)), q).toBe(false);
  });

  it('never match across two values', () => {
    const app = draft();
    const text = findTextOf(app);
    // The project's name ends in 二期, the organisation's name begins with 醴陵市.
    expect(findMatches(text, findTerms('二期醴陵市'))).toBe(false);
  });

  it('hold the case, decision and receipt numbers, the documents’ numbers, a walk-in and the consultancy', () => {
    const app: Application = {
      ...draft(),
      caseNumber: 'LLHS-2026-7F3K2Q9M',
      decisionNumber: '醴环评〔2026〕17号',
      receiptNumber: '醴环备〔2026〕3号',
      preparedBy: { orgName: '湖南某环境咨询有限公司', orgCode: '914302000000000001' },
      intake: {
        kind: 'WALK_IN',
        by: { id: 'clerk-9', name: '窗口张三' },
        onBehalfOf: { orgName: '代录单位', orgCode: 'X1' },
      },
      documents: [
        {
          documentId: 'ACCEPTANCE-3',
          kind: 'ACCEPTANCE_NOTICE',
          number: '醴环受〔2026〕8号',
          issuedOn: '2026-03-03',
          seq: 3,
        },
      ] as NonNullable<Application['documents']>,
    };
    const text = findTextOf(app);
    for (const q of [
      '7f3k2q9m',
      '醴环评[2026]17号',
      '环备〔2026〕3',
      '环境咨询',
      '窗口张三',
      '代录单位',
      '环受 8号',
    ])
      expect(findMatches(text, findTerms(q)), q).toBe(true);
  });
});

describe('the officials who acted', () => {
  it('are noted by the step of an official acting for the first time, once each, and found by name', () => {
    const submitted = decide(draft(), 'submit', owner, {}, { now, requestId: 'r-2' });
    expect(submitted.app.officials).toBeUndefined();
    expect(submitted.event.changes).not.toHaveProperty('officials');
    const accepted = decide(submitted.app, 'accept', clerk, {}, { now, requestId: 'r-3' });
    expect(accepted.event.changes.officials).toEqual([{ id: 'clerk-1', name: '王芳', role: 'clerk' }]);
    expect(accepted.app.officials).toEqual([{ id: 'clerk-1', name: '王芳', role: 'clerk' }]);
    expect(findMatches(findTextOf(accepted.app), findTerms('王芳'))).toBe(true);
  });

  it('add a new official after those listed, and nobody else', () => {
    const app = { officials: [{ id: 'clerk-1', name: '王芳', role: 'clerk' as const }] };
    expect(withActingOfficial(app, { id: 'clerk-1', name: '王芳', role: 'clerk' })).toBeUndefined();
    expect(withActingOfficial(app, { id: 'sys', name: 'sweeper', role: 'system' })).toBeUndefined();
    expect(withActingOfficial(app, { id: 'a', name: '申请人', role: 'applicant' })).toBeUndefined();
    expect(withActingOfficial(app, { id: 'r-1', name: '陈静', role: 'reviewer' })).toEqual([
      ...app.officials,
      { id: 'r-1', name: '陈静', role: 'reviewer' },
    ]);
  });
});
