// @ts-nocheck
import type { AuditEvent } from '../domain/types.ts';
import { csvRow } from './csv.ts';
import type { Result } from './respond.ts';

/**
 * Exports of audit events: NDJSON (a header line, then one event per line, exactly as stored) and
 * CSV (a header line, column names, one event per row; payload and changes as JSON cells).
 */

/** What the first line of an export says. */
export interface ExportHeader {
  exportedAt: string;
  filter: Record<string, string>;
  order: string;
  personalData: 'masked' | 'included';
  /** The cursor this page was asked with, if it is not the first. */
  cursor?: string;
  /** Where the next page starts (also in the x-next-cursor header). */
  nextCursor?: string;
}

export const csvColumns = [
  'applicationId',
  'seq',
  'at',
  'action',
  'actorId',
  'actorRole',
  'actorName',
  'from',
  'to',
  'requestId',
  'prevHash',
  'hash',
  'payload',
  'changes',
] as const;

function csvRecord(event: AuditEvent): string {
  return csvRow([
    event.applicationId,
    event.seq,
    event.at,
    event.action,
    event.actor.id,
    event.actor.role,
    event.actor.name,
    event.from,
    event.to,
    event.requestId,
    event.prevHash,
    event.hash,
    JSON.stringify(event.payload ?? null),
    JSON.stringify(event.changes),
  ]);
}

/**
 * Lambda answers at most 6 MB, counted on its JSON envelope in which the body is an escaped string;
 * a page stops before it would pass this many bytes of that (the rest is headers and the header line).
 */
export const RESPONSE_BUDGET_BYTES = 5_000_000;

export type Format = 'json' | 'ndjson' | 'csv';

/**
 * Bytes `text` takes once escaped into a JSON string, the way Lambda's envelope carries the body:
 * counted in one pass instead of serialising the text a second time.
 */
export function escapedBytes(text: string): number {
  let bytes = Buffer.byteLength(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d)
      bytes += 1; // \" \\ \b \t \n \f \r
    else if (c < 0x20) bytes += 5; // \u00XX
  }
  return bytes;
}

/**
 * Each event of a page rendered once, as it will be shown (masked or not): the size budget counts
 * the very line that the export then writes, so no event is serialised twice.
 */
export function pageRenderer(format: Format, shown: (event: AuditEvent) => AuditEvent) {
  const lines = new WeakMap<AuditEvent, string>();
  const line = (event: AuditEvent): string => {
    let rendered = lines.get(event);
    if (rendered === undefined) {
      const view = shown(event);
      rendered = format === 'csv' ? csvRecord(view) : JSON.stringify(view);
      lines.set(event, rendered);
    }
    return rendered;
  };
  return {
    line,
    /** An event's share of the response as Lambda counts it (its line, escaped, and a separator). */
    bytes: (event: AuditEvent): number => escapedBytes(line(event)) + 1,
  };
}

/** NDJSON: the header line, then the events' lines (as `pageRenderer` wrote them). */
export function ndjsonExport(header: ExportHeader, lines: readonly string[]): string {
  return [JSON.stringify({ export: 'eia-audit-events', ...header }), ...lines]
    .map((line) => `${line}\n`)
    .join('');
}

/** CSV: the header line, the column names, then the events' rows (as `pageRenderer` wrote them). */
export function csvExport(header: ExportHeader, rows: readonly string[]): string {
  const { exportedAt, filter, order, personalData, cursor } = header;
  const about = `# eia-audit-events exportedAt=${exportedAt} filter=${JSON.stringify(filter)} order=${order} personalData=${personalData}${cursor ? ` cursor=${cursor}` : ''}`;
  return [csvRow([about]), csvRow(csvColumns), ...rows].join('');
}

const contentTypes = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
} as const;

/** An export page as a download: its type, a file name, and the next page's cursor in a header. */
export function download(
  format: 'ndjson' | 'csv',
  body: string,
  exportedAt: string,
  nextCursor: string | undefined,
  headers: Record<string, string> = {},
): Result {
  const stamp = exportedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return {
    statusCode: 200,
    headers: {
      'content-type': contentTypes[format],
      'content-disposition': `attachment; filename="audit-events-${stamp}.${format}"`,
      'cache-control': 'no-store',
      ...(nextCursor ? { 'x-next-cursor': nextCursor } : {}),
      ...headers,
    },
    body,
  };
}
