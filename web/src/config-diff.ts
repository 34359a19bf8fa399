/**
 * What changed between two configuration versions, as the paths of the values that differ
 * (`commentDays.REPORT_FORM: 5 → 7`, `required.REPORT: + NOISE_STUDY`), for the admin's history.
 */
export interface ConfigChange {
  path: string;
  before?: string;
  after?: string;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function configDiff(before: unknown, after: unknown, path = ''): ConfigChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => configDiff(before[key], after[key], path ? `${path}.${key}` : key));
  }
  // A list of codes, or of materials by code: what was added and what removed.
  if (Array.isArray(before) && Array.isArray(after)) {
    const keyOf = (item: unknown) =>
      isObject(item) && typeof item.code === 'string' ? item.code : show(item);
    const was = new Map(before.map((item) => [keyOf(item), item]));
    const now = new Map(after.map((item) => [keyOf(item), item]));
    return [
      ...[...now]
        .filter(([k, v]) => !was.has(k) || show(was.get(k)) !== show(v))
        .map(([k, v]) => ({
          path: `${path}[${k}]`,
          ...(was.has(k) ? { before: show(was.get(k)) } : {}),
          after: show(v),
        })),
      ...[...was].filter(([k]) => !now.has(k)).map(([k, v]) => ({ path: `${path}[${k}]`, before: show(v) })),
    ];
  }
  if (show(before) === show(after)) return [];
  return [
    {
      path,
      ...(before === undefined ? {} : { before: show(before) }),
      ...(after === undefined ? {} : { after: show(after) }),
    },
  ];
}
