import { apiUrl } from '../config.ts';
import { announce, h, replace } from '../dom.ts';
import { lang, t } from '../i18n.ts';
import { dateTime, errorBox } from '../ui.ts';
import { actionName } from '../workflow.ts';

/** What one sweep did, in a sentence: the day, how many applications it read, each kind of step. */
export function sweepSentence(report: {
  today?: string;
  read?: number;
  steps?: Record<string, number>;
}): string {
  const head = t('sweepReport', { d: report.today ?? '', n: report.read ?? 0 });
  const steps = Object.entries(report.steps ?? {}).filter(([, n]) => n > 0);
  if (steps.length === 0) return `${head}${lang() === 'zh' ? '' : ' '}${t('sweepNothing')}`;
  const parts = steps.map(([a, n]) => t('sweepStep', { a: actionName(a), n }));
  return lang() === 'zh' ? `${head}${parts.join('，')}。` : `${head} ${parts.join('; ')}.`;
}

/**
 * Local runs only: the server's clock (POST /local/clock), so that a demo can get past a notice
 * period or a deadline, and the sweeper (POST /local/sweep) that acts on them.
 */
async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(json.detail ?? res.status));
  return json;
}

export async function demoClockPage(main: HTMLElement): Promise<void> {
  const now = h('p', { id: 'clock-now' });
  const result = h('div', { 'aria-live': 'polite' });
  const show = (iso: unknown) => {
    now.textContent = `${t('clockNow')}: ${dateTime(String(iso))}`;
  };
  show((await call('GET', '/local/clock')).now);
  const date = h('input', { id: 'clock-date', type: 'date', required: true });
  const form = h(
    'form',
    { novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'clock-date' }, t('clockMoveTo')), date),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit' }, t('clockMove')),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: async () => {
            try {
              show((await call('POST', '/local/clock', { now: null })).now);
              announce(now.textContent ?? '');
            } catch (error) {
              replace(result, errorBox(error));
            }
          },
        },
        t('clockReset'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: async () => {
            try {
              const report = await call('POST', '/local/sweep');
              replace(result, h('p', { class: 'ok', 'data-sweep-report': '' }, sweepSentence(report)));
            } catch (error) {
              replace(result, errorBox(error));
            }
          },
        },
        t('sweep'),
      ),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      if (!date.value) throw new Error(t('clockMoveTo'));
      // 09:00 Beijing time on that day: a working morning at the bureau.
      show((await call('POST', '/local/clock', { now: `${date.value}T09:00:00+08:00` })).now);
      announce(now.textContent ?? '');
    } catch (error) {
      replace(result, errorBox(error));
    }
  });
  replace(main, h('h1', {}, t('navClock')), h('p', {}, t('clockHint')), now, form, result);
}
