import { beforeAll, describe, expect, it } from 'vitest';
import { inviteHintKey, staffConfirmation, unsavedCodes } from '../../../../web/src/unsaved.ts';
import { stubBrowserStorage } from '../../../support/browser-storage.ts';

/** The words are looked up in web/src/i18n.ts, which reads localStorage and sets <html lang> when loaded. */
let tr: (key: string, fallback?: string) => string;
let setLang: (lang: 'zh' | 'en') => void;
beforeAll(async () => {
  stubBrowserStorage();
  const path = '../../../../web/src/i18n.ts';
  ({ tr, setLang } = (await import(/* @vite-ignore */ path)) as { tr: typeof tr; setLang: typeof setLang });
});

const letter = { code: 'APPLICATION_LETTER', sha256: 'a'.repeat(64), uploadId: 'u1' };

describe('unsavedCodes', () => {
  it('names a material uploaded on a draft that has none saved for its code', () => {
    expect([...unsavedCodes([], new Map([[letter.code, letter]]))]).toEqual([letter.code]);
  });

  it('names a material that replaces the saved one (another upload of the same code)', () => {
    const again = { ...letter, uploadId: 'u2' };
    expect([...unsavedCodes([letter], new Map([[letter.code, again]]))]).toEqual([letter.code]);
    const otherBytes = { ...letter, sha256: 'b'.repeat(64) };
    expect([...unsavedCodes([letter], new Map([[letter.code, otherBytes]]))]).toEqual([letter.code]);
  });

  it('does not name the saved material, even as a copy kept across a reload', () => {
    const kept = JSON.parse(JSON.stringify(letter)) as typeof letter;
    expect(unsavedCodes([letter], new Map([[letter.code, kept]])).size).toBe(0);
  });
});

describe('inviteHintKey', () => {
  it('promises a mailed temporary password only where Cognito sends one', () => {
    expect(inviteHintKey('cognito')).toBe('staffInviteHint');
    expect(inviteHintKey('local')).toBe('staffInviteHintLocal');
    expect(inviteHintKey('oidc')).toBe('staffInviteHintOidc');
  });

  it('says locally and with the bureau’s provider that nothing is mailed, in both languages', () => {
    setLang('zh');
    expect(tr(inviteHintKey('local'))).not.toContain('临时密码');
    expect(tr(inviteHintKey('local'))).toContain('不发送邮件');
    expect(tr(inviteHintKey('oidc'))).not.toContain('临时密码');
    expect(tr(inviteHintKey('cognito'))).toContain('临时密码');
    setLang('en');
    expect(tr(inviteHintKey('local'))).toContain('no e-mail is sent');
    setLang('zh');
  });
});

describe('staffConfirmation', () => {
  const say = (change: Parameters<typeof staffConfirmation>[0]) => {
    const { key, params } = staffConfirmation(change, (r) => tr(`role_${r}`), tr('listSeparator'));
    return tr(key).replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? `{${n}}`);
  };

  it('names the person and the roles saved, joined as Chinese lists are', () => {
    setLang('zh');
    expect(say({ kind: 'roles', name: '王芳', roles: ['clerk', 'reviewer'] })).toBe(
      `已保存：王芳 的角色为 ${tr('role_clerk')}、${tr('role_reviewer')}。`,
    );
    expect(say({ kind: 'roles', name: '王芳', roles: [] })).toBe('已保存：王芳 现在没有任何角色。');
  });

  it('names the number saved, or that it was removed', () => {
    setLang('zh');
    expect(say({ kind: 'phone', name: '王芳', phone: '13800138000' })).toBe(
      '已保存：王芳 的手机号码为 13800138000。',
    );
    expect(say({ kind: 'phone', name: '王芳' })).toBe('已保存：已删除 王芳 的手机号码。');
  });

  it('says whether the account is now enabled or disabled, and whom an invitation went to', () => {
    setLang('zh');
    expect(say({ kind: 'enabled', name: '王芳', enabled: false })).toBe('已停用 王芳 的账号。');
    expect(say({ kind: 'enabled', name: '王芳', enabled: true })).toBe('已启用 王芳 的账号。');
    expect(say({ kind: 'invited', name: '周敏', email: 'zhou.min@liling.example' })).toBe(
      '已邀请 周敏（zhou.min@liling.example）。',
    );
    setLang('en');
    expect(say({ kind: 'roles', name: 'Wang', roles: ['clerk', 'reviewer'] })).toBe(
      `Saved: Wang’s roles are now ${tr('role_clerk')}, ${tr('role_reviewer')}.`,
    );
    setLang('zh');
  });
});
