import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../shared/domain/config.ts';
import { configDiff } from '../../../../web/src/config-diff.ts';

describe('configDiff', () => {
  it('is empty for the same configuration', () => {
    expect(configDiff(defaultConfig, structuredClone(defaultConfig))).toEqual([]);
  });

  it('names each changed value, added or removed code and renamed material by its path', () => {
    const after = structuredClone(defaultConfig);
    after.commentDays.REPORT_FORM = 7;
    after.required.REPORT_FORM = after.required.REPORT_FORM.filter((c) => c !== 'LAND_USE_OPINION');
    after.required.REPORT_FORM.push('NOISE_STUDY');
    after.materials.push({ code: 'NOISE_STUDY', zh: '噪声专题报告', en: 'Noise study' });
    after.materials[0] = { code: 'APPLICATION_LETTER', zh: '申请书', en: 'Application letter' };
    expect(configDiff(defaultConfig, after)).toEqual([
      {
        path: 'materials[APPLICATION_LETTER]',
        before: JSON.stringify(defaultConfig.materials[0]),
        after: JSON.stringify(after.materials[0]),
      },
      { path: 'materials[NOISE_STUDY]', after: JSON.stringify(after.materials[7]) },
      { path: 'required.REPORT_FORM[NOISE_STUDY]', after: 'NOISE_STUDY' },
      { path: 'required.REPORT_FORM[LAND_USE_OPINION]', before: 'LAND_USE_OPINION' },
      { path: 'commentDays.REPORT_FORM', before: '5', after: '7' },
    ]);
  });
});
