import type { IsoDate } from './clock.ts';

/**
 * The written documents the bureau issues (docs/documents.md#written-documents): one per formal
 * act, rendered as PDF by the documents function, stored like an upload, its SHA-256 in the trail.
 */
export const documentKinds = [
  'ACCEPTANCE_NOTICE', // 受理通知书: accept, deemed acceptance
  'SUPPLEMENT_NOTICE', // 补正材料通知书: request_supplement
  'NOT_ACCEPTED_DECISION', // 不予受理决定书: decline
  'APPROVAL', // 审批意见（批复）: approve
  'REJECTION', // 不予批准决定书: reject
  'FILING_RECEIPT', // 备案回执: REGISTRATION submit
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/**
 * Each kind is numbered in a series of its own, sequential per year, gapless and never reused:
 * `醴环评〔2026〕17号`. Approvals and rejections share the decision series.
 */
export const numberSeries = ['acceptance', 'supplement', 'notAccepted', 'decision', 'receipt'] as const;
export type NumberSeries = (typeof numberSeries)[number];

export const seriesOf: Record<DocumentKind, NumberSeries> = {
  ACCEPTANCE_NOTICE: 'acceptance',
  SUPPLEMENT_NOTICE: 'supplement',
  NOT_ACCEPTED_DECISION: 'notAccepted',
  APPROVAL: 'decision',
  REJECTION: 'decision',
  FILING_RECEIPT: 'receipt',
};

/** Anyone may read these by their number (GET /public/documents/{number}/file); the rest only the case's parties. */
export const publicKinds: readonly DocumentKind[] = ['APPROVAL', 'REJECTION', 'FILING_RECEIPT'];

/** The document number: `${prefix}〔${year}〕${n}号`. */
export function formatNumber(prefix: string, year: number, n: number): string {
  return `${prefix}〔${year}〕${n}号`;
}

/** A document as the application record lists it. `sha256` is set once the PDF is stored. */
export interface DocumentRef {
  /** Stable for the act: `${kind}-${seq}` of the event that issued it, so a replay finds the same one. */
  documentId: string;
  kind: DocumentKind;
  number: string;
  issuedOn: IsoDate;
  /** The seq of the act's event. */
  seq: number;
  /** Set by the `issue_document` event once the PDF is stored. */
  sha256?: string;
  sizeBytes?: number;
  storedAt?: string;
}
