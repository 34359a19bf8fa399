import { api } from '../api.ts';
import { configDiff } from '../config-diff.ts';
import { announce, h, replace } from '../dom.ts';
import { keepTyping } from '../form-memory.ts';
import { t } from '../i18n.ts';
import { errorBox, section, table } from '../ui.ts';

interface Version {
  configVersion: number;
  config: Record<string, unknown>;
  updatedAt?: string;
  updatedBy?: string;
}

/**
 * GET and PUT /admin/config: the current configuration as JSON to edit (the API names any field
 * it refuses), saved with the version read (If-Match) so another admin's change is not
 * overwritten; below, every version with what it changed from the one before.
 */
export async function adminConfigPage(main: HTMLElement): Promise<void> {
  const { body } = await api<Version & { versions: Version[] }>('GET', '/admin/config');
  const status = h('div', {});
  const text = h('textarea', {
    id: 'config-json',
    class: 'config-json',
    rows: 30,
    spellcheck: false,
    'data-path': 'config',
  }) as HTMLTextAreaElement;
  text.value = JSON.stringify(body.config, null, 2);
  // An edit survives a reload while the configuration stays at the version it was made on.
  const editor = h('div', {}, text);
  const memory = keepTyping(editor, 'admin.config', body.configVersion);

  async function save(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.value);
      } catch (error) {
        throw new Error(`${t('configNotJson')}: ${(error as Error).message}`);
      }
      await api('PUT', '/admin/config', { body: parsed, ifMatch: `"${body.configVersion}"` });
      memory.forget();
      announce(t('configSaved', { v: body.configVersion + 1 }));
      await adminConfigPage(main);
      main.querySelector<HTMLElement>('h1')?.focus();
    } catch (error) {
      replace(status, errorBox(error));
      status.querySelector<HTMLElement>('[role=alert]')?.focus();
      button.disabled = false;
    }
  }

  const history = [...body.versions].reverse().map((v) => {
    const before = body.versions.find((p) => p.configVersion === v.configVersion - 1);
    const changes = before ? configDiff(before.config, v.config) : [];
    return [
      String(v.configVersion),
      v.updatedAt ? `${v.updatedAt.slice(0, 16).replace('T', ' ')} ${v.updatedBy ?? ''}` : t('configSeed'),
      before
        ? h(
            'ul',
            { class: 'config-diff' },
            changes.map((c) =>
              h('li', {}, h('code', {}, c.path), ': ', c.before ?? '—', ' → ', c.after ?? '—'),
            ),
          )
        : '',
    ];
  });

  replace(
    main,
    h('h1', { tabindex: -1 }, t('configTitle')),
    h('p', { class: 'muted' }, t('configHint')),
    h('p', {}, t('configCurrent', { v: body.configVersion })),
    status,
    h('p', {}, h('label', { for: 'config-json' }, t('configEdit'))),
    editor,
    h(
      'p',
      {},
      h(
        'button',
        { type: 'button', onclick: (e: Event) => void save(e.currentTarget as HTMLButtonElement) },
        t('configSave'),
      ),
    ),
    section(
      t('configHistory'),
      table([t('configVersionCol'), t('configWhenCol'), t('configChangesCol')], history),
    ),
  );
}
