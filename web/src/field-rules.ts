import { api } from './api.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { Issue } from './issues.ts';
import type { JsonSchema } from './schema-form.ts';
import { usccFault } from './uscc.ts';

/**
 * The API's own rules for a form's fields, read from its JSON Schema (the same zod schemas that
 * validate the request, as GET /workflow and GET /openapi.json give them): which fields are
 * required, their lengths, patterns and ranges, and the Unified Social Credit Code's check. A
 * field found wrong gets an issue shaped like the API's (`code` + `params`), so that both are
 * worded alike (issues.ts).
 */
export interface FieldRule {
  readonly path: string;
  readonly type?: string;
  /** Required whenever the form is sent. */
  readonly required: boolean;
  /** Required once any field of this optional group is filled (e.g. the consultancy's name and code). */
  readonly group?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  /** An organisation's Unified Social Credit Code (`orgCode`). */
  readonly uscc: boolean;
}

/** Every leaf field of `schema` by its path (`project.name`), as the form's `data-path` names it. */
export function rulesOf(schema: JsonSchema, path = '', required = true, group?: string): FieldRule[] {
  const out: FieldRule[] = [];
  const needed = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const child = path ? `${path}.${name}` : name;
    if (prop.type === 'object') {
      const inner = required && needed.has(name);
      out.push(...rulesOf(prop, child, inner, inner ? group : (group ?? child)));
      continue;
    }
    if (prop.type === 'array') continue;
    const isRequired = needed.has(name);
    out.push({
      path: child,
      required: required && isRequired,
      ...(isRequired && !required && group ? { group } : {}),
      ...(prop.type !== undefined && { type: prop.type }),
      ...(prop.minLength !== undefined && { minLength: prop.minLength }),
      ...(prop.maxLength !== undefined && { maxLength: prop.maxLength }),
      ...(prop.pattern !== undefined && { pattern: prop.pattern }),
      ...(prop.minimum !== undefined && { minimum: prop.minimum }),
      ...(prop.maximum !== undefined && { maximum: prop.maximum }),
      uscc: name === 'orgCode',
    });
  }
  return out;
}

/**
 * What is wrong with `value` under `rule`, as the API would say it; undefined when nothing is.
 * `filled`: whether the field's optional group has anything in it (then its required fields are).
 */
export function checkValue(rule: FieldRule, raw: string, filled = false): Issue | undefined {
  const value = raw.trim();
  const issue = (code: string, params: Record<string, unknown>): Issue => ({
    path: rule.path,
    message: '',
    code,
    params,
  });
  if (value === '') {
    return rule.required || (rule.group && filled)
      ? issue('invalid_type', { expected: rule.type ?? 'string', received: 'undefined' })
      : undefined;
  }
  if (rule.type === 'integer' || rule.type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n) || (rule.type === 'integer' && !Number.isInteger(n)))
      return issue('invalid_type', {
        expected: rule.type === 'integer' ? 'int' : 'number',
        received: 'string',
      });
    if (rule.maximum !== undefined && n > rule.maximum)
      return issue('too_big', { origin: 'number', maximum: rule.maximum, inclusive: true });
    if (rule.minimum !== undefined && n < rule.minimum)
      return issue('too_small', { origin: 'number', minimum: rule.minimum, inclusive: true });
    return undefined;
  }
  // Characters as the API counts them (UTF-16 code units, zod's `length`).
  if (rule.maxLength !== undefined && value.length > rule.maxLength)
    return issue('too_big', { origin: 'string', maximum: rule.maxLength, inclusive: true });
  if (rule.minLength !== undefined && value.length < rule.minLength)
    return issue('too_small', { origin: 'string', minimum: rule.minLength, inclusive: true });
  if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(raw))
    return issue('invalid_format', { format: 'regex' });
  if (rule.uscc) {
    const fault = usccFault(raw);
    if (fault) return { path: rule.path, message: '', code: 'custom', params: { uscc: fault } };
  }
  return undefined;
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

let creating: Promise<JsonSchema | undefined> | undefined;

/** The schema of POST /applications (GET /openapi.json), or undefined when it cannot be had. */
export function applicationSchema(): Promise<JsonSchema | undefined> {
  creating ??= api<{ paths?: Record<string, Record<string, unknown>> }>('GET', '/openapi.json')
    .then((res) => {
      const op = res.body.paths?.['/applications']?.post as
        | { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
        | undefined;
      return op?.requestBody?.content?.['application/json']?.schema;
    })
    .catch(() => {
      // The API checks every field anyway; only the checks as one types are missing.
      creating = undefined;
      return undefined;
    });
  return creating;
}

/** A form with its fields' rules in place: `check()` finds every issue (before it is sent). */
export interface RuledForm {
  check(): Issue[];
}

/**
 * Puts the rules on the fields of `root` (by `data-path`): `maxlength`, `minlength`, `pattern`,
 * `min`/`max`, `aria-required` and “(必填)” on the label; a count of characters under a long text (and a line near its limit); and checks
 * as one types (a length at once, a format once the field is left, and a shown mistake again at
 * every key, so that it goes as soon as it is put right). `show`/`clear` place a field's words.
 */
export function applyRules(
  root: HTMLElement,
  schema: JsonSchema,
  show: (field: HTMLElement, issue: Issue) => void,
  clear: (field: HTMLElement) => void,
): RuledForm {
  const ruled: { rule: FieldRule; control: Control }[] = [];
  for (const rule of rulesOf(schema)) {
    const control = root.querySelector<Control>(`[data-path="${CSS.escape(rule.path)}"]`);
    if (
      !control ||
      control instanceof HTMLSelectElement ||
      control.type === 'file' ||
      control.type === 'hidden'
    )
      continue;
    ruled.push({ rule, control });
    if (rule.maxLength !== undefined) control.setAttribute('maxlength', String(rule.maxLength));
    if (rule.minLength !== undefined && rule.minLength > 1)
      control.setAttribute('minlength', String(rule.minLength));
    if (rule.pattern !== undefined && control instanceof HTMLInputElement)
      control.setAttribute('pattern', rule.pattern);
    if (rule.minimum !== undefined) control.setAttribute('min', String(rule.minimum));
    if (rule.maximum !== undefined) control.setAttribute('max', String(rule.maximum));
    if (rule.required) {
      control.setAttribute('aria-required', 'true');
      const label = control.id ? root.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
      if (label && !label.querySelector('.req')) label.append(h('span', { class: 'req' }, t('requiredMark')));
    }
    const counter =
      rule.maxLength !== undefined && rule.maxLength >= 200
        ? h('p', { class: 'hint char-count' })
        : undefined;
    const count = () => {
      if (!counter || rule.maxLength === undefined) return;
      counter.textContent = t('charCount', { n: control.value.length, max: rule.maxLength });
      // A long text always has its count; a line once it nears its limit.
      counter.hidden = rule.maxLength < 300 && control.value.length < rule.maxLength * 0.8;
      counter.classList.toggle('over', control.value.length > rule.maxLength);
    };
    if (counter) {
      counter.id = `${control.id || rule.path.replace(/\./g, '-')}-count`;
      counter.setAttribute('aria-live', 'polite');
      control.insertAdjacentElement('afterend', counter);
      count();
    }
    const filled = () => groupFilled(ruled, rule.group);
    const recheck = (atOnce: boolean) => {
      const issue = checkValue(rule, control.value, filled());
      const shown = control.getAttribute('aria-invalid') === 'true';
      // While typing: too long at once; anything else only once shown (it goes when put right).
      if (!issue) {
        if (shown) clear(control);
        return;
      }
      if (atOnce || shown || issue.code === 'too_big') {
        clear(control);
        show(control, issue);
      }
    };
    control.addEventListener('input', () => {
      count();
      recheck(false);
    });
    control.addEventListener('change', () => recheck(true));
  }
  return {
    check: () =>
      ruled.flatMap(({ rule, control }) => {
        const issue = checkValue(rule, control.value, groupFilled(ruled, rule.group));
        return issue ? [issue] : [];
      }),
  };
}

function groupFilled(
  ruled: readonly { rule: FieldRule; control: Control }[],
  group: string | undefined,
): boolean {
  if (!group) return false;
  return ruled.some(({ rule, control }) => rule.path.startsWith(`${group}.`) && control.value.trim() !== '');
}
