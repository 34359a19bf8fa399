// @ts-nocheck
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskEvent } from '../../../../shared/domain/audit-mask.ts';
import { csvExport, escapedBytes, ndjsonExport, pageRenderer } from '../../../../shared/http/audit-export.ts';
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
