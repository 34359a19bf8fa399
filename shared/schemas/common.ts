import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { ruleParams } from '../domain/rules.ts';
import { categories, milestones } from '../domain/types.ts';
import { validateUscc } from '../domain/uscc.ts';
import { plainText, type TextKind } from './text.ts';

// English messages for every issue; zod/mini loads none by default. The one locale is imported on
// its own so that bundles do not carry all of them.
z.config(en());

/** A UTF-16 surrogate without its pair: JSON can carry one (`"\\ud800"`), UTF-8 cannot. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text that every store, export (CSV, NDJSON) and notice can hold as it is: well-formed Unicode. */
export const wellFormed = () =>
  z.refine<string>((s) => !loneSurrogate.test(s), {
    message: 'must be well-formed Unicode text (no unpaired surrogate)',
    params: ruleParams('broken-char'),
  });

/**
 * A trimmed, non-empty string of at most `max` characters: one line (a name, a place) unless
 * `kind` is 'lines' (a reason, an opinion); no control, direction or broken characters (text.ts).
 */
export const text = (max: number, kind: TextKind = 'line') =>
  z.string().check(z.trim(), z.minLength(1), z.maxLength(max), plainText(kind));

/** An application id: a UUID in lower case, as randomUUID() makes them. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (s: string): boolean => UUID.test(s);

export const CategorySchema = z.enum(categories);
export const MilestoneSchema = z.enum(milestones);

/**
 * A material code's form only: the codes are data (GET /admin/config), checked against the
 * application's configuration version by the domain (shared/domain/decide.ts checkCodes).
 */
export const MaterialCodeSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Z][A-Z0-9_]{1,39}$/,
      'must be a material code, ^[A-Z][A-Z0-9_]{1,39}$ (GET /workflow lists them)',
    ),
  );

export const MaterialSchema = z.strictObject({
  code: MaterialCodeSchema,
  fileName: text(255),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hexadecimal characters')),
  sizeBytes: z.int().check(z.positive(), z.maximum(10 * 1024 ** 3, 'must be at most 10 GiB')),
  /** The upload carrying its bytes (POST /applications/{id}/uploads answers it); a submission checks them. */
  uploadId: z.optional(
    z.string().check(z.regex(UUID, 'must be an upload id as POST /applications/{id}/uploads answered it')),
  ),
  /** As declared at upload (POST /applications/{id}/uploads checks it against the file's type). */
  contentType: z.optional(z.string().check(z.minLength(1), z.maxLength(200), plainText('line'))),
});

export const MaterialsSchema = z.array(MaterialSchema).check(
  z.maxLength(50),
  z.refine((list) => new Set(list.map((m) => m.code)).size === list.length, {
    message: 'each material code may appear once',
    params: ruleParams('material-once'),
  }),
);

const projectShape = {
  name: text(200),
  location: text(200),
  industry: text(100),
  /** Whole yuan: DynamoDB numbers cannot hold every float, and fen are never meaningful here. */
  investmentCny: z.int().check(z.nonnegative(), z.maximum(1e13)),
  description: z.optional(z.string().check(z.trim(), z.maxLength(4000), plainText('lines'))),
};

const usccCheck = z.superRefine((code: string, ctx) => {
  const r = validateUscc(code);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `Unified Social Credit Code ${r.reason}`, input: code });
});

/** A mainland mobile number's 11 digits: the applicant's contact phone, an official's phone (staff.ts). */
export const MOBILE_DIGITS = '1[3-9]\\d{9}';

const applicantShape = {
  orgName: text(200),
  orgCode: z.string().check(usccCheck),
  contactName: text(50),
  contactPhone: z
    .string()
    .check(
      z.regex(
        new RegExp(`^(${MOBILE_DIGITS}|0\\d{2,3}-?\\d{7,8})$`),
        'must be a mainland mobile (11 digits) or landline number',
      ),
    ),
};

export const ProjectSchema = z.strictObject(projectShape);
export const ApplicantSchema = z.strictObject(applicantShape);
/** An organisation by name and Unified Social Credit Code: the one at the window, or the consultancy. */
export const OrgRefSchema = z.strictObject({
  orgName: applicantShape.orgName,
  orgCode: applicantShape.orgCode,
});

export const CreateApplicationSchema = z.strictObject({
  category: CategorySchema,
  project: ProjectSchema,
  applicant: ApplicantSchema,
  materials: z._default(MaterialsSchema, []),
  /** A walk-in: the clerk types in the application of the organisation at the window (clerks only). */
  onBehalfOf: z.optional(OrgRefSchema),
  /** The consultancy (环评单位) that prepared the documents. */
  preparedBy: z.optional(OrgRefSchema),
});

export const UpdateApplicationSchema = z
  .strictObject({
    category: z.optional(CategorySchema),
    project: z.optional(z.partial(ProjectSchema)),
    applicant: z.optional(z.partial(ApplicantSchema)),
    materials: z.optional(MaterialsSchema),
    /** null: no consultancy named any more. */
    preparedBy: z.optional(z.nullable(OrgRefSchema)),
  })
  .check(
    z.refine((p) => Object.keys(p).length > 0, {
      message: 'at least one of category, project, applicant, materials, preparedBy',
      params: ruleParams('nothing-to-change'),
    }),
  );

export type CreateApplicationInput = z.infer<typeof CreateApplicationSchema>;
export type UpdateApplicationInput = z.infer<typeof UpdateApplicationSchema>;
