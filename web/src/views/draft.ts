import { ApiProblem, api } from '../api.ts';
import { session } from '../auth.ts';
import { announce, h, replace } from '../dom.ts';
import { forgetForm, keepForm, keptForm, moveForm } from '../draft-memory.ts';
import { applicationSchema, applyRules, type RuledForm } from '../field-rules.ts';
import { formatBytes } from '../files.ts';
import { type Key, t } from '../i18n.ts';
import { navigate } from '../navigate.ts';
import { clearField, clearInvalid, filesReady, findField, markInvalid } from '../schema-form.ts';
import { type Application, errorBox, type Material } from '../ui.ts';
import { unsavedCodes } from '../unsaved.ts';
import { uploader, uploadsFailed } from '../uploader.ts';
import { materialName, workflow } from '../workflow.ts';

const PROJECT = ['name', 'location', 'industry', 'investmentCny', 'description'] as const;
const APPLICANT = ['orgName', 'orgCode', 'contactName', 'contactPhone'] as const;
const ORG = ['orgName', 'orgCode'] as const;

/**
 * Create (`POST /applications`) or edit (`PATCH`, with If-Match) a draft. The materials checklist
 * follows the chosen category, and what is still missing is listed before the applicant submits.
 * `walkIn`: a clerk creates for the organisation at the window, which the applicant section names
 * (sent again as `onBehalfOf`).
 */
export async function draftPage(main: HTMLElement, givenId?: string, walkIn = false): Promise<void> {
  const w = workflow();
  let id = givenId;
  let existing: Application | undefined;
  let etag: string | undefined;
  if (id) {
    const res = await api<Application>('GET', `/applications/${id}`);
    existing = res.body;
    etag = res.headers.get('etag') ?? undefined;
  }
  const materials = new Map<string, Material>((existing?.materials ?? []).map((m) => [m.code, m]));
  // What was typed or uploaded here before a reload, not saved yet (draft-memory.ts).
  let memoryKey = id ?? (walkIn ? 'walk-in' : 'new');
  const kept = keptForm(sessionStorage, memoryKey, existing?.version);
  for (const [code, m] of Object.entries(kept?.materials ?? {})) materials.set(code, m as Material);
  const problems = h('div');
  const category = h(
    'select',
    { id: 'f-category', name: 'category', 'data-path': 'category' },
    w.categories.map((c) =>
      h('option', { value: c, selected: c === (existing?.category ?? 'REPORT_FORM') }, t(`cat_${c}` as Key)),
    ),
  );
  const input = (group: 'project' | 'applicant' | 'preparedBy', name: string, value: unknown) => {
    const path = `${group}.${name}`;
    const id = `f-${group}-${name}`;
    const numeric = name === 'investmentCny';
    const control =
      name === 'description'
        ? h('textarea', {
            id,
            name: path,
            rows: 3,
            'data-path': path,
            value: value === undefined ? '' : String(value),
          })
        : h('input', {
            id,
            name: path,
            type: numeric ? 'number' : name === 'contactPhone' ? 'tel' : 'text',
            'data-path': path,
            value: value === undefined ? '' : String(value),
            autocomplete:
              walkIn || group === 'preparedBy'
                ? 'off'
                : name === 'contactName'
                  ? 'name'
                  : name === 'contactPhone'
                    ? 'tel'
                    : name === 'orgName'
                      ? 'organization'
                      : undefined,
          });
    return {
      name,
      control,
      el: h('div', { class: 'field' }, h('label', { for: id }, t(path as Key)), control),
    };
  };
  const s = session();
  const projectInputs = PROJECT.map((n) => input('project', n, existing?.project[n]));
  const applicantInputs = APPLICANT.map((n) =>
    input(
      'applicant',
      n,
      existing?.applicant[n] ??
        (walkIn ? undefined : n === 'orgCode' ? s?.orgCode : n === 'contactName' ? s?.name : undefined),
    ),
  );
  const preparedByInputs = ORG.map((n) => input('preparedBy', n, existing?.preparedBy?.[n]));

  /**
   * Files upload as they are picked, and an upload belongs to an application: a new draft is
   * created (with what is typed so far) by its first upload, and the page goes on as its edit page.
   */
  let creating: Promise<string> | undefined;
  // One Idempotency-Key for this form's creation: sent again after a lost answer, it replays the
  // first creation instead of making a second draft. Renewed once the API has answered a refusal,
  // so that a corrected form is not taken for a reuse of the key. After a lost answer the same
  // body goes again with the key (the API refuses a key with another body), and what was typed
  // since is then saved onto the draft it made.
  let createKey = crypto.randomUUID();
  let unanswered: unknown;
  const create = async (data: unknown) => {
    const sent = unanswered ?? data;
    try {
      const res = await api<Application>('POST', '/applications', { body: sent, idempotencyKey: createKey });
      unanswered = undefined;
      if (JSON.stringify(sent) === JSON.stringify(data)) return res;
      return await api<Application>('PATCH', `/applications/${res.body.id}`, {
        body: data,
        ifMatch: res.headers.get('etag') ?? `"${res.body.version}"`,
      });
    } catch (error) {
      if (error instanceof ApiProblem) {
        createKey = crypto.randomUUID();
        unanswered = undefined;
      } else unanswered = sent;
      throw error;
    }
  };
  const applicationId = (): Promise<string> => {
    if (id) return Promise.resolve(id);
    creating ??= (async () => {
      const res = await create({ ...body(), materials: [] });
      const created = res.body;
      etag = res.headers.get('etag') ?? `"${created.version}"`;
      existing = created;
      id = created.id;
      moveForm(sessionStorage, memoryKey, id, created.version);
      memoryKey = id;
      window.history.replaceState(null, '', `#/app/${id}/edit`);
      clearInvalid(form);
      replace(problems);
      return id;
    })().catch((error: unknown) => {
      creating = undefined;
      // The draft could not be created: its fields say why, and the upload says what to do.
      if (error instanceof ApiProblem && error.issues.length) {
        clearInvalid(form);
        const unplaced = error.issues.filter((issue) => {
          const target = findField(form, issue.path);
          if (target) markInvalid(target, issue);
          return !target;
        });
        replace(problems, errorBox(error, unplaced.length ? unplaced : error.issues));
        throw new Error(t('uploadNeedsDraft'));
      }
      throw error;
    });
    return creating;
  };
  const remember = () =>
    keepForm(sessionStorage, memoryKey, {
      ...(existing && { version: existing.version }),
      fields: Object.fromEntries(
        [
          ...form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
            'input[data-path]:not([type=file]), select[data-path], textarea[data-path]',
          ),
        ].map((el) => [el.dataset.path ?? '', el.value]),
      ),
      materials: Object.fromEntries(
        [...materials].filter(([code, m]) => existing?.materials.find((e) => e.code === code) !== m),
      ),
    });
  const pickers = new Map<string, HTMLElement>();
  const picker = (code: string) => {
    let el = pickers.get(code);
    if (!el) {
      el = uploader({
        code,
        inputId: `file-${code}`,
        applicationId,
        // Uploaded is not saved: the file joins the application when the draft is saved.
        doneText: () => t('uploadDoneUnsaved'),
        onUploaded: (material) => {
          materials.set(code, material);
          remember();
          renderChecklist();
          announce(`${materialName(code)}: ${t('provided')}`);
        },
      }).el;
      pickers.set(code, el);
    }
    return el;
  };
  const checklist = h('ul', {
    class: 'checklist',
    'data-path': 'materials',
    tabindex: -1,
    id: 'f-materials',
  });
  const summary = h('div', { class: 'missing-summary', 'aria-live': 'polite', id: 'missing-summary' });
  const renderChecklist = () => {
    const required = w.required[category.value] ?? [];
    const optional = w.materials.map((m) => m.code).filter((c) => !required.includes(c) && materials.has(c));
    const missing = required.filter((c) => !materials.has(c));
    // Uploaded here (or kept from before a reload) but not saved into the draft yet.
    const unsaved = unsavedCodes(existing?.materials ?? [], materials);
    replace(
      summary,
      missing.length
        ? h(
            'div',
            { class: 'warning' },
            h('p', {}, t('missingSummary', { n: missing.length })),
            h(
              'ul',
              {},
              missing.map((c) => h('li', {}, materialName(c))),
            ),
          )
        : h('p', { class: 'ok' }, t('allPresent')),
    );
    replace(
      checklist,
      [...required, ...optional].map((code) => {
        const m = materials.get(code);
        const fileId = `file-${code}`;
        const pending = unsaved.has(code);
        return h(
          'li',
          { class: m ? 'present' : 'absent', 'data-code': code, 'data-unsaved': pending },
          h(
            'span',
            { class: 'status' },
            m ? `✓ ${t(pending ? 'providedUnsaved' : 'provided')}` : `✗ ${t('missing')}`,
          ),
          ' ',
          h('span', { class: 'material-name' }, materialName(code)),
          m ? h('span', { class: 'muted' }, ` · ${m.fileName} (${formatBytes(m.sizeBytes)})`) : '',
          h('label', { for: fileId, class: 'visually-hidden' }, t('fileFor', { m: materialName(code) })),
          picker(code),
        );
      }),
    );
  };
  category.addEventListener('change', renderChecklist);
  renderChecklist();

  const form = h(
    'form',
    { novalidate: true, class: 'draft-form' },
    problems,
    h('div', { class: 'field' }, h('label', { for: 'f-category' }, t('category')), category),
    h(
      'fieldset',
      {},
      h('legend', {}, t('projectSection')),
      projectInputs.map((i) => i.el),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t(walkIn ? 'walkInSection' : 'applicantSection')),
      walkIn ? h('p', { class: 'muted', id: 'walk-in-hint' }, t('walkInHint')) : '',
      applicantInputs.map((i) => i.el),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('preparedBySection')),
      preparedByInputs.map((i) => i.el),
    ),
    h('fieldset', {}, h('legend', {}, t('materialsSection')), summary, checklist),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit' }, t('save')),
      h('a', { href: id ? `#/app/${id}` : '#/mine', class: 'button-link secondary' }, t('cancel')),
    ),
  );
  // Required fields, lengths and formats as the API checks them (field-rules.ts), once its schema is in.
  let rules: RuledForm | undefined;
  void applicationSchema().then((schema) => {
    if (schema) rules = applyRules(form, schema, markInvalid, clearField);
  });
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  const saveButton = form.querySelector('button[type=submit]') as HTMLButtonElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second click while the first save runs saves nothing twice.
    if (saveButton.disabled) return;
    saveButton.disabled = true;
    try {
      await save();
    } finally {
      saveButton.disabled = false;
    }
  });
  const save = async () => {
    await filesReady();
    clearInvalid(form);
    replace(problems);
    if (uploadsFailed(form)) {
      const box = errorBox(new Error(t('uploadsUnfinished')));
      replace(problems, box);
      box.focus();
      return;
    }
    // The API's own rules, checked before sending: the same words beside the same fields.
    const found = rules?.check() ?? [];
    if (found.length) {
      for (const issue of found) {
        const target = findField(form, issue.path);
        if (target) markInvalid(target, issue);
      }
      const box = errorBox(new ApiProblem(400, '', '', found));
      replace(problems, box);
      box.focus();
      return;
    }
    try {
      // A draft being created by a first upload right now: save onto it, not a second one.
      if (!id && creating) await creating.catch(() => undefined);
      const res = id
        ? await api<Application>('PATCH', `/applications/${id}`, {
            body: body(),
            ...(etag && { ifMatch: etag }),
          })
        : await create(body());
      forgetForm(sessionStorage, memoryKey);
      announce(t('saved'));
      navigate(`#/app/${res.body.id}`);
    } catch (error) {
      const unplaced: { path: string; message: string }[] = [];
      if (error instanceof ApiProblem) {
        for (const issue of error.issues) {
          const target = findField(form, issue.path);
          if (target) markInvalid(target, issue);
          else unplaced.push(issue);
        }
      }
      const box = errorBox(error, error instanceof ApiProblem ? error.issues : unplaced);
      replace(problems, box);
      box.focus();
    }
  };
  function body() {
    const read = (inputs: typeof projectInputs) => {
      const out: Record<string, unknown> = {};
      for (const i of inputs) {
        const v = i.control.value.trim();
        if (v !== '') out[i.name] = i.name === 'investmentCny' && !Number.isNaN(Number(v)) ? Number(v) : v;
      }
      return out;
    };
    const applicant = read(applicantInputs);
    const preparedBy = read(preparedByInputs);
    return {
      category: category.value,
      project: read(projectInputs),
      applicant,
      materials: [...materials.values()],
      // Emptied: the consultancy named before is removed (null); never named: nothing is sent.
      ...(Object.keys(preparedBy).length ? { preparedBy } : existing?.preparedBy ? { preparedBy: null } : {}),
      ...(walkIn && !id ? { onBehalfOf: { orgName: applicant.orgName, orgCode: applicant.orgCode } } : {}),
    };
  }
  // Typed before a reload: back in place (the kept copy is of this very version of the draft).
  for (const [path, value] of Object.entries(kept?.fields ?? {})) {
    const el = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      `[data-path="${CSS.escape(path)}"]`,
    );
    if (el && el.type !== 'file') el.value = value;
  }
  if (kept) renderChecklist();
  const title = id ? `${t('edit')}：${existing?.project.name ?? ''}` : t(walkIn ? 'walkInTitle' : 'navNew');
  replace(main, h('h1', {}, title), form);
}
