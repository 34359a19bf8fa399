import { defaultConfig, SEED_CONFIG_VERSION, type WorkflowConfig, withDefaults } from '../domain/config.ts';
import type { BureauRecord, BureauStore } from '../store/ports.ts';
import { getBureauStore } from './clients.ts';

/**
 * The workflow configuration at run time: version 1 is the shipped seed (shared/domain/config.ts),
 * each PUT /admin/config adds the next as its own record in the BUREAU#config partition (`v0002`,
 * …), never changed again. The current version is cached for CONFIG_TTL_MS per warm function; a
 * version once read is cached for good, since it never changes.
 */
export const CONFIG_TTL_MS = 60_000;

export interface ConfigVersion {
  configVersion: number;
  config: WorkflowConfig;
  /** Absent for the seed. */
  updatedAt?: string;
  updatedBy?: string;
}

export const seedVersion: ConfigVersion = { configVersion: SEED_CONFIG_VERSION, config: defaultConfig };

/** The record id of a version: sorts in version order within the partition. */
export const configRecordId = (version: number) => `v${String(version).padStart(4, '0')}`;

const versions = new Map<number, ConfigVersion>([[SEED_CONFIG_VERSION, seedVersion]]);
let current: { at: number; version: ConfigVersion } | undefined;

function versionOf(record: BureauRecord): ConfigVersion {
  return {
    configVersion: Number(record.id.slice(1)),
    config: withDefaults(record.body as unknown as WorkflowConfig),
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

/** Every version, the seed first, read now (one Query), and remembered. */
export async function configVersions(store: BureauStore = getBureauStore()): Promise<ConfigVersion[]> {
  const stored = (await store.current('config')).map(versionOf);
  for (const v of stored) versions.set(v.configVersion, v);
  return [seedVersion, ...stored.sort((a, b) => a.configVersion - b.configVersion)];
}

/**
 * The current version, from the cache while younger than CONFIG_TTL_MS by the wall clock; `fresh`
 * reads the table regardless (the admin routes).
 */
export async function currentConfig(
  opts: { fresh?: boolean; store?: BureauStore; wallClock?: () => number } = {},
): Promise<ConfigVersion> {
  const at = (opts.wallClock ?? Date.now)();
  if (!opts.fresh && current && at - current.at < CONFIG_TTL_MS) return current.version;
  const all = await configVersions(opts.store);
  const version = all[all.length - 1] ?? seedVersion;
  current = { at, version };
  return version;
}

/**
 * The configuration an application was submitted under (absent: before versions existed, the
 * seed). Read once per warm function: a version never changes.
 */
export async function configAt(version: number | undefined, store?: BureauStore): Promise<ConfigVersion> {
  const wanted = version ?? SEED_CONFIG_VERSION;
  const known = versions.get(wanted);
  if (known) return known;
  await configVersions(store);
  const found = versions.get(wanted);
  if (!found) throw new Error(`configuration version ${wanted} is not stored`);
  return found;
}

/**
 * The rules an application follows: a draft the current version's (it is pinned when submitted),
 * anything later the version it was submitted under.
 */
export async function configFor(
  app: { state: string; configVersion?: number },
  store?: BureauStore,
): Promise<ConfigVersion> {
  if (app.state !== 'DRAFT') return configAt(app.configVersion, store);
  return currentConfig(store ? { store } : {});
}

/** Forget the cached current version: after this process added one (the local server runs every function). */
export function forgetConfig(): void {
  current = undefined;
}
