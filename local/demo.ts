import { usccCheckChar } from '../shared/domain/uscc.ts';
import { type DemoApi, loadScenarios } from './demo-data.ts';
import type { LocalIssuer, LocalRole, TokenSubject } from './tokens.ts';

/**
 * `npm start -- --demo`: demo users, one per role, and (to come) demo applications created through
 * the API itself, so that the demo data obeys the same rules as real data.
 */

/** 91 (enterprise) + 430281 (醴陵市) + organisation code MA4L0001-1, then its check character. */
export const DEMO_ORG_CODE = `91430281MA4L00011${usccCheckChar('91430281MA4L00011')}`;

export const DEMO_USERS: Readonly<Record<LocalRole, TokenSubject & { readonly label: string }>> = {
  applicant: {
    sub: 'demo-applicant',
    name: '刘建国',
    groups: ['applicant'],
    orgCode: DEMO_ORG_CODE,
    label: '醴陵市铁河口纸业有限公司 联系人 刘建国',
  },
  clerk: { sub: 'demo-clerk', name: '王芳', groups: ['clerk'], label: '窗口受理 王芳' },
  reviewer: { sub: 'demo-reviewer', name: '陈静', groups: ['reviewer'], label: '审查 陈静' },
  approver: { sub: 'demo-approver', name: '赵志刚', groups: ['approver'], label: '分管副局长 赵志刚' },
  auditor: { sub: 'demo-auditor', name: '孙丽', groups: ['auditor'], label: '审计 孙丽' },
  admin: { sub: 'demo-admin', name: '李明', groups: ['admin'], label: '系统管理员 李明' },
};

export async function loadDemo(baseUrl: string, issuer: LocalIssuer): Promise<void> {
  const api: DemoApi = {
    token: (subject) => issuer.issue(subject),
    async call(method, path, token, body) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`demo: ${method} ${path} answered ${res.status}: ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    },
    async setNow(iso) {
      const res = await fetch(`${baseUrl}/local/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now: iso }),
      });
      if (!res.ok) throw new Error(`demo: POST /local/clock answered ${res.status}`);
    },
  };
  const ids = await loadScenarios(api, new Date());
  process.stderr.write(
    `Demo: ${ids.length} Liling applications loaded (paper cluster, kilns, fireworks, tourism).\n`,
  );
  await printDemoTokens(baseUrl, issuer);
}

/** Prints a token per role, ready to paste into a shell, and a request to try with one. */
export async function printDemoTokens(
  baseUrl: string,
  issuer: LocalIssuer,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const lines = ['', 'Demo tokens (valid 8 hours, until this server stops):'];
  for (const [role, user] of Object.entries(DEMO_USERS)) {
    const { label, ...subject } = user;
    const token = await issuer.issue(subject);
    lines.push(`  # ${role}: ${label}${subject.orgCode ? ` (orgCode ${subject.orgCode})` : ''}`);
    lines.push(`  export TOKEN_${role.toUpperCase()}=${token}`);
  }
  lines.push(
    '',
    'Then, for example:',
    `  curl -s ${baseUrl}/applications -H "Authorization: Bearer $TOKEN_APPLICANT"`,
    `  curl -s ${baseUrl}/workflow`,
    '',
  );
  write(`${lines.join('\n')}\n`);
}
