import { api } from './api.ts';
import { h } from './dom.ts';
import { lang, t, tr } from './i18n.ts';
import type { JsonSchema } from './schema-form.ts';

/** GET /workflow: the one definition the API, the README diagram and this console all read. */
export interface WorkflowAction {
  readonly name: string;
  readonly zh: string;
  readonly en: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly roles: readonly string[];
  readonly who: string;
  readonly clock?: string;
  readonly payloadSchema: JsonSchema;
}

export interface WorkflowDoc {
  readonly states: readonly string[];
  readonly terminalStates: readonly string[];
  readonly editableStates: readonly string[];
  readonly categories: readonly string[];
  readonly actions: readonly WorkflowAction[];
  readonly materials: readonly { code: string; zh: string; en: string }[];
  readonly required: Readonly<Record<string, readonly string[]>>;
}

let doc: WorkflowDoc | undefined;

export async function loadWorkflow(): Promise<WorkflowDoc> {
  doc ??= (await api<WorkflowDoc>('GET', '/workflow')).body;
  return doc;
}

/** The definition as already read (a page that has it, or a test): the same as loadWorkflow's. */
export function useWorkflow(definition: WorkflowDoc): void {
  doc = definition;
}

export const workflow = (): WorkflowDoc => {
  if (!doc) throw new Error('workflow not loaded');
  return doc;
};

/** The material codes of the current configuration (GET /workflow): data, not in the payload schemas. */
export const materialCodes = (): string[] => doc?.materials.map((m) => m.code) ?? [];

export function materialName(code: string): string {
  const m = doc?.materials.find((x) => x.code === code);
  // The officials' own attachments are not materials of the configuration.
  return m ? (lang() === 'zh' ? m.zh : m.en) : tr(`material_${code}`, code);
}

export function actionName(name: string): string {
  const a = doc?.actions.find((x) => x.name === name);
  if (a) return lang() === 'zh' ? a.zh : a.en;
  return tr(`act_${name}`, name);
}

export const stateName = (state: string) => tr(`st_${state}`, state);

/**
 * The workflow as a list of states, in the definition's order, each with the actions that leave
 * it; the application's current state is highlighted and marked `aria-current`. A list rather
 * than a drawn graph: it reads the same to a screen reader and fits a phone.
 */
export function diagram(current?: string): HTMLElement {
  const w = workflow();
  return h(
    'ol',
    { class: 'diagram', 'aria-label': t('workflowTitle') },
    w.states.map((state) => {
      const leaving = w.actions.filter((a) => a.from.includes(state));
      const isCurrent = state === current;
      return h(
        'li',
        {
          class: `node${isCurrent ? ' current' : ''}${w.terminalStates.includes(state) ? ' terminal' : ''}`,
          'aria-current': isCurrent ? 'step' : undefined,
          'data-state': state,
        },
        h(
          'span',
          { class: 'node-name' },
          stateName(state),
          isCurrent ? h('span', { class: 'badge' }, ` ${t('currentState')}`) : '',
          w.terminalStates.includes(state) ? h('span', { class: 'muted' }, t('terminalMark')) : '',
        ),
        leaving.length
          ? h(
              'ul',
              { class: 'edges' },
              leaving.map((a) =>
                h(
                  'li',
                  {},
                  `${actionName(a.name)} → ${a.to.map(stateName).join(' / ')}`,
                  h('span', { class: 'muted' }, ` · ${a.roles.map((r) => tr(`role_${r}`, r)).join('、')}`),
                ),
              ),
            )
          : '',
      );
    }),
  );
}
