// @ts-nocheck
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { diagram } from '../workflow.ts';

export function workflowPage(main: HTMLElement): void {
  replace(main, h('h1', {}, t('workflowTitle')), diagram());
}
