/**
 * Console words for officials' mobile numbers on the staff page (SMS notifications): [Chinese,
 * English], merged into the table of web/src/i18n.ts.
 */
export const staffWords = {
  staffPhone: ['手机号码', 'Mobile number'],
  staffPhoneHint: ['用于短信通知', 'For SMS notifications'],
  staffPhoneNone: ['未填写手机号码', 'No mobile number'],
  staffSavePhone: ['保存手机号码', 'Save mobile number'],
  staffPhoneOf: ['{name}的手机号码', 'Mobile number of {name}'],
  issueMobile: [
    '请填写 11 位手机号码（以 1 开头，可带 +86），如 13800000000。',
    'Enter an 11-digit mobile number starting with 1 (+86 may go before it), e.g. 13800000000.',
  ],
} as const satisfies Record<string, readonly [string, string]>;
