import { describe, expect, it } from 'vitest';
import {
  forgetForm,
  forgetForms,
  type KeyValueStore,
  keepForm,
  keepFormsOf,
  keptForm,
  keptForms,
  type ListedStore,
  moveForm,
} from '../../../../web/src/draft-memory.ts';

function memoryStore(): ListedStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
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

  it('shows kept forms to no one but the person who typed them', () => {
    const store = memoryStore();
    store.setItem('eia.lang', 'zh');
    keepFormsOf(store, 'applicant-a');
    keepForm(store, 'new', { fields: { 'project.name': 'A 的项目' }, materials: {} });
    keepForm(store, 'notice.n1.comment', { version: 0, fields: { text: 'A 的意见' }, materials: {} });
    // Signed out, and the same person back (an expired sign-in): all still there.
    keepFormsOf(store, undefined);
    keepFormsOf(store, 'applicant-a');
    expect(keptForm(store, 'new')?.fields).toEqual({ 'project.name': 'A 的项目' });
    // Someone else signs in in this tab: everything A kept is gone, nothing else is touched.
    keepFormsOf(store, 'applicant-b');
    expect(keptForm(store, 'new')).toBeUndefined();
    expect(keptForm(store, 'notice.n1.comment', 0)).toBeUndefined();
    expect(store.getItem('eia.lang')).toBe('zh');
    // …and what B types is B's.
    keepForm(store, 'new', { fields: { 'project.name': 'B 的项目' }, materials: {} });
    keepFormsOf(store, 'applicant-b');
    expect(keptForm(store, 'new')?.fields).toEqual({ 'project.name': 'B 的项目' });
  });

  it('lists and forgets every kept form of the tab, and nothing else', () => {
    const store = memoryStore();
    store.setItem('eia.lang', 'zh');
    keepForm(store, 'new', { fields: { 'project.name': '项目' }, materials: {} });
    keepForm(store, 'app1.accept', { version: 3, fields: {}, materials: {} });
    expect(keptForms(store).sort()).toEqual(['eia.form.app1.accept', 'eia.form.new']);
    forgetForms(store);
    expect(keptForms(store)).toEqual([]);
    expect(keptForm(store, 'new')).toBeUndefined();
    expect(store.getItem('eia.lang')).toBe('zh');
  });

  it('keeps forms typed before anyone signed in for the one who signs in', () => {
    const store = memoryStore();
    keepForm(store, 'notice.n1.comment', { version: 0, fields: { text: '意见' }, materials: {} });
    keepFormsOf(store, 'applicant-a');
    expect(keptForm(store, 'notice.n1.comment', 0)?.fields).toEqual({ text: '意见' });
  });
});
