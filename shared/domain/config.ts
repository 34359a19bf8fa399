import type { DayType } from './clock.ts';
import type { NumberSeries } from './documents.ts';
import type { Category } from './types.ts';
import type { FileType } from './uploads.ts';

/**
 * The bureau's settings as data: materials per category, time limits and notice periods.
 * This object is the seed (version 1); the bureau changes it at run time (PUT /admin/config, shared/
 * runtime/workflow-config.ts) and each application follows the version it was submitted under.
 */
export interface MaterialDef {
  code: string;
  zh: string;
  en: string;
}

export interface LimitDef {
  /** Statutory limit (EIA Law art. 22). */
  limitDays: number;
  dayType: DayType;
  /** The bureau's own, shorter promise, shown beside the statutory one (working days). */
  commitmentDays: number;
}

export interface WorkflowConfig {
  materials: MaterialDef[];
  required: Record<Category, string[]>;
  limits: Record<Exclude<Category, 'REGISTRATION'>, LimitDef>;
  /** Working days the window has to issue the one supplement notice (Administrative Licensing Law art. 32). */
  completenessCheckDays: number;
  /** Working days within which acceptance is published. */
  acceptanceNoticeWithinDays: number;
  /** Public comment period after the acceptance notice, in working days. */
  commentDays: Record<Exclude<Category, 'REGISTRATION'>, number>;
  /** The proposed decision stays on public notice this many working days. */
  proposedDecisionNoticeDays: number;
  /** The applicant may ask for a hearing within this many working days of the proposed-decision notice. */
  hearingRequestDays: number;
  /** The prefix of each document number series: `醴环评` gives `醴环评〔2026〕17号`. */
  numberPrefixes: Record<NumberSeries, string>;
  /** What one uploaded file may be: its size, and the types recognised in its bytes. */
  uploads: { maxBytes: number; types: FileType[] };
}

export const defaultConfig: WorkflowConfig = {
  materials: [
    { code: 'APPLICATION_LETTER', zh: '建设项目环境影响评价文件审批申请书', en: 'Application letter' },
    { code: 'EIA_DOCUMENT', zh: '环境影响评价文件', en: 'EIA document' },
    { code: 'PUBLIC_VERSION', zh: '环境影响评价文件公开版本', en: 'Public disclosure version' },
    { code: 'PROJECT_APPROVAL', zh: '项目立项（备案、核准）文件', en: 'Project filing or approval papers' },
    { code: 'LAND_USE_OPINION', zh: '用地预审（规划选址）意见', en: 'Land-use opinion' },
    { code: 'BUSINESS_LICENSE', zh: '营业执照', en: 'Business licence' },
    { code: 'PUBLIC_PARTICIPATION', zh: '公众参与说明', en: 'Public participation statement' },
  ],
  required: {
    REPORT: [
      'APPLICATION_LETTER',
      'EIA_DOCUMENT',
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
      'BUSINESS_LICENSE',
      'PUBLIC_PARTICIPATION',
    ],
    REPORT_FORM: [
      'APPLICATION_LETTER',
      'EIA_DOCUMENT',
      'PUBLIC_VERSION',
      'PROJECT_APPROVAL',
      'LAND_USE_OPINION',
      'BUSINESS_LICENSE',
    ],
    REGISTRATION: ['EIA_DOCUMENT'],
  },
  limits: {
    REPORT: { limitDays: 60, dayType: 'WORKING', commitmentDays: 15 },
    REPORT_FORM: { limitDays: 30, dayType: 'WORKING', commitmentDays: 7 },
  },
  completenessCheckDays: 5,
  acceptanceNoticeWithinDays: 1,
  commentDays: { REPORT: 10, REPORT_FORM: 5 },
  proposedDecisionNoticeDays: 5,
  hearingRequestDays: 5,
  numberPrefixes: {
    acceptance: '醴环受',
    supplement: '醴环补',
    notAccepted: '醴环不受',
    decision: '醴环评',
    receipt: '醴环备',
  },
  uploads: {
    maxBytes: 2 * 1024 ** 3,
    types: ['PDF', 'OFD', 'DOC', 'DOCX', 'XLS', 'XLSX', 'JPEG', 'PNG', 'ZIP'],
  },
};

/**
 * A stored version with the settings added after it was written filled in from the seed: a
 * version saved before number prefixes and upload limits were configurable used the seed's.
 */
export function withDefaults(
  config: Omit<WorkflowConfig, 'numberPrefixes' | 'uploads'> & {
    numberPrefixes?: Partial<WorkflowConfig['numberPrefixes']> | undefined;
    uploads?: WorkflowConfig['uploads'] | undefined;
  },
): WorkflowConfig {
  return {
    ...config,
    numberPrefixes: { ...defaultConfig.numberPrefixes, ...config.numberPrefixes },
    uploads: config.uploads ?? defaultConfig.uploads,
  };
}

/** The seed's version: an application without `configVersion` was submitted under it. */
export const SEED_CONFIG_VERSION = 1;

/** The codes a version defines, for messages that list them. */
export const materialCodesOf = (config: WorkflowConfig): string[] => config.materials.map((m) => m.code);
