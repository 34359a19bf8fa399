/** Console words for the session part: [Chinese, English], merged into the table of web/src/i18n.ts. */
export const sessionWords = {
  // After a field's label: full-width brackets in Chinese, none of the space an English one needs.
  requiredMark: ['（必填）', ' (required)'],
  optionalMark: ['（选填）', ' (optional)'],
  terminalMark: ['（办结）', ' (final)'],
  signInOidc: ['通过单位统一身份认证登录', 'Sign in through your organisation’s identity service'],
  signInFailed: ['登录未完成，请重新登录。', 'Sign-in did not complete: please sign in again.'],
  signInUnavailable: [
    '暂时无法连接统一身份认证服务，请稍后再试。',
    'The identity service cannot be reached just now: please try again later.',
  ],
  sessionRefused: [
    '登录已失效，请重新登录。登录后回到刚才的页面，已填写的内容仍在。',
    'Your sign-in has ended: please sign in again. You will come back to the page you were on, with what you typed.',
  ],
  confirmSignOutForms: [
    '本页面还有 {n} 份未保存的填写内容。退出后这些内容将从本浏览器中清除，他人无法看到，您也无法找回。确定退出吗？',
    'This tab still holds {n} unsaved form(s). Signing out clears them from this browser: nobody else can see them, and you cannot get them back. Sign out?',
  ],
} as const satisfies Record<string, readonly [string, string]>;
