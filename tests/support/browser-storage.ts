/**
 * What the console's modules touch when they load, for unit tests that import them under Node:
 * web/src/i18n.ts reads the chosen language from localStorage and sets <html lang>. Both are
 * stubbed on globalThis (an in-memory localStorage, a bare document element); call it before the
 * first import of a console module.
 */
export function stubBrowserStorage(): void {
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    },
    document: { documentElement: { lang: '' } },
  });
}
