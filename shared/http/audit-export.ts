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

/** An event's share of the response as Lambda counts it. */
export function responseBytes(event: AuditEvent, format: 'json' | 'ndjson' | 'csv'): number {
  const rendered = format === 'csv' ? csvRecord(event) : JSON.stringify(event);
  return Buffer.byteLength(JSON.stringify(rendered)) + 1;
}

export function ndjsonExport(header: ExportHeader, events: readonly AuditEvent[]): string {
  return [JSON.stringify({ export: 'eia-audit-events', ...header }), ...events.map((e) => JSON.stringify(e))]
    .map((line) => `${line}\n`)
    .join('');
}

export function csvExport(header: ExportHeader, events: readonly AuditEvent[]): string {
  const { exportedAt, filter, order, personalData, cursor } = header;
  const about = `# eia-audit-events exportedAt=${exportedAt} filter=${JSON.stringify(filter)} order=${order} personalData=${personalData}${cursor ? ` cursor=${cursor}` : ''}`;
  return [csvRow([about]), csvRow(csvColumns), ...events.map(csvRecord)].join('');
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
