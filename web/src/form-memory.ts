import { forgetForm, keepForm, keptForm } from './draft-memory.ts';
import { RESTORE, UPLOADED } from './schema-form.ts';

/**
 * A form keeps what is typed and uploaded in it across a reload (draft-memory.ts, in
 * sessionStorage, tied to the version of what it edits): text, choices and the materials already
 * stored, by their `data-path`, and ticked boxes by their id. Rows added beyond a list's first are
 * not rebuilt. Used by the action forms, the public forms, comment responses and the admin's forms.
 */
export function keepTyping(form: HTMLElement, key: string, version: number): { forget(): void } {
  const controls = () =>
    [
      ...form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
        'input[data-path]:not([type=file]):not([type=hidden]):not([type=checkbox]):not([type=radio]), select[data-path], textarea[data-path]',
      ),
    ].filter((el) => el.dataset.path);
  // Boxes that are ticked (a list of roles), by their id: kept as ticked or not.
  const boxes = () => [
    ...form.querySelectorAll<HTMLInputElement>('input[type=checkbox][id], input[type=radio][id]'),
  ];
  const materials: Record<string, unknown> = {};
  const save = () =>
    keepForm(sessionStorage, key, {
      version,
      fields: Object.fromEntries([
        ...controls().map((el) => [el.dataset.path ?? '', el.value]),
        ...boxes().map((el) => [`#${el.id}`, el.checked ? 'on' : '']),
      ]),
      materials,
    });
  const kept = keptForm(sessionStorage, key, version);
  if (kept) {
    for (const el of controls()) {
      const value = kept.fields[el.dataset.path ?? ''];
      if (value !== undefined) el.value = value;
    }
    for (const el of boxes()) {
      const value = kept.fields[`#${el.id}`];
      if (value !== undefined && !el.disabled) el.checked = value === 'on';
    }
    for (const [path, material] of Object.entries(kept.materials)) {
      const input = form.querySelector(`input[type=file][data-path="${CSS.escape(path)}"]`);
      if (!input) continue;
      materials[path] = material;
      input.dispatchEvent(new CustomEvent(RESTORE, { detail: material }));
    }
  }
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  form.addEventListener(UPLOADED, (event) => {
    const path = (event.target as HTMLElement).dataset.path;
    if (!path) return;
    materials[path] = (event as CustomEvent).detail;
    save();
  });
  return { forget: () => forgetForm(sessionStorage, key) };
}
