import { ApiProblem, api } from '../api.ts';
import { session } from '../auth.ts';
import { config } from '../config.ts';
import { announce, h, replace } from '../dom.ts';
import { keepTyping } from '../form-memory.ts';
import { type Key, t } from '../i18n.ts';
import { errorBox, section, table } from '../ui.ts';

interface StaffUser {
  id: string;
  email: string;
  name: string;
  groups: string[];
  enabled: boolean;
  status: 'invited' | 'active' | 'other';
  orgCode?: string;
  /** The mobile number SMS notifications go to (E.164, +8613800000000). */
  phone?: string;
}

const roles = ['applicant', 'clerk', 'reviewer', 'approver', 'auditor', 'admin'] as const;
const roleName = (role: string) => t(`role_${role}` as Key);

/** One checkbox per role, ticked for `groups`; `prefix` keeps ids apart between rows. */
function groupBoxes(prefix: string, groups: readonly string[], disabled = false) {
  return h(
    'fieldset',
    { class: 'groups', 'data-path': 'groups' },
    h('legend', {}, t('staffGroups')),
    roles.map((role) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          id: `${prefix}-${role}`,
          value: role,
          checked: groups.includes(role),
          disabled,
        }),
        ` ${roleName(role)}`,
      ),
    ),
  );
}
/** The staff rules in the console's words; anything else as the API put it. */
const ruleKeys: Record<string, Key> = {
  'last-admin': 'staffLastAdmin',
  'own-roles': 'staffOwnRoles',
  'email-taken': 'staffEmailTaken',
};
function refusal(error: unknown) {
  const key = error instanceof ApiProblem ? ruleKeys[error.type] : undefined;
  return key
    ? h('div', { class: 'error-box', role: 'alert', tabindex: -1 }, h('p', {}, t(key)))
    : errorBox(error);
}

/** +8613800000000 as a person reads it: the 11 digits. */
const shownPhone = (phone: string) => phone.replace(/^\+86/, '');

/** A field's label, with its mark (required or optional) and, when given, a hint below the label. */
function field(id: string, label: string, input: HTMLInputElement, required = true, hint?: string) {
  const hintId = `${id}-hint`;
  if (hint) input.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { for: id },
      label,
      h('span', { class: 'req' }, t(required ? 'requiredMark' : 'optionalMark')),
    ),
    hint ? h('p', { class: 'muted', id: hintId }, hint) : '',
    input,
  );
}

/** A mobile number's input (11 digits, optionally +86): `id` names it, `value` is the one held. */
const phoneInput = (id: string, value = '') =>
  h('input', {
    id,
    type: 'tel',
    inputmode: 'tel',
    autocomplete: 'off',
    maxlength: 20,
    'data-path': 'phone',
    value: value ? shownPhone(value) : '',
  });

const ticked = (box: HTMLElement) =>
  [...box.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((i) => i.value);

/**
 * The admin's staff page: every account with its groups, an invitation form, and per account a
 * change of groups and enabling or disabling (disabling asks first). One's own groups cannot be
 * changed here, as the API refuses it too.
 */
export async function staffPage(main: HTMLElement): Promise<void> {
  const items: StaffUser[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ limit: '60', ...(cursor ? { cursor } : {}) });
    const { body } = await api<{ items: StaffUser[]; cursor?: string }>('GET', `/admin/users?${q}`);
    items.push(...body.items);
    cursor = body.cursor;
  } while (cursor);
  const me = session()?.sub;
  const problems = h('div', { id: 'staff-problems' });
  const reload = async (message: string) => {
    announce(message);
    await staffPage(main);
  };
  const run = async (button: HTMLButtonElement, call: () => Promise<unknown>, done: string) => {
    button.disabled = true;
    try {
      await call();
      await reload(done);
    } catch (error) {
      replace(problems, refusal(error));
      (problems.firstElementChild as HTMLElement | null)?.focus();
      button.disabled = false;
    }
  };

  const rows = items.map((user) => {
    const own = user.id === me;
    const boxes = groupBoxes(`g-${user.id}`, user.groups, own);
    const save = h('button', { type: 'button', class: 'secondary', disabled: own }, t('staffSaveGroups'));
    save.addEventListener('click', () =>
      run(
        save,
        () =>
          api('PATCH', `/admin/users/${encodeURIComponent(user.id)}`, { body: { groups: ticked(boxes) } }),
        t('staffSaved', { name: user.name }),
      ),
    );
    const toggle = h(
      'button',
      { type: 'button', class: user.enabled ? 'danger' : 'secondary', 'data-user': user.id },
      user.enabled ? t('staffDisable') : t('staffEnable'),
    );
    toggle.addEventListener('click', () => {
      if (user.enabled && !window.confirm(t('staffConfirmDisable', { name: user.name, email: user.email })))
        return;
      void run(
        toggle,
        () =>
          api('PATCH', `/admin/users/${encodeURIComponent(user.id)}`, { body: { enabled: !user.enabled } }),
        t('staffSaved', { name: user.name }),
      );
    });
    // The number SMS notifications go to; empty removes it. One's own is changed by another admin.
    const phone = phoneInput(`phone-${user.id}`, user.phone);
    const savePhone = h('button', { type: 'button', class: 'secondary' }, t('staffSavePhone'));
    savePhone.addEventListener('click', () =>
      run(
        savePhone,
        () =>
          api('PATCH', `/admin/users/${encodeURIComponent(user.id)}`, {
            body: { phone: phone.value.trim() || null },
          }),
        t('staffSaved', { name: user.name }),
      ),
    );
    const phoneCell = own
      ? h('p', { class: 'muted' }, user.phone ? shownPhone(user.phone) : t('staffPhoneNone'))
      : h(
          'div',
          { class: 'phone' },
          field(
            `phone-${user.id}`,
            t('staffPhoneOf', { name: user.name }),
            phone,
            false,
            t('staffPhoneHint'),
          ),
          savePhone,
        );
    return [
      h('span', {}, h('strong', {}, user.name), h('br'), user.email, phoneCell),
      h('div', {}, boxes, own ? h('p', { class: 'muted' }, t('staffOwnRoles')) : save),
      `${t(`staffStatus_${user.status}` as Key)} · ${user.enabled ? t('staffEnabled') : t('staffDisabled')}`,
      // One's own account is changed by another admin: no button that would only be refused.
      own ? '' : toggle,
    ];
  });

  replace(
    main,
    h('h1', {}, t('staffTitle')),
    h('p', {}, t('staffHint')),
    problems,
    table([t('staffPerson'), t('staffGroups'), t('staffStatus'), t('staffAccount')], rows, t('staffTitle')),
    inviteForm(problems, reload),
  );
}

function inviteForm(problems: HTMLElement, reload: (message: string) => Promise<void>) {
  const email = h('input', {
    id: 'invite-email',
    type: 'email',
    required: true,
    maxlength: 254,
    'data-path': 'email',
  });
  const name = h('input', {
    id: 'invite-name',
    type: 'text',
    required: true,
    maxlength: 100,
    'data-path': 'name',
  });
  const orgCode = h('input', { id: 'invite-orgCode', type: 'text', maxlength: 18, 'data-path': 'orgCode' });
  const phone = phoneInput('invite-phone');
  const boxes = groupBoxes('invite', []);
  const submit = h('button', { type: 'submit' }, t('staffInvite'));
  const form = h(
    'form',
    { id: 'invite-form' },
    field('invite-email', t('staffEmail'), email),
    field('invite-name', t('staffName'), name),
    boxes,
    field('invite-orgCode', t('staffOrgCode'), orgCode, false),
    field('invite-phone', t('staffPhone'), phone, false, t('staffPhoneHint')),
    h('div', { class: 'buttons' }, submit),
  );
  // What is typed survives a reload until the invitation is sent.
  const memory = keepTyping(form, 'staff.invite', 0);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second click while the first invitation is on its way sends nothing twice.
    if (submit.disabled) return;
    submit.disabled = true;
    try {
      const code = orgCode.value.trim();
      const mobile = phone.value.trim();
      await api('POST', '/admin/users', {
        body: {
          email: email.value,
          name: name.value,
          groups: ticked(boxes),
          ...(code ? { orgCode: code } : {}),
          ...(mobile ? { phone: mobile } : {}),
        },
      });
      memory.forget();
      await reload(t('staffInvited', { email: email.value.trim() }));
    } catch (error) {
      replace(problems, refusal(error));
      (problems.firstElementChild as HTMLElement | null)?.focus();
      submit.disabled = false;
    }
  });
  // With the bureau's own provider (mode oidc) the accounts are the table's: the invitation mails nothing.
  const hint = config().mode === 'oidc' ? t('staffInviteHintOidc') : t('staffInviteHint');
  return section(t('staffInviteTitle'), h('p', { class: 'muted' }, hint), form);
}
