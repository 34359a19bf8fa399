import * as z from 'zod/mini';
import { type WorkflowConfig, withDefaults } from '../domain/config.ts';
import { type FieldIssue, RuleError } from '../domain/errors.ts';
import { ruleIssue } from '../domain/rules.ts';
import { categories } from '../domain/types.ts';
import { fileTypes } from '../domain/uploads.ts';
import { text } from './common.ts';
import { parse } from './parse.ts';
import { plainText } from './text.ts';

/** A material code: data, not a compile-time list; each application checks it against its version. */
export const MATERIAL_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

const Days = (max: number) => z.int().check(z.positive('must be a positive whole number'), z.maximum(max));

const MaterialDefSchema = z.strictObject({
  code: z.string().check(z.regex(MATERIAL_CODE, 'must match ^[A-Z][A-Z0-9_]{1,39}$')),
  zh: text(200),
  en: text(200),
});

const LimitSchema = z.strictObject({
  limitDays: Days(365),
  dayType: z.enum(['WORKING', 'CALENDAR']),
  commitmentDays: Days(365),
});

/** The part before 〔year〕: a few Chinese characters or letters, no brackets or digits of its own. */
const NumberPrefix = z
  .string()
  .check(
    z.trim(),
    z.regex(/^[\p{Script=Han}A-Za-z]{1,12}$/u, 'must be 1 to 12 Chinese characters or letters'),
  );

/** S3 takes at most 5 GiB in one PUT, and a presigned URL is one PUT. */
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

const Codes = z
  .array(z.string().check(plainText('line')))
  .check(z.minLength(1, 'a category keeps at least one required material'));

/** The body of PUT /admin/config: the whole configuration (shape only; rules across fields below). */
export const WorkflowConfigSchema = z.strictObject({
  materials: z.array(MaterialDefSchema).check(z.minLength(1), z.maxLength(200)),
  required: z.strictObject({ REPORT: Codes, REPORT_FORM: Codes, REGISTRATION: Codes }),
  limits: z.strictObject({ REPORT: LimitSchema, REPORT_FORM: LimitSchema }),
  completenessCheckDays: Days(60),
  acceptanceNoticeWithinDays: Days(60),
  commentDays: z.strictObject({ REPORT: Days(120), REPORT_FORM: Days(120) }),
  proposedDecisionNoticeDays: Days(60),
  hearingRequestDays: Days(60),
  // Optional, so that a body written before they were configurable still means the same: the seed's.
  numberPrefixes: z.optional(
    z.strictObject({
      acceptance: NumberPrefix,
      supplement: NumberPrefix,
      notAccepted: NumberPrefix,
      decision: NumberPrefix,
      receipt: NumberPrefix,
    }),
  ),
  uploads: z.optional(
    z.strictObject({
      maxBytes: z
        .int()
        .check(
          z.positive('must be a positive whole number'),
          z.maximum(MAX_UPLOAD_BYTES, 'must be at most 5 GiB (one presigned PUT)'),
        ),
      types: z
        .array(z.enum(fileTypes))
        .check(z.minLength(1, 'allow at least one file type'), z.maxLength(fileTypes.length)),
    }),
  ),
});

/**
 * A configuration as it may be stored: its shape (400 naming each field), then the rules across
 * fields (422 naming each): unique material codes, every required code defined, no required code
 * twice in a category, and no bureau commitment longer than the statutory limit.
 */
export function parseWorkflowConfig(body: unknown): WorkflowConfig {
  const config = withDefaults(parse(WorkflowConfigSchema, body, 'configuration'));
  const issues: FieldIssue[] = [];
  const defined = new Set<string>();
  config.materials.forEach((m, i) => {
    if (defined.has(m.code))
      issues.push(
        ruleIssue(`materials.${i}.code`, `${m.code} is defined twice`, 'material-defined-twice', {
          code: m.code,
        }),
      );
    defined.add(m.code);
  });
  for (const category of categories) {
    const seen = new Set<string>();
    config.required[category].forEach((code, i) => {
      const path = `required.${category}.${i}`;
      if (!defined.has(code))
        issues.push(
          ruleIssue(
            path,
            `${code} is not a defined material (${[...defined].join(', ')})`,
            'material-not-defined',
            {
              code,
            },
          ),
        );
      else if (seen.has(code))
        issues.push(ruleIssue(path, `${code} is listed twice`, 'material-listed-twice', { code }));
      seen.add(code);
    });
  }
  for (const category of ['REPORT', 'REPORT_FORM'] as const) {
    const { limitDays, commitmentDays } = config.limits[category];
    if (commitmentDays > limitDays) {
      issues.push(
        ruleIssue(
          `limits.${category}.commitmentDays`,
          `the commitment (${commitmentDays}) may not exceed the statutory limit (${limitDays})`,
          'commitment-over-limit',
          { days: commitmentDays, limit: limitDays },
        ),
      );
    }
  }
  const series = Object.entries(config.numberPrefixes);
  series.forEach(([name, prefix]) => {
    const other = series.find(([n, p]) => n !== name && p === prefix);
    // Approvals and rejections share one series already; two series with one prefix would issue one number twice.
    if (other && name > other[0])
      issues.push(
        ruleIssue(
          `numberPrefixes.${name}`,
          `${prefix} is already the prefix of ${other[0]}`,
          'prefix-taken',
          {
            prefix,
            series: other[0],
          },
        ),
      );
  });
  if (new Set(config.uploads.types).size !== config.uploads.types.length)
    issues.push(ruleIssue('uploads.types', 'each file type may appear once', 'file-type-twice'));
  if (issues.length > 0) {
    throw new RuleError('invalid-config', `Invalid configuration: ${issues.map((i) => i.path).join(', ')}`, {
      issues,
    });
  }
  return config;
}
