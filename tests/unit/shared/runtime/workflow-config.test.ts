import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { defaultConfig, type WorkflowConfig } from '../../../../shared/domain/config.ts';
import {
  CONFIG_TTL_MS,
  configAt,
  configFor,
  currentConfig,
  forgetConfig,
} from '../../../../shared/runtime/workflow-config.ts';
import type { BureauRecord, BureauStore } from '../../../../shared/store/ports.ts';

const v2: WorkflowConfig = { ...defaultConfig, hearingRequestDays: 7 };
const v3: WorkflowConfig = { ...defaultConfig, hearingRequestDays: 9 };

/** A store whose stored versions can grow under the loader; counts its reads. */
function fakeStore() {
  const state = { reads: 0, versions: [v2] };
  const record = (config: WorkflowConfig, i: number): BureauRecord => ({
    kind: 'config',
    id: `v${String(i + 2).padStart(4, '0')}`,
    version: 1,
    body: { ...config },
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: 'demo-admin',
  });
  const store: BureauStore = {
    head: async () => ({ seq: 0, hash: GENESIS }),
    current: async (kind) => {
      expect(kind).toBe('config');
      state.reads += 1;
      return state.versions.map(record);
    },
    commit: async () => undefined,
    events: async () => ({ items: [] }),
    trail: async () => ({ head: { seq: 0, hash: GENESIS }, trail: [] }),
    settle: async () => true,
    record: async () => undefined,
  };
  return { state, store };
}

afterEach(() => forgetConfig());

describe('the configuration at run time', () => {
  it('the current version is the newest stored; the seed is version 1 when none is', async () => {
    const { store } = fakeStore();
    expect(await currentConfig({ store, fresh: true })).toMatchObject({ configVersion: 2, config: v2 });
    const empty: BureauStore = { ...store, current: async () => [] };
    expect(await currentConfig({ store: empty, fresh: true })).toMatchObject({
      configVersion: 1,
      config: defaultConfig,
    });
  });

  it('reads the current version once per minute; a fresh read reads again', async () => {
    const { state, store } = fakeStore();
    let wall = 1_000;
    const wallClock = () => wall;
    await currentConfig({ store, wallClock });
    state.versions = [v2, v3];
    wall += CONFIG_TTL_MS - 1;
    expect((await currentConfig({ store, wallClock })).configVersion).toBe(2);
    expect(state.reads).toBe(1);
    wall += 1;
    expect((await currentConfig({ store, wallClock })).configVersion).toBe(3);
    expect(state.reads).toBe(2);
  });

  it('a version once read is never read again; a draft follows the current, a submitted application its own', async () => {
    const { state, store } = fakeStore();
    expect((await configAt(2, store)).config).toEqual(v2);
    const reads = state.reads;
    expect((await configAt(2, store)).config).toEqual(v2);
    expect((await configAt(undefined, store)).config).toEqual(defaultConfig);
    expect(state.reads).toBe(reads);
    state.versions = [v2, v3];
    expect((await configFor({ state: 'SUBMITTED', configVersion: 2 }, store)).config).toEqual(v2);
    expect((await configFor({ state: 'DRAFT', configVersion: 2 }, store)).configVersion).toBe(3);
    await expect(configAt(9, store)).rejects.toThrow(/version 9 is not stored/);
  });
});
