import { api } from '../api.ts';
import { session } from '../auth.ts';
import { announce, h, replace } from '../dom.ts';
import { lang, t } from '../i18n.ts';
import { navigate } from '../navigate.ts';
import { dateTime, errorBox } from '../ui.ts';

/** One entry of GET /inbox. */
export interface InboxEntry {
  id: string;
  /** The case it is about; absent for a notice about no case (the admins' calendar reminder). */
  applicationId?: string;
  action: string;
  at: string;
  subject: { zh: string; en: string };
  body: { zh: string; en: string };
  deadline?: string;
  provisional?: true;
  read: boolean;
  readAt?: string;
}

interface InboxPage {
  items: InboxEntry[];
  unreadCount: number;
  cursor?: string;
}

/** Where an entry leads: its case, or for the calendar reminder the calendar. */
export function entryLink(entry: Pick<InboxEntry, 'applicationId'>): { href: string; label: string } {
  return entry.applicationId
    ? { href: `#/app/${entry.applicationId}`, label: t('inboxOpenCase') }
    : { href: '#/admin/calendar', label: t('inboxOpenCalendar') };
}

/** The entry's words in the console's language, its body line by line. */
function words(entry: InboxEntry): { subject: string; lines: string[] } {
  const l = lang();
  return { subject: entry.subject[l], lines: entry.body[l].split('\n').filter((line) => line.trim() !== '') };
}

const markRead = (body: { ids: string[] } | { all: true }) =>
  api<{ marked: number; unreadCount: number }>('POST', '/inbox/read', { body });

/**
 * The nav link's unread count (main.ts calls it after drawing the header, on every navigation):
 * the number beside "消息", and for screen readers the same in words. Quietly nothing when it
 * cannot be read (signed out, the API away): the page itself says what went wrong.
 */
export async function refreshInboxCount(
  top: ParentNode | null = document.getElementById('top'),
): Promise<void> {
  const link = top?.querySelector<HTMLAnchorElement>('a[href="#/inbox"]');
  if (!link || !session()) return;
  let unread: number;
  try {
    unread = (await api<InboxPage>('GET', '/inbox?limit=1', { fresh: true })).body.unreadCount;
  } catch {
    return;
  }
  showCount(link, unread);
}

function showCount(link: HTMLAnchorElement, unread: number): void {
  link.querySelector('[data-inbox-count]')?.remove();
  link.dataset.unread = String(unread);
  if (unread <= 0) return;
  link.append(
    h(
      'span',
      { 'data-inbox-count': '' },
      ' ',
      h('span', { class: 'chip', 'aria-hidden': 'true' }, unread > 99 ? '99+' : String(unread)),
      h('span', { class: 'visually-hidden' }, t('inboxUnreadHidden', { n: unread })),
    ),
  );
}

/** Sets the nav's count at once after a change here, without asking the API again. */
function setNavCount(unread: number): void {
  const link = document.getElementById('top')?.querySelector<HTMLAnchorElement>('a[href="#/inbox"]');
  if (link) showCount(link, unread);
}

/**
 * #/inbox: the notifications sent to the signed-in user, newest first; unread ones marked in words
 * (not by colour alone), each leading to its case; opening one (its link, or "标为已读") marks it
 * read, and "全部标为已读" marks them all.
 */
export async function inboxPage(main: HTMLElement): Promise<void> {
  const summary = h('p', { id: 'inbox-summary', 'aria-live': 'polite' });
  const list = h('ul', { class: 'notices inbox', id: 'inbox-list' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'inbox-more' }, t('more'));
  // The button only while there is more to load (a styled button ignores `hidden`).
  const moreBox = h('div', {});
  const markAll = h('button', { type: 'button', id: 'inbox-mark-all' }, t('inboxMarkAll'));
  const problem = h('div', {});
  let cursor: string | undefined;
  let unread = 0;

  const setUnread = (n: number) => {
    unread = n;
    replace(summary, n > 0 ? t('inboxUnreadSummary', { n }) : t('inboxAllRead'));
    markAll.disabled = n === 0;
    setNavCount(n);
  };

  const showRead = (li: HTMLElement) => {
    li.dataset.read = 'true';
    li.querySelector('[data-unread-mark]')?.replaceWith(
      h('span', { class: 'muted', 'data-read-mark': '' }, t('inboxRead')),
    );
    li.querySelector('[data-mark-one]')?.remove();
  };

  const item = (entry: InboxEntry) => {
    const { subject, lines } = words(entry);
    const link = entryLink(entry);
    const mark = entry.read
      ? h('span', { class: 'muted', 'data-read-mark': '' }, t('inboxRead'))
      : h('strong', { class: 'chip chip-due_soon', 'data-unread-mark': '' }, t('inboxUnread'));
    const li: HTMLLIElement = h(
      'li',
      { class: 'card notice inbox-entry', 'data-entry': entry.id, 'data-read': String(entry.read) },
      h('h2', {}, mark, ' ', h('a', { href: link.href, 'data-open': '' }, subject)),
      h(
        'dl',
        {},
        h('dt', {}, t('inboxReceived')),
        h('dd', {}, h('time', { datetime: entry.at }, dateTime(entry.at))),
        entry.deadline
          ? [
              h('dt', {}, t('inboxDeadline')),
              h(
                'dd',
                {},
                entry.provisional ? t('inboxDeadlineProvisional', { d: entry.deadline }) : entry.deadline,
              ),
            ]
          : null,
      ),
      lines.map((line) => h('p', {}, line)),
      h(
        'div',
        { class: 'buttons' },
        h('a', { href: link.href, class: 'button-link', 'data-open': '' }, link.label),
        entry.read
          ? null
          : h('button', { type: 'button', class: 'secondary', 'data-mark-one': '' }, t('inboxMarkOne')),
      ),
    );
    // Opening it marks it read first (so the count is right on the case page), then goes there.
    for (const a of li.querySelectorAll<HTMLAnchorElement>('a[data-open]')) {
      a.addEventListener('click', async (event) => {
        if (li.dataset.read === 'true') return;
        event.preventDefault();
        try {
          const result = await markRead({ ids: [entry.id] });
          showRead(li);
          setUnread(result.body.unreadCount);
        } catch {
          // Going to the case matters more than the mark: it is tried again next time.
        }
        navigate(link.href);
      });
    }
    li.querySelector<HTMLButtonElement>('[data-mark-one]')?.addEventListener('click', async (event) => {
      const button = event.currentTarget as HTMLButtonElement;
      button.disabled = true;
      try {
        const result = await markRead({ ids: [entry.id] });
        showRead(li);
        setUnread(result.body.unreadCount);
        announce(t('inboxMarkedOne'));
        li.querySelector<HTMLAnchorElement>('h2 a')?.focus();
      } catch (error) {
        button.disabled = false;
        replace(problem, errorBox(error));
      }
    });
    return li;
  };

  const load = async (next: boolean) => {
    const q = new URLSearchParams({ limit: '20' });
    if (next && cursor) q.set('cursor', cursor);
    const { body } = await api<InboxPage>('GET', `/inbox?${q}`, { fresh: true });
    if (!next) list.replaceChildren();
    list.append(...body.items.map(item));
    cursor = body.cursor;
    replace(moreBox, cursor ? more : null);
    setUnread(body.unreadCount);
  };

  more.addEventListener('click', async () => {
    if (!cursor || more.disabled) return;
    more.disabled = true;
    try {
      await load(true);
    } catch (error) {
      replace(problem, errorBox(error));
    } finally {
      more.disabled = false;
    }
  });
  markAll.addEventListener('click', async () => {
    if (unread === 0 || markAll.disabled) return;
    markAll.disabled = true;
    try {
      const result = await markRead({ all: true });
      for (const li of list.querySelectorAll<HTMLElement>('li[data-read="false"]')) showRead(li);
      setUnread(result.body.unreadCount);
      announce(t('inboxMarkedAll'));
    } catch (error) {
      markAll.disabled = false;
      replace(problem, errorBox(error));
    }
  });

  await load(false);
  replace(
    main,
    h('h1', {}, t('inboxTitle')),
    h('p', { class: 'muted' }, t('inboxIntro')),
    h('div', { class: 'buttons' }, summary, markAll),
    problem,
    list.childElementCount ? [list, moreBox] : h('p', { class: 'muted', id: 'inbox-empty' }, t('inboxEmpty')),
  );
}
