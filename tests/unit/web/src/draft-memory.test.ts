import { describe, expect, it } from 'vitest';
import {
  forgetForm,
  type KeyValueStore,
  keepForm,
  keptForm,
  moveForm,
} from '../../../../web/src/draft-memory.ts';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const material = {
  code: 'EIA_DOCUMENT',
  fileName: 'eia.pdf',
  sha256: 'a'.repeat(64),
  sizeBytes: 3,
  uploadId: 'u1',
};

describe('kept forms', () => {
  it('gives back what was typed and uploaded for the same version', () => {
    const store = memoryStore();
    keepForm(store, 'app-1', {
      version: 3,
      fields: { 'project.name': '醴陵' },
      materials: { EIA_DOCUMENT: material },
    });
    expect(keptForm(store, 'app-1', 3)).toMatchObject({
      version: 3,
      fields: { 'project.name': '醴陵' },
      materials: { EIA_DOCUMENT: material },
    });
  });

  it('drops a copy of an older version instead of applying it over newer data', () => {
    const store = memoryStore();
    keepForm(store, 'app-1', { version: 3, fields: { a: '1' }, materials: {} });
    expect(keptForm(store, 'app-1', 4)).toBeUndefined();
    expect(store.data.size).toBe(0);
  });

  it('drops what is not a kept form', () => {
    const store = memoryStore();
    store.setItem('eia.form.new', '{"fields": null}');
    expect(keptForm(store, 'new')).toBeUndefined();
    store.setItem('eia.form.new', 'not json');
    expect(keptForm(store, 'new')).toBeUndefined();
    expect(store.data.size).toBe(0);
  });

  it('moves a new draft’s copy to the application its first upload created', () => {
    const store = memoryStore();
    keepForm(store, 'new', { fields: { a: '1' }, materials: { EIA_DOCUMENT: material } });
    moveForm(store, 'new', 'app-9', 1);
    expect(keptForm(store, 'new')).toBeUndefined();
    expect(keptForm(store, 'app-9', 1)?.materials).toEqual({ EIA_DOCUMENT: material });
    forgetForm(store, 'app-9');
    expect(keptForm(store, 'app-9', 1)).toBeUndefined();
  });

  it('keeps working when storage refuses', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => keepForm(broken, 'x', { fields: {}, materials: {} })).not.toThrow();
    expect(keptForm(broken, 'x')).toBeUndefined();
    expect(() => forgetForm(broken, 'x')).not.toThrow();
  });
});
