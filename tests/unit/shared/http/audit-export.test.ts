import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskEvent, maskName } from '../../../../shared/domain/audit-mask.ts';
import type { AuditEvent } from '../../../../shared/domain/types.ts';
import {
  csvColumns,
  csvExport,
  escapedBytes,
  ndjsonExport,
  pageRenderer,
} from '../../../../shared/http/audit-export.ts';
import { trail } from '../../../support/trail-fixture.ts';

describe('escapedBytes', () => {
  it('is the size of the text as a JSON string in the response envelope, quotes aside', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapedBytes(text)).toBe(Buffer.byteLength(JSON.stringify(text)) - 2);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts an escaped control character as six bytes and a quote as two', () => {
    expect(escapedBytes('\u0001')).toBe(6);
    expect(escapedBytes('"')).toBe(2);
    expect(escapedBytes('醴')).toBe(3);
  });
});

describe('pageRenderer', () => {
  afterEach(() => vi.restoreAllMocks());
  const { events } = trail(3);
  const header = {
    exportedAt: '2025-06-10T00:00:00.000Z',
    filter: {},
    order: 'asc',
    personalData: 'masked' as const,
  };

  it('serialises each event once, for the budget and the NDJSON export together', () => {
    const render = pageRenderer('ndjson', maskEvent);
    const stringify = vi.spyOn(JSON, 'stringify');
    for (const event of events) render.bytes(event);
    const body = ndjsonExport(header, events.map(render.line));
    // One call per event, plus one for the header line.
    expect(stringify).toHaveBeenCalledTimes(events.length + 1);
    vi.restoreAllMocks();
    const lines = body.trimEnd().split('\n').slice(1);
    expect(lines.map((line) => JSON.parse(line))).toEqual(events.map(maskEvent));
  });

  it('counts the bytes of the line it exports (masked when asked), plus a separator', () => {
    const render = pageRenderer('csv', maskEvent);
    const plain = pageRenderer('csv', (event) => event);
    for (const event of events) {
      expect(render.bytes(event)).toBe(Buffer.byteLength(JSON.stringify(render.line(event))) - 1);
      expect(render.line(event)).toBe(plain.line(maskEvent(event)));
    }
    // The fixture has personal data to mask, so the two renderings differ somewhere.
    expect(events.some((event) => plain.line(event) !== render.line(event))).toBe(true);
    const body = csvExport(header, events.map(render.line));
    expect(body.split('\r\n')).toHaveLength(events.length + 3);
  });
});

describe('the CSV export, for Excel and WPS', () => {
  const { events } = trail(1);
  const header = {
    exportedAt: '2025-06-10T00:00:00.000Z',
    filter: {},
    order: 'asc',
    personalData: 'masked' as const,
  };
  const csv = (lang: 'zh' | 'en', shown: readonly AuditEvent[] = events) => {
    const render = pageRenderer('csv', maskEvent, lang);
    return csvExport(header, shown.map(render.line), lang);
  };
  /** The cells of one record that has no quoted comma or line break in it. */
  const cells = (row: string | undefined) => (row ?? '').split(',');

  it('starts with the UTF-8 byte order mark and ends every record with CRLF', () => {
    const bytes = Buffer.from(csv('zh'), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    // Every line break is a CRLF (JSON cells carry no raw line breaks).
    expect(text.match(/\n/g)?.length).toBe(text.match(/\r\n/g)?.length);
    expect(text.split('\r\n')).toHaveLength(events.length + 3);
  });

  it('names its columns in Chinese for a Chinese caller and in English otherwise', () => {
    const zh = csv('zh').split('\r\n');
    const en = csv('en').split('\r\n');
    expect(zh[1]).toBe(csvColumns.zh.join(','));
    expect(zh[1]?.startsWith('时间（北京时间）,申请编号,序号,操作,操作人,角色,原状态,新状态,')).toBe(true);
    expect(
      en[1]?.startsWith('Time (Beijing time),Application ID,Seq,Action,Actor,Role,From state,To state,'),
    ).toBe(true);
    expect(csvColumns.zh).toHaveLength(csvColumns.en.length);
    // The first line says what the file holds, in the same language, at Beijing time.
    expect(zh[0]).toContain('审计事件导出；导出时间（北京时间）2025-06-10 08:00:00');
    expect(zh[0]).toContain('个人信息已遮蔽');
    expect(zh[0]).not.toMatch(/exportedAt|personalData/);
    expect(en[0]).toContain('exportedAt=2025-06-10T00:00:00.000Z');
  });

  it('writes actions, roles and states in words, and keeps the action code in a column of its own', () => {
    const zh = csv('zh').split('\r\n');
    const en = csv('en').split('\r\n');
    const accept = events.findIndex((e) => e.action === 'accept');
    const zhAccept = cells(zh[2 + accept]);
    const enAccept = cells(en[2 + accept]);
    expect(zhAccept.slice(3, 9)).toEqual([
      '受理',
      events[accept]?.actor.name,
      '窗口受理',
      '已提交',
      '已受理',
      'accept',
    ]);
    expect(enAccept.slice(3, 9)).toEqual([
      'Accept',
      events[accept]?.actor.name,
      'Clerk',
      'Submitted',
      'Accepted',
      'accept',
    ]);
    // The first event has no state before it: an empty cell, not a code or "null".
    // The applicant who acted is masked in a masked export: the family name (first character) stays.
    expect(cells(zh[2]).slice(3, 9)).toEqual([
      '创建草稿',
      maskName(events[0]?.actor.name ?? ''),
      '申请人',
      '',
      '草稿',
      'create',
    ]);
  });

  it('gives times in Beijing time, eight hours ahead of UTC, across midnight', () => {
    const [first] = events;
    if (!first) throw new Error('no event');
    const late = { ...first, at: '2026-03-01T17:30:05.123Z' };
    const early = { ...first, at: '2026-03-01T15:59:59.999Z' };
    const rows = csv('zh', [late, early]).split('\r\n');
    expect(cells(rows[2])[0]).toBe('2026-03-02 01:30:05');
    expect(cells(rows[3])[0]).toBe('2026-03-01 23:59:59');
  });

  it('still neutralises formulas, in names and in words alike', () => {
    const [first] = events;
    if (!first) throw new Error('no event');
    const hostile = {
      ...first,
      action: '=cmd|calc',
      // An official's name: shown as given (an applicant's would be masked), made harmless.
      actor: { ...first.actor, role: 'reviewer' as const, name: '=HYPERLINK("http://evil","click")' },
    };
    const row = csv('en', [hostile]).split('\r\n')[2] ?? '';
    expect(row).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(row).toContain("'=cmd|calc");
    expect(row).not.toMatch(/(^|,)=/);
  });

  it('masks personal data in the CSV unless it is asked for', () => {
    const plain = pageRenderer('csv', (event) => event, 'zh');
    const masked = pageRenderer('csv', maskEvent, 'zh');
    const [create] = events;
    if (!create) throw new Error('no event');
    const phone = (create.payload as { applicant: { contactPhone: string } }).applicant.contactPhone;
    expect(plain.line(create)).toContain(phone);
    expect(masked.line(create)).not.toContain(phone);
  });
});
