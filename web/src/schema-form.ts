import type { ApiProblem } from './api.ts';
import { h, uid } from './dom.ts';
import { applyRules } from './field-rules.ts';
import type { UploadedMaterial } from './files.ts';
import { t, tr } from './i18n.ts';
import { type Issue, issueMessage, issueWords } from './issues.ts';
import { uploader, uploadsSettled } from './uploader.ts';
import { materialCodes, materialName } from './workflow.ts';

/**
 * A form generated from an action's payload schema (JSON Schema from GET /workflow, made from
 * the same zod schemas that validate the request), and the mapping of the API's validation
 * issues (`items.0.reason`) back onto its fields.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: string[];
  const?: string;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
}

type Read = () => unknown;

export interface GeneratedForm {
  readonly fields: HTMLElement;
  read(): Record<string, unknown>;
  /** Shows each issue beside its field; returns the ones that had no field. */
  showIssues(problem: ApiProblem): Issue[];
  clearIssues(): void;
  /** The issues the API would find in the fields' rules (lengths, formats, required), shown beside them. */
  check(): Issue[];
}

const label = (name: string) => tr(`field.${name}`, name);

export function schemaForm(schema: JsonSchema, idPrefix: string): GeneratedForm {
  const root = h('div', { class: 'fields' });
  const readObject = objectFields(root, schema, '', idPrefix);
  const rules = applyRules(root, schema, markInvalid, clearField);
  const form: GeneratedForm = {
    fields: root,
    read: () => (readObject() as Record<string, unknown> | undefined) ?? {},
    showIssues(problem) {
      form.clearIssues();
      const unplaced: Issue[] = [];
      for (const issue of problem.issues) {
        const target = findField(root, issue.path);
        if (!target) {
          unplaced.push(issue);
          continue;
        }
        markInvalid(target, issue);
      }
      return unplaced;
    },
    clearIssues: () => clearInvalid(root),
    check() {
      form.clearIssues();
      const issues = rules.check();
      for (const issue of issues) {
        const target = findField(root, issue.path);
        if (target) markInvalid(target, issue);
      }
      return issues;
    },
  };
  return form;
}

export function findField(root: ParentNode, path: string): HTMLElement | undefined {
  let candidate = path;
  // An issue on `items.0` or on a whole array lands on the nearest field that has a path.
  while (candidate !== '') {
    const el = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(candidate)}"]`);
    if (el) return el;
    candidate = candidate.includes('.') ? candidate.slice(0, candidate.lastIndexOf('.')) : '';
  }
  return undefined;
}

/**
 * Shows what is wrong beside `field`, in the console's words: an issue (worded from its code and
 * params) or a message (the console's own sentence, or an API message without a code).
 */
export function markInvalid(field: HTMLElement, message: string | Issue): void {
  const errorId = `${field.id || uid('f')}-error`;
  if (!field.id) field.id = errorId.replace(/-error$/, '');
  field.setAttribute('aria-invalid', 'true');
  const describedBy = new Set((field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  describedBy.add(errorId);
  field.setAttribute('aria-describedby', [...describedBy].join(' '));
  const existing = document.getElementById(errorId);
  const words = typeof message === 'string' ? issueMessage(message) : issueWords(message);
  const text = existing ? `${existing.textContent}; ${words}` : words;
  const note = existing ?? h('p', { id: errorId, class: 'field-error' });
  note.textContent = text;
  if (!existing) field.insertAdjacentElement('afterend', note);
}

/** Takes away what `markInvalid` put beside one field. */
export function clearField(field: HTMLElement): void {
  if (field.id) document.getElementById(`${field.id}-error`)?.remove();
  field.removeAttribute('aria-invalid');
  const rest = (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter((id) => id && !id.endsWith('-error'));
  if (rest.length) field.setAttribute('aria-describedby', rest.join(' '));
  else field.removeAttribute('aria-describedby');
}

export function clearInvalid(root: ParentNode): void {
  for (const el of root.querySelectorAll('.field-error')) el.remove();
  for (const el of root.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const rest = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'));
    if (rest.length) el.setAttribute('aria-describedby', rest.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

function objectFields(parent: HTMLElement, schema: JsonSchema, path: string, idPrefix: string): Read {
  const readers: [string, Read][] = [];
  const required = new Set(schema.required ?? []);
  const isMaterial = Boolean(schema.properties?.sha256 && schema.properties.code);
  if (isMaterial) return materialFields(parent, schema, path, idPrefix);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const childPath = path ? `${path}.${name}` : name;
    readers.push([name, field(parent, name, prop, childPath, required.has(name), idPrefix)]);
  }
  return () => {
    const out: Record<string, unknown> = {};
    for (const [name, read] of readers) {
      const value = read();
      if (value !== undefined) out[name] = value;
    }
    return Object.keys(out).length > 0 || path === '' ? out : undefined;
  };
}

function fieldLabel(name: string, id: string, required: boolean) {
  return h('label', { for: id }, label(name), required ? h('span', { class: 'req' }, t('requiredMark')) : '');
}

function field(
  parent: HTMLElement,
  name: string,
  schema: JsonSchema,
  path: string,
  required: boolean,
  idPrefix: string,
): Read {
  const id = `${idPrefix}-${path.replace(/\./g, '-')}`;
  const wrap = h('div', { class: 'field' });
  parent.append(wrap);
  if (schema.type === 'array' && schema.items?.type === 'object') {
    return arrayOfObjects(wrap, name, schema, path, required, idPrefix);
  }
  if (schema.type === 'array') {
    const hint = `${id}-hint`;
    const input = h('textarea', {
      id,
      name: path,
      'data-path': path,
      rows: 3,
      'aria-describedby': hint,
      ...(required && { 'aria-required': 'true' }),
    });
    wrap.append(fieldLabel(name, id, required), h('p', { id: hint, class: 'hint' }, t('payloadHint')), input);
    return () => {
      const lines = input.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      return lines.length ? lines : undefined;
    };
  }
  // A material code is data (the configuration), not an enum of the schema.
  const choices = schema.enum ?? (name === 'code' ? materialCodes() : undefined);
  if (choices) {
    const select = h(
      'select',
      { id, name: path, 'data-path': path, ...(required && { 'aria-required': 'true' }) },
      required ? null : h('option', { value: '' }, '—'),
      choices.map((value) =>
        h(
          'option',
          { value },
          name === 'code'
            ? materialName(value)
            : // An enum value is a word of its own, a category, or a state (the hearing's next step).
              tr(`enum.${value}`, tr(`cat_${value}`, tr(`st_${value}`, value))),
        ),
      ),
    );
    wrap.append(fieldLabel(name, id, required), select);
    return () => (select.value === '' ? undefined : select.value);
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const input = h('input', {
      id,
      name: path,
      type: 'number',
      inputmode: 'numeric',
      'data-path': path,
      ...(schema.minimum !== undefined && { min: schema.minimum }),
      ...(schema.maximum !== undefined && { max: schema.maximum }),
      ...(required && { 'aria-required': 'true' }),
    });
    wrap.append(fieldLabel(name, id, required), input);
    // A value that is not a number goes through as text, so that the API names the field.
    return () =>
      input.value === '' ? undefined : Number.isNaN(Number(input.value)) ? input.value : Number(input.value);
  }
  const long = (schema.maxLength ?? 0) > 300;
  const control = long
    ? h('textarea', {
        id,
        name: path,
        rows: 4,
        'data-path': path,
        ...(required && { 'aria-required': 'true' }),
      })
    : h('input', {
        id,
        name: path,
        type: 'text',
        'data-path': path,
        ...(required && { 'aria-required': 'true' }),
      });
  wrap.append(fieldLabel(name, id, required), control);
  return () => (control.value.trim() === '' ? undefined : control.value);
}

function arrayOfObjects(
  wrap: HTMLElement,
  name: string,
  schema: JsonSchema,
  path: string,
  required: boolean,
  idPrefix: string,
): Read {
  const legendId = uid('legend');
  const list = h('ol', { class: 'item-list', 'data-path': path, tabindex: -1, id: `${idPrefix}-${path}` });
  const rows: { li: HTMLElement; read: Read }[] = [];
  const itemSchema = schema.items ?? {};
  const renumber = () => {
    rows.forEach((row, i) => {
      for (const el of row.li.querySelectorAll<HTMLElement>('[data-path]')) {
        const p = el.dataset.path ?? '';
        el.dataset.path = p.replace(new RegExp(`^${path}\\.\\d+`), `${path}.${i}`);
      }
      const legend = row.li.querySelector('legend');
      if (legend) legend.textContent = `${label(name)} ${i + 1}`;
    });
  };
  const addRow = () => {
    const index = rows.length;
    const li = h('li');
    const fieldset = h('fieldset', { class: 'item' }, h('legend', {}, `${label(name)} ${index + 1}`));
    li.append(fieldset);
    const read = objectFields(fieldset, itemSchema, `${path}.${index}`, uid(idPrefix));
    const row = { li, read };
    const removeButton = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          rows.splice(rows.indexOf(row), 1);
          li.remove();
          renumber();
          addButton.focus();
        },
      },
      `${t('remove')} ${label(name)}`,
    );
    fieldset.append(removeButton);
    rows.push(row);
    list.append(li);
    return fieldset;
  };
  const addButton = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      onclick: () => addRow().querySelector<HTMLElement>('input, select, textarea')?.focus(),
    },
    `${t('add')}（${label(name)}）`,
  );
  wrap.append(
    h('p', { id: legendId, class: 'group-label' }, label(name), required ? t('requiredMark') : ''),
    list,
    addButton,
  );
  for (let i = 0; i < Math.max(1, schema.minItems ?? 0); i++) addRow();
  return () => {
    const values = rows.map((r) => r.read()).filter((v) => v !== undefined);
    return values.length ? values : undefined;
  };
}

/**
 * A material: the code, and a file uploaded as it is picked (uploader.ts: hashed in the browser,
 * PUT to storage with a progress bar). The application is the one named by the nearest
 * `data-application` around the field; the material is read only once its bytes are stored.
 */
export function materialFields(
  parent: HTMLElement,
  schema: JsonSchema,
  path: string,
  idPrefix: string,
  fixedCode?: string,
): Read {
  const only = schema.properties?.code?.const;
  const codes = only ? [only] : (schema.properties?.code?.enum ?? materialCodes());
  fixedCode ??= codes.length === 1 ? codes[0] : undefined;
  const codeId = `${idPrefix}-${path.replace(/\./g, '-')}-code`;
  const fileId = `${codeId}-file`;
  const select = h(
    'select',
    { id: codeId, 'data-path': `${path}.code` },
    codes.map((c) => h('option', { value: c, selected: c === fixedCode }, materialName(c))),
  );
  let material: UploadedMaterial | undefined;
  const code = () => fixedCode ?? select.value;
  const picker = uploader({
    code: fixedCode ?? codes[0] ?? '',
    inputId: fileId,
    inputAttrs: { 'data-path': `${path}.fileName` },
    applicationId: async () => {
      const id = picker.el.closest<HTMLElement>('[data-application]')?.dataset.application;
      if (!id) throw new Error('no application for this upload');
      return id;
    },
    onUploaded: (uploaded) => {
      material = uploaded;
      picker.input.dispatchEvent(new CustomEvent(UPLOADED, { bubbles: true, detail: uploaded }));
    },
  });
  // A material uploaded before a reload, given back by form-memory.ts.
  picker.input.addEventListener(RESTORE, (event) => {
    const kept = (event as CustomEvent<UploadedMaterial>).detail;
    if (!kept || !codes.includes(kept.code)) return;
    if (!fixedCode) select.value = kept.code;
    picker.input.dataset.material = kept.code;
    material = kept;
    picker.showStored(kept);
  });
  // The code chosen is the code uploaded for: a change of code asks for the file again.
  picker.input.addEventListener('click', () => {
    picker.input.dataset.material = code();
  });
  select.addEventListener('change', () => {
    material = undefined;
    picker.input.value = '';
    picker.input.dataset.material = code();
  });
  if (fixedCode) {
    parent.append(h('input', { type: 'hidden', value: fixedCode, 'data-path': `${path}.code` }));
  } else {
    parent.append(h('div', { class: 'field' }, h('label', { for: codeId }, label('code')), select));
  }
  // The picker's own button (选择文件) is the file's label: a second one would say it twice.
  parent.append(h('div', { class: 'field' }, picker.el));
  return () => (material && material.code === code() ? material : undefined);
}

/** The event a material's file input sends (bubbling) once its file is stored; `detail` is the material. */
export const UPLOADED = 'eia:uploaded';
/** The event that gives a material's file input back a material stored before a reload. */
export const RESTORE = 'eia:restore';

/** Hashing and uploading a chosen file take a moment: forms wait for them before they read their fields. */
export const filesReady = () => uploadsSettled();
