/**
 * The configuration at run time against DynamoDB Local, over HTTP: a PUT by the admin is a new
 * version, kept with its event in the bureau stream; new drafts and submissions follow it, an
 * application submitted before keeps the version it was submitted under; GET /workflow shows the
 * current one; bad input stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type WorkflowConfig } from '../../shared/domain/config.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { act, beijing, draft, ok, uploadMaterials } from './helpers/scenario.ts';

interface Problem {
  status: number;
  type?: string;
  detail?: string;
  issues?: { path: string; message: string }[];
}
interface ConfigView {
  configVersion: number;
  config: WorkflowConfig;
  versions: { configVersion: number; config: WorkflowConfig; updatedBy?: string }[];
}

/** Version 2: a noise study is required of a REPORT_FORM, and its comment period is 7 working days. */
const v2: WorkflowConfig = {
  ...defaultConfig,
  materials: [...defaultConfig.materials, { code: 'NOISE_STUDY', zh: '噪声专题报告', en: 'Noise study' }],
  required: {
    ...defaultConfig.required,
    REPORT_FORM: [...defaultConfig.required.REPORT_FORM, 'NOISE_STUDY'],
  },
  commentDays: { ...defaultConfig.commentDays, REPORT_FORM: 7 },
};

let stack: LocalStack;
/** Submitted under version 1; a draft created under version 1 and submitted after the PUT. */
const ids = { before: '', draftBefore: '' };

beforeAll(async () => {
  stack = await startLocalStack();
  // Monday 2026-03-02: no holiday in the weeks that follow.
  await stack.setNow(beijing('2026-03-02'));
  ids.before = await draft(stack, 'REPORT_FORM', 'submitted before');
  await ok(stack, ids.before, 'submit', 'applicant');
  ids.draftBefore = await draft(stack, 'REPORT_FORM', 'drafted before');
});
afterAll(async () => {
  await stack?.stop();
});

const get = () => stack.request<ConfigView & Problem>('GET', '/admin/config', { as: 'admin' });
const put = (body: unknown, headers: Record<string, string> = {}) =>
  stack.request<Problem & { configVersion: number }>('PUT', '/admin/config', { as: 'admin', body, headers });
const application = async (id: string) =>
  (await stack.request<Record<string, any>>('GET', `/applications/${id}`, { as: 'clerk' })).json;
const bureauVerify = async () =>
  (await stack.request<{ ok: boolean; events: number }>('GET', '/audit/bureau/verify', { as: 'auditor' }))
    .json;

describe('PUT /admin/config: bad input, nothing stored', () => {
  const limits = defaultConfig.limits;
  it.for([
    [
      'a category emptied',
      { ...v2, required: { ...v2.required, REGISTRATION: [] } },
      400,
      'required.REGISTRATION',
    ],
    ['a zero period', { ...v2, proposedDecisionNoticeDays: 0 }, 400, 'proposedDecisionNoticeDays'],
    [
      'a code of the wrong form',
      { ...v2, materials: [...v2.materials, { code: 'x', zh: '某', en: 'x' }] },
      400,
      'materials.8.code',
    ],
    ['an unknown field', { ...v2, numberPrefix: 'x' }, 400, 'numberPrefix'],
    [
      'a limit below its commitment',
      { ...v2, limits: { ...limits, REPORT: { ...limits.REPORT, limitDays: 14 } } },
      422,
      'limits.REPORT.commitmentDays',
    ],
    [
      'a required code not defined',
      { ...v2, required: { ...v2.required, REPORT: ['NOT_DEFINED'] } },
      422,
      'required.REPORT.0',
    ],
    [
      'a code defined twice',
      { ...v2, materials: [...v2.materials, v2.materials[0]] },
      422,
      'materials.8.code',
    ],
  ] as const)('%s → %i naming %s', async ([, body, status, path]) => {
    const res = await put(body);
    expect(res.status, res.text).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.issues?.map((i) => i.path)).toContain(path);
  });

  it('stored nothing: the seed is still version 1, the bureau stream empty', async () => {
    const res = await get();
    expect(res.status, res.text).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json).toMatchObject({ configVersion: 1, config: defaultConfig });
    expect(res.json.versions).toHaveLength(1);
    expect(await bureauVerify()).toMatchObject({ ok: true, events: 0 });
  });
});

describe('a new configuration version', () => {
  it('is refused when If-Match names another version, and stored as version 2 when it names the current', async () => {
    expect((await put(v2, { 'if-match': '"2"' })).status).toBe(412);
    const res = await put(v2, { 'if-match': '"1"' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json.configVersion).toBe(2);
    // Another admin who read version 1 loses: 412, nothing stored.
    expect((await put(defaultConfig, { 'if-match': '"1"' })).status).toBe(412);

    const view = await get();
    expect(view.json).toMatchObject({ configVersion: 2, config: v2 });
    expect(view.json.versions.map((v) => v.configVersion)).toEqual([1, 2]);
    expect(view.json.versions[0]?.config).toEqual(defaultConfig);
    const events = await stack.request<{
      items: { action: string; subject: string; actor: { role: string } }[];
    }>('GET', '/audit/bureau/events', { as: 'auditor' });
    expect(events.json.items).toEqual([
      expect.objectContaining({
        action: 'set_config',
        subject: 'config/2',
        actor: expect.objectContaining({ role: 'admin' }),
      }),
    ]);
    expect(await bureauVerify()).toMatchObject({ ok: true, events: 1 });
  });

  it('GET /workflow shows it', async () => {
    const res = await stack.request<Record<string, any>>('GET', '/workflow');
    expect(res.status).toBe(200);
    expect(res.json.configVersion).toBe(2);
    expect(res.json.required.REPORT_FORM).toContain('NOISE_STUDY');
    expect(res.json.materials.map((m: { code: string }) => m.code)).toContain('NOISE_STUDY');
    expect(res.json.actions.length).toBeGreaterThan(0);
  });

  it('a new application needs its new material, and is pinned to version 2 when submitted', async () => {
    const id = await draft(stack, 'REPORT_FORM', 'drafted after');
    const refused = await act<Problem>(stack, id, 'submit', 'applicant');
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.detail).toMatch(/NOISE_STUDY/);
    const materials = await uploadMaterials(stack, id, 'applicant', [
      ...defaultConfig.required.REPORT_FORM,
      'NOISE_STUDY',
    ]);
    const patched = await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { materials },
    });
    expect(patched.status, patched.text).toBe(200);
    await ok(stack, id, 'submit', 'applicant');
    expect((await application(id)).configVersion).toBe(2);
    // Its comment period is version 2's: 7 working days from Monday 2 March.
    await ok(stack, id, 'accept', 'clerk');
    expect((await application(id)).acceptance.commentEndsOn).toBe('2026-03-11');
  });

  it('a draft created before follows the current version until it is submitted', async () => {
    const refused = await act<Problem>(stack, ids.draftBefore, 'submit', 'applicant');
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.detail).toMatch(/NOISE_STUDY/);
  });

  it('an application submitted before keeps version 1: its materials, codes and periods', async () => {
    expect((await application(ids.before)).configVersion).toBe(1);
    // Version 1 knows no NOISE_STUDY: a supplement notice naming it is refused, naming the field.
    const unknown = await act<Problem>(stack, ids.before, 'request_supplement', 'clerk', {
      items: [{ code: 'NOISE_STUDY', reason: '缺少噪声专题' }],
    });
    expect(unknown.status, unknown.text).toBe(400);
    expect(unknown.json.issues?.[0]).toMatchObject({ path: 'items.0.code' });
    expect(unknown.json.issues?.[0]?.message).toMatch(/known: APPLICATION_LETTER/);
    // Accepted now, its comment period is version 1's five working days.
    await ok(stack, ids.before, 'accept', 'clerk');
    const app = await application(ids.before);
    expect(app.configVersion).toBe(1);
    expect(app.acceptance.commentEndsOn).toBe('2026-03-09');
  });
});
