/**
 * The configuration version an application follows (docs/workflow.md#configuration): set at
 * creation, pinned at submission, and the codes it knows are the only ones accepted.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig, type WorkflowConfig } from '../../../../shared/domain/config.ts';
import { createApplication, decide, editApplication } from '../../../../shared/domain/decide.ts';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import { at, callers, createBody, material, newId, paths, refusal } from './fixtures.ts';

const now = at('2026-03-02');
/** Version 2: a noise study is required of a registration besides the EIA document. */
const v2: WorkflowConfig = {
  ...defaultConfig,
  materials: [...defaultConfig.materials, { code: 'NOISE_STUDY', zh: '噪声专题报告', en: 'Noise study' }],
  required: { ...defaultConfig.required, REGISTRATION: ['EIA_DOCUMENT', 'NOISE_STUDY'] },
};

describe('configuration versions', () => {
  it('creates a draft under the version given, and submission pins the version it is decided on', () => {
    const created = createApplication(createBody('REGISTRATION'), callers.owner, {
      now,
      requestId: 'r1',
      id: newId(),
      config: v2,
      configVersion: 2,
    });
    expect(created.app.configVersion).toBe(2);
    expect(() =>
      decide(
        created.app,
        'submit',
        callers.owner,
        {},
        { now, requestId: 'r2', config: v2, configVersion: 2 },
      ),
    ).toThrow(/required materials missing: NOISE_STUDY/);
    const edited = editApplication(
      created.app,
      { materials: [material('EIA_DOCUMENT'), material('NOISE_STUDY')] },
      callers.owner,
      { now, requestId: 'r3', config: v2, configVersion: 2 },
    );
    const submitted = decide(
      edited.app,
      'submit',
      callers.owner,
      {},
      {
        now,
        requestId: 'r4',
        config: v2,
        configVersion: 2,
      },
    );
    expect(submitted.app.configVersion).toBe(2);
    expect(submitted.event.changes).toMatchObject({ configVersion: 2 });
  });

  it('without a version given, the seed: version 1', () => {
    const created = createApplication(createBody('REPORT_FORM'), callers.owner, {
      now,
      requestId: 'r',
      id: newId(),
    });
    expect(created.app.configVersion).toBe(1);
  });

  it('refuses a material code its version does not define with 400 naming the field and the known codes', () => {
    const body = {
      ...createBody('REGISTRATION'),
      materials: [material('EIA_DOCUMENT'), material('NOISE_STUDY')],
    };
    const error = refusal(
      () => createApplication(body, callers.owner, { now, requestId: 'r', id: newId() }),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['materials.1.code']);
    expect(error.issues?.[0]?.message).toMatch(
      /unknown material code NOISE_STUDY; known: APPLICATION_LETTER, /,
    );
    // The same code is accepted under the version that defines it.
    expect(
      createApplication(body, callers.owner, {
        now,
        requestId: 'r',
        id: newId(),
        config: v2,
        configVersion: 2,
      }).app.materials,
    ).toHaveLength(2);
  });

  it('refuses a supplement item naming an unknown code, 400 naming items.<i>.code', () => {
    const created = createApplication(createBody('REPORT_FORM'), callers.owner, {
      now,
      requestId: 'r',
      id: newId(),
    });
    const submitted = decide(created.app, 'submit', callers.owner, {}, { now, requestId: 'r2' });
    const error = refusal(
      () =>
        decide(
          submitted.app,
          'request_supplement',
          callers.clerk,
          { items: [{ code: 'NOISE_STUDY', reason: '缺少' }] },
          { now, requestId: 'r3' },
        ),
      ValidationError,
      400,
    );
    expect(paths(error)).toEqual(['items.0.code']);
  });
});
