import { ApiProblem, api } from '../api.ts';
import { session } from '../auth.ts';
import { config } from '../config.ts';
import { h, replace } from '../dom.ts';
import { keepTyping } from '../form-memory.ts';
import { type Key, t } from '../i18n.ts';
import { errorBox, section, table } from '../ui.ts';
import { inviteHintKey, type StaffChange, staffConfirmation } from '../unsaved.ts';

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

/** The sentence confirming `change`, in the current language. */
function confirmationText(change: StaffChange): string {
  const { key, params } = staffConfirmation(change, roleName, t('listSeparator'));
  return t(key, params);
}

/**
 * What was just done, shown (and focused) beside the form or the account it was done on, until the
 * next change redraws the page: `where` names the place (`roles-<id>`, `phone-<id>`,
 * `account-<id>`, `invite`).
 */
interface Done {
  readonly where: string;
  readonly message: string;
}
const doneHere = (done: Done | undefined, where: string) =>
  done?.where === where
    ? h('p', { class: 'ok staff-done', id: 'staff-done', tabindex: -1, 'data-where': where }, done.message)
    : '';

const ticked = (box: HTMLElement) =>
  [...box.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((i) => i.value);

/**
 * The admin's staff page: every account with its groups, an invitation form, and per account a
 * change of groups and enabling or disabling (disabling asks first). One's own groups cannot be
 * changed here, as the API refuses it too.
 */
export function staffPage(main: HTMLElement): Promise<void> {
  return staffView(main);
}

async function staffView(main: HTMLElement, done?: Done): Promise<void> {
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
  const reload = (next: Done) => staffView(main, next);
  const run = async (
    button: HTMLButtonElement,
    where: string,
    call: () => Promise<StaffUser>,
    change: (saved: StaffUser) => StaffChange,
  ) => {
    button.disabled = true;
    try {
      const saved = await call();
      await reload({ where, message: confirmationText(change(saved)) });
    } catch (error) {
      // Errors stay as they are; a confirmation of an earlier change is no longer the news.
      main.querySelector('#staff-done')?.remove();
      replace(problems, refusal(error));
      (problems.firstElementChild as HTMLElement | null)?.focus();
      button.disabled = false;
    }
  };

  const patch = async (user: StaffUser, body: Record<string, unknown>) =>
    (
      await api<{ user: StaffUser }>('PATCH', `/admin/users/${encodeURIComponent(user.id)}`, {
        body,
      })
    ).body.user;
  const rows = items.map((user) => {
    const own = user.id === me;
    const boxes = groupBoxes(`g-${user.id}`, user.groups, own);
    const save = h('button', { type: 'button', class: 'secondary', disabled: own }, t('staffSaveGroups'));
    save.addEventListener('click', () =>
      run(
        save,
        `roles-${user.id}`,
        () => patch(user, { groups: ticked(boxes) }),
        (saved) => ({ kind: 'roles', name: saved.name, roles: saved.groups }),
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
        `account-${user.id}`,
        () => patch(user, { enabled: !user.enabled }),
        (saved) => ({ kind: 'enabled', name: saved.name, enabled: saved.enabled }),
      );
    });
    // The number SMS notifications go to; empty removes it. One's own is changed by another admin.
    const phone = phoneInput(`phone-${user.id}`, user.phone);
    const savePhone = h('button', { type: 'button', class: 'secondary' }, t('staffSavePhone'));
    savePhone.addEventListener('click', () =>
      run(
        savePhone,
        `phone-${user.id}`,
        () => patch(user, { phone: phone.value.trim() || null }),
        (saved) => ({
          kind: 'phone',
          name: saved.name,
          ...(saved.phone ? { phone: shownPhone(saved.phone) } : {}),
        }),
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
          doneHere(done, `phone-${user.id}`),
        );
    return [
      h('span', {}, h('strong', {}, user.name), h('br'), user.email, phoneCell),
      h(
        'div',
        {},
        boxes,
        own ? h('p', { class: 'muted' }, t('staffOwnRoles')) : save,
        doneHere(done, `roles-${user.id}`),
      ),
      `${t(`staffStatus_${user.status}` as Key)} · ${user.enabled ? t('staffEnabled') : t('staffDisabled')}`,
      // One's own account is changed by another admin: no button that would only be refused.
      own ? '' : h('div', {}, toggle, doneHere(done, `account-${user.id}`)),
    ];
  });

  replace(
    main,
    h('h1', {}, t('staffTitle')),
    h('p', {}, t('staffHint')),
    problems,
    table([t('staffPerson'), t('staffGroups'), t('staffStatus'), t('staffAccount')], rows, t('staffTitle')),
    inviteForm(problems, reload, doneHere(done, 'invite')),
  );
  main.querySelector<HTMLElement>('#staff-done')?.focus();
}

function inviteForm(
  problems: HTMLElement,
  reload: (done: Done) => Promise<void>,
  confirmation: HTMLElement | '',
) {
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
      const invited = name.value.trim();
      const address = email.value.trim();
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
      await reload({
        where: 'invite',
        message: confirmationText({ kind: 'invited', name: invited, email: address }),
      });
    } catch (error) {
      replace(problems, refusal(error));
      (problems.firstElementChild as HTMLElement | null)?.focus();
      submit.disabled = false;
    }
  });
  // Only Cognito mails a temporary password: locally the account joins the local directory (the
  // sign-in page's demo users), with the bureau's own provider (mode oidc) it is the table's.
  const hint = t(inviteHintKey(config().mode));
  return section(t('staffInviteTitle'), h('p', { class: 'muted' }, hint), confirmation, form);
}
