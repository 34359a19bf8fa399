import { ApiProblem, api } from '../api.ts';
import { session } from '../auth.ts';
import { announce, h, replace } from '../dom.ts';
import { type Key, t } from '../i18n.ts';
import { navigate } from '../navigate.ts';
import { clearInvalid, describeFile, filesReady, findField, markInvalid } from '../schema-form.ts';
import { type Application, errorBox, type Material } from '../ui.ts';
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
export async function draftPage(main: HTMLElement, id?: string, walkIn = false): Promise<void> {
  const w = workflow();
  let existing: Application | undefined;
  let etag: string | undefined;
  if (id) {
    const res = await api<Application>('GET', `/applications/${id}`);
    existing = res.body;
    etag = res.headers.get('etag') ?? undefined;
  }
  const materials = new Map<string, Material>((existing?.materials ?? []).map((m) => [m.code, m]));
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
        return h(
          'li',
          { class: m ? 'present' : 'absent', 'data-code': code },
          h('span', { class: 'status' }, m ? `✓ ${t('provided')}` : `✗ ${t('missing')}`),
          ' ',
          h('span', { class: 'material-name' }, materialName(code)),
          m ? h('span', { class: 'muted' }, ` · ${m.fileName} (${m.sizeBytes} B)`) : '',
          h('label', { for: fileId, class: 'visually-hidden' }, t('fileFor', { m: materialName(code) })),
          h('input', {
            id: fileId,
            type: 'file',
            'data-material': code,
            onchange: async (event: Event) => {
              const file = (event.target as HTMLInputElement).files?.[0];
              if (!file) return;
              materials.set(code, { code, ...(await describeFile(file)) });
              renderChecklist();
              announce(`${materialName(code)}: ${t('provided')}`);
              document.getElementById(fileId)?.focus();
            },
          }),
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
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await filesReady();
    clearInvalid(form);
    replace(problems);
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
    const body = {
      category: category.value,
      project: read(projectInputs),
      applicant,
      materials: [...materials.values()],
      // Emptied: the consultancy named before is removed (null); never named: nothing is sent.
      ...(Object.keys(preparedBy).length ? { preparedBy } : existing?.preparedBy ? { preparedBy: null } : {}),
      ...(walkIn && !id ? { onBehalfOf: { orgName: applicant.orgName, orgCode: applicant.orgCode } } : {}),
    };
    try {
      const res = id
        ? await api<Application>('PATCH', `/applications/${id}`, { body, ...(etag && { ifMatch: etag }) })
        : await api<Application>('POST', '/applications', { body });
      announce(t('saved'));
      navigate(`#/app/${res.body.id}`);
    } catch (error) {
      const unplaced: { path: string; message: string }[] = [];
      if (error instanceof ApiProblem) {
        for (const issue of error.issues) {
          const target = findField(form, issue.path);
          if (target) markInvalid(target, issue.message);
          else unplaced.push(issue);
        }
      }
      const box = errorBox(error, error instanceof ApiProblem ? error.issues : unplaced);
      replace(problems, box);
      box.focus();
    }
  });
  const title = id ? `${t('edit')}：${existing?.project.name ?? ''}` : t(walkIn ? 'walkInTitle' : 'navNew');
  replace(main, h('h1', {}, title), form);
}
