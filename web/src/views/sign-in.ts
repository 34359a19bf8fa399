import { signInLocal, startSignIn, takeRefused, takeReturn } from '../auth.ts';
import { config } from '../config.ts';
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { homeFor, navigate } from '../navigate.ts';
import { errorBox } from '../ui.ts';

/**
 * Locally: one button per demo user (POST /local/token). In AWS: the Cognito hosted UI, or the
 * bureau's own OpenID Connect provider (mode `oidc`).
 */
export function signInPage(main: HTMLElement): void {
  const c = config();
  // Sent here because the sign-in ended: said so, and that nothing typed is lost.
  const problems = h(
    'div',
    {},
    takeRefused()
      ? h('p', { class: 'warning', role: 'status', 'data-session-refused': '' }, t('sessionRefused'))
      : '',
  );
  if (c.mode === 'cognito' || c.mode === 'oidc') {
    replace(
      main,
      h('h1', {}, t('signIn')),
      problems,
      h(
        'button',
        {
          type: 'button',
          'data-sign-in': c.mode,
          onclick: async () => {
            try {
              await startSignIn();
            } catch (error) {
              // The provider's discovery document could not be read or is not usable.
              const detail = error instanceof Error ? error.message : String(error);
              replace(
                problems,
                errorBox(new Error(t('signInUnavailable'))),
                h('p', { class: 'muted' }, detail),
              );
            }
          },
        },
        t(c.mode === 'oidc' ? 'signInOidc' : 'signInCognito'),
      ),
    );
    return;
  }
  replace(
    main,
    h('h1', {}, t('signInTitle')),
    h('p', {}, t('signInHint')),
    problems,
    h(
      'ul',
      { class: 'demo-users' },
      c.demoUsers.map((user) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'data-role': user.role,
              onclick: async () => {
                try {
                  const s = await signInLocal(user);
                  navigate(takeReturn() ?? homeFor(s.role));
                } catch (error) {
                  replace(problems, errorBox(error));
                }
              },
            },
            h('strong', {}, t(`role_${user.role}` as 'role_clerk')),
            ` · ${user.label}`,
          ),
        ),
      ),
    ),
  );
}
