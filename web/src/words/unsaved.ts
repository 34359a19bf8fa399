/**
 * Console words for what is done and what is not saved yet: the staff page's confirmations, the
 * invitation note of the local console, and a draft's uploaded but unsaved files. [Chinese,
 * English], merged into the table of web/src/i18n.ts.
 */
export const unsavedWords = {
  staffInviteHintLocal: [
    '本地运行：不发送邮件。账号加入本地用户目录，有角色的账号会出现在登录页的演示用户中。申请人账号须填写统一社会信用代码。',
    'Running locally: no e-mail is sent. The account joins the local user directory, and an account with a role appears among the demo users on the sign-in page. An applicant’s account needs the Unified Social Credit Code.',
  ],
  staffSavedRoles: ['已保存：{name} 的角色为 {roles}。', 'Saved: {name}’s roles are now {roles}.'],
  staffSavedNoRoles: ['已保存：{name} 现在没有任何角色。', 'Saved: {name} now has no role.'],
  staffSavedPhone: ['已保存：{name} 的手机号码为 {phone}。', 'Saved: {name}’s mobile number is now {phone}.'],
  staffSavedNoPhone: ['已保存：已删除 {name} 的手机号码。', 'Saved: {name}’s mobile number is removed.'],
  staffSavedEnabled: ['已启用 {name} 的账号。', '{name}’s account is enabled.'],
  staffSavedDisabled: ['已停用 {name} 的账号。', '{name}’s account is disabled.'],
  /** Between the items of a list in a sentence (roles). */
  listSeparator: ['、', ', '],
  staffInvitedDone: ['已邀请 {name}（{email}）。', 'Invited {name} ({email}).'],
  uploadDoneUnsaved: [
    '已上传，按“保存”后才会加入申请',
    'Uploaded; it becomes part of the application only when you press Save',
  ],
  providedUnsaved: ['已上传，尚未保存', 'Uploaded, not saved yet'],
} as const satisfies Record<string, readonly [string, string]>;
