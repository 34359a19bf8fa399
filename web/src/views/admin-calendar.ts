import { api } from '../api.ts';
import { bodyOf, cycle, isWeekend, markOf, monthWeeks, type YearMarks } from '../calendar-grid.ts';
import { announce, h, replace } from '../dom.ts';
import { forgetForm, keepForm, keptForm } from '../draft-memory.ts';
import { lang, t } from '../i18n.ts';
import { errorBox } from '../ui.ts';

interface YearView {
  year: number;
  holidays: string[];
  workdays: string[];
  source: 'seed' | 'bureau';
  version?: number;
  updatedAt?: string;
  pendingRecompute?: boolean;
}

const markWord = { normal: 'calDayNormal', holiday: 'calDayHoliday', workday: 'calDayWorkday' } as const;

/**
 * GET /admin/calendar and PUT /admin/calendar/{year}: a year as twelve month grids; a click on a
 * day marks it a holiday, then an adjusted working day (调休), then normal again; Save sends the
 * year with the version read (If-Match), so another admin's change is not overwritten.
 */
export async function adminCalendarPage(main: HTMLElement, params: string[] = []): Promise<void> {
  const { body } = await api<{ years: YearView[] }>('GET', '/admin/calendar');
  const thisYear = new Date().getFullYear();
  const choices = [...new Set([...body.years.map((y) => y.year), thisYear, thisYear + 1])].sort();
  const year = Number(params[0] ?? '') || thisYear + 1;
  const stored = body.years.find((y) => y.year === year);
  // Days marked but not saved yet survive a reload, while the year stays at the version read.
  const memoryKey = `admin.calendar.${year}`;
  const memoryVersion = stored?.version ?? 0;
  const kept = keptForm(sessionStorage, memoryKey, memoryVersion);
  const days = (list?: string) => (list ? list.split(',') : []);
  let marks: YearMarks = kept
    ? { holidays: new Set(days(kept.fields.holidays)), workdays: new Set(days(kept.fields.workdays)) }
    : { holidays: new Set(stored?.holidays), workdays: new Set(stored?.workdays) };
  const remember = () =>
    keepForm(sessionStorage, memoryKey, {
      version: memoryVersion,
      fields: { holidays: [...marks.holidays].join(','), workdays: [...marks.workdays].join(',') },
      materials: {},
    });
  const status = h('div', {});
  const grid = h('div', { class: 'cal-year' });

  const monthName = (month: number) =>
    new Date(Date.UTC(year, month - 1, 1)).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en', {
      month: 'long',
      timeZone: 'UTC',
    });
  const weekdays = t('calWeekdays').split(',');

  function draw(): void {
    replace(
      grid,
      Array.from({ length: 12 }, (_, i) => i + 1).map((month) =>
        h(
          'table',
          { class: 'cal-month' },
          h('caption', {}, monthName(month)),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              weekdays.map((w) => h('th', { scope: 'col' }, w)),
            ),
          ),
          h(
            'tbody',
            {},
            monthWeeks(year, month).map((week) =>
              h(
                'tr',
                {},
                week.map((date) => {
                  if (!date) return h('td', {});
                  const mark = markOf(marks, date);
                  return h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: `cal-day ${mark}${isWeekend(date) ? ' weekend' : ''}`,
                        'data-date': date,
                        onclick: () => {
                          marks = cycle(marks, date);
                          remember();
                          draw();
                          grid.querySelector<HTMLButtonElement>(`[data-date="${date}"]`)?.focus();
                        },
                      },
                      String(Number(date.slice(8))),
                      // The visible day first (the month is the table's caption), then its mark.
                      h('span', { class: 'visually-hidden' }, ` ${t(markWord[mark])}`),
                    ),
                  );
                }),
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function save(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await api('PUT', `/admin/calendar/${year}`, {
        body: bodyOf(marks),
        ifMatch: `"${stored?.source === 'bureau' ? (stored.version ?? 0) : 0}"`,
      });
      forgetForm(sessionStorage, memoryKey);
      announce(t('calSaved', { year }));
      await adminCalendarPage(main, [String(year)]);
      main.querySelector<HTMLElement>('h1')?.focus();
    } catch (error) {
      replace(status, errorBox(error));
      button.disabled = false;
    }
  }

  draw();
  replace(
    main,
    h('h1', { tabindex: -1 }, t('calTitle')),
    h('p', { class: 'muted' }, t('calHint')),
    h(
      'p',
      {},
      h('label', { for: 'cal-year' }, t('calYear'), ' '),
      h(
        'select',
        {
          id: 'cal-year',
          class: 'cal-year-select',
          onchange: (e: Event) => {
            window.location.hash = `#/admin/calendar/${(e.target as HTMLSelectElement).value}`;
          },
        },
        choices.map((y) => h('option', { value: y, selected: y === year }, String(y))),
      ),
      ' ',
      stored
        ? t(stored.source === 'bureau' ? 'calFromBureau' : 'calFromSeed', { v: stored.version ?? '' })
        : t('calUnpublished'),
      stored?.pendingRecompute ? h('span', { class: 'muted' }, ` ${t('calPending')}`) : '',
    ),
    h(
      'p',
      { class: 'cal-legend' },
      (['holiday', 'workday', 'normal'] as const).map((m) =>
        h('span', { class: `cal-day ${m}` }, t(markWord[m])),
      ),
    ),
    status,
    grid,
    h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          onclick: (e: Event) => void save(e.currentTarget as HTMLButtonElement),
        },
        t('calSave', { year }),
      ),
    ),
  );
}
