import type { DayType, IsoDate } from '../domain/clock.ts';
import type { DocumentKind } from '../domain/documents.ts';
import type { ProvisionalNote } from '../domain/provisional.ts';
import type { Category } from '../domain/types.ts';

/** The issuing authority, printed as the letterhead and above the date. */
export interface Bureau {
  zh: string;
  en: string;
}

export const LILING_BUREAU: Bureau = {
  zh: '醴陵市生态环境局',
  en: 'Liling Municipal Bureau of Ecology and Environment',
};

/**
 * What every written document carries. Only the organisation's name and code are printed: a
 * document holds no personal contact data (contact person, phone), so the public kinds can be
 * served as stored.
 */
interface CommonContent {
  kind: DocumentKind;
  /** The document's own number, e.g. `醴环评〔2026〕17号`. */
  number: string;
  issuedOn: IsoDate;
  /** Absent before acceptance (a supplement notice, a decision not to accept, a filing receipt). */
  caseNumber?: string;
  category: Category;
  project: { name: string; location: string; industry: string; investmentCny: number };
  applicant: { orgName: string; orgCode: string };
  /** `${PUBLIC_BASE_URL}/#/verify/<number>`: printed in full and as a QR code. */
  verifyUrl: string;
  /** Default: 醴陵市生态环境局 ({@link LILING_BUREAU}). */
  bureau?: Bureau;
}

/** 受理通知书: accept and deemed acceptance. */
export interface AcceptanceNoticeContent extends CommonContent {
  kind: 'ACCEPTANCE_NOTICE';
  receivedOn: IsoDate;
  limitDays: number;
  dayType: DayType;
  /** The last day of the statutory time limit. */
  dueOn: IsoDate;
  /** Present when `dueOn` is counted through a year whose holidays are not yet published. */
  provisional?: ProvisionalNote;
  /** Deemed acceptance (the time to examine the materials ran out): said as such. */
  deemed?: boolean;
}

/** 补正材料通知书: the one supplement notice, every deficient material with its reason. */
export interface SupplementNoticeContent extends CommonContent {
  kind: 'SUPPLEMENT_NOTICE';
  items: { code: string; name: string; reason: string }[];
}

/** 不予受理决定书. */
export interface NotAcceptedDecisionContent extends CommonContent {
  kind: 'NOT_ACCEPTED_DECISION';
  reasons: string[];
}

/** 环评批复: the approval and its conditions, word for word as the approver gave them. */
export interface ApprovalContent extends CommonContent {
  kind: 'APPROVAL';
  conditions: string[];
  /** Public comments received during the public notice, and how many of them were considered. */
  comments: { received: number; considered: number };
}

/** 不予批准决定书. */
export interface RejectionContent extends CommonContent {
  kind: 'REJECTION';
  reasons: string[];
}

/** 备案回执: a registration form filed. */
export interface FilingReceiptContent extends CommonContent {
  kind: 'FILING_RECEIPT';
  receiptNumber: string;
}

export type DocumentContent =
  | AcceptanceNoticeContent
  | SupplementNoticeContent
  | NotAcceptedDecisionContent
  | ApprovalContent
  | RejectionContent
  | FilingReceiptContent;

/** The document's name as printed under the letterhead (the approval's full title names the project). */
export const documentTitles: Record<DocumentKind, { zh: string; en: string }> = {
  ACCEPTANCE_NOTICE: { zh: '受理通知书', en: 'Notice of Acceptance' },
  SUPPLEMENT_NOTICE: { zh: '补正材料通知书', en: 'Notice to Supplement Materials' },
  NOT_ACCEPTED_DECISION: { zh: '不予受理决定书', en: 'Decision Not to Accept' },
  APPROVAL: { zh: '环境影响评价文件批复', en: 'Approval of the Environmental Impact Assessment' },
  REJECTION: { zh: '不予批准决定书', en: 'Decision Not to Approve' },
  FILING_RECEIPT: { zh: '建设项目环境影响登记表备案回执', en: 'Receipt of Filing: EIA Registration Form' },
};
