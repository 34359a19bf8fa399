/** PUT /admin/config's body: its shape (400) and the rules across its fields (422), each naming the field. */
import { describe, expect, it } from 'vitest';
import { defaultConfig, type WorkflowConfig } from '../../../../shared/domain/config.ts';
import { type AppError, RuleError, ValidationError } from '../../../../shared/domain/errors.ts';
import { parseWorkflowConfig } from '../../../../shared/schemas/config.ts';

const valid = (): WorkflowConfig => structuredClone(defaultConfig);

function refused(body: unknown): AppError {
  try {
    parseWorkflowConfig(body);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal, but the configuration was accepted');
}

describe('parseWorkflowConfig', () => {
  it('accepts the seed and a new material required for one category', () => {
    expect(parseWorkflowConfig(valid())).toEqual(defaultConfig);
    const config = valid();
    config.materials.push({ code: 'NOISE_STUDY', zh: '噪声专题报告', en: 'Noise study' });
    config.required.REPORT_FORM.push('NOISE_STUDY');
    expect(parseWorkflowConfig(config).required.REPORT_FORM).toContain('NOISE_STUDY');
  });

  const shapeCases: [string, (c: WorkflowConfig) => unknown, string][] = [
    [
      'a category emptied',
      (c) => ({ ...c, required: { ...c.required, REGISTRATION: [] } }),
      'required.REGISTRATION',
    ],
    [
      'a category missing',
      (c) => ({ ...c, required: { REPORT: c.required.REPORT, REPORT_FORM: ['EIA_DOCUMENT'] } }),
      'required.REGISTRATION',
    ],
    ['a zero period', (c) => ({ ...c, completenessCheckDays: 0 }), 'completenessCheckDays'],
    ['a negative period', (c) => ({ ...c, hearingRequestDays: -5 }), 'hearingRequestDays'],
    [
      'a fractional period',
      (c) => ({ ...c, commentDays: { ...c.commentDays, REPORT: 2.5 } }),
      'commentDays.REPORT',
    ],
    [
      'a bad code',
      (c) => ({ ...c, materials: [...c.materials, { code: 'noise-study', zh: '噪声', en: 'Noise' }] }),
      'materials.7.code',
    ],
    [
      'an empty name',
      (c) => ({ ...c, materials: [{ ...c.materials[0], zh: ' ' }, ...c.materials.slice(1)] }),
      'materials.0.zh',
    ],
    ['an unknown field', (c) => ({ ...c, extra: 1 }), 'extra'],
    [
      'an unknown day type',
      (c) => ({ ...c, limits: { ...c.limits, REPORT: { ...c.limits.REPORT, dayType: 'LUNAR' } } }),
      'limits.REPORT.dayType',
    ],
  ];
  for (const [name, change, path] of shapeCases) {
    it(`refuses ${name} with 400 naming ${path}`, () => {
      const error = refused(change(valid()));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
      expect(error.issues?.map((i) => i.path)).toContain(path);
    });
  }

  const ruleCases: [string, (c: WorkflowConfig) => unknown, string][] = [
    [
      'a commitment beyond its limit',
      (c) => ({
        ...c,
        limits: { ...c.limits, REPORT_FORM: { ...c.limits.REPORT_FORM, commitmentDays: 31 } },
      }),
      'limits.REPORT_FORM.commitmentDays',
    ],
    [
      'a limit shortened below its commitment',
      (c) => ({ ...c, limits: { ...c.limits, REPORT: { ...c.limits.REPORT, limitDays: 10 } } }),
      'limits.REPORT.commitmentDays',
    ],
    [
      'a required code not defined',
      (c) => ({ ...c, required: { ...c.required, REGISTRATION: ['NOISE_STUDY'] } }),
      'required.REGISTRATION.0',
    ],
    [
      'a material code defined twice',
      (c) => ({ ...c, materials: [...c.materials, { code: 'EIA_DOCUMENT', zh: '重复', en: 'Again' }] }),
      'materials.7.code',
    ],
    [
      'a required code listed twice',
      (c) => ({ ...c, required: { ...c.required, REGISTRATION: ['EIA_DOCUMENT', 'EIA_DOCUMENT'] } }),
      'required.REGISTRATION.1',
    ],
  ];
  for (const [name, change, path] of ruleCases) {
    it(`refuses ${name} with 422 naming ${path}`, () => {
      const error = refused(change(valid()));
      expect(error).toBeInstanceOf(RuleError);
      expect(error.status).toBe(422);
      expect(error.type).toBe('invalid-config');
      expect(error.issues?.map((i) => i.path)).toEqual([path]);
    });
  }

  it('names the defined codes when a required one is unknown', () => {
    const error = refused({ ...valid(), required: { ...defaultConfig.required, REPORT: ['NOPE'] } });
    expect(error.issues?.[0]?.message).toMatch(
      /NOPE is not a defined material \(APPLICATION_LETTER, EIA_DOCUMENT/,
    );
  });
});
