/**
 * No function's environment holds a secret, in any stack of either preset (a development stage and
 * prod): no dynamic reference that CloudFormation would resolve into the environment (Secrets
 * Manager, SSM SecureString), no variable named like a secret, no literal that looks like key
 * material. The cursor key is read at run time instead (shared/runtime/secrets.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { cursorKeyReaders } from '../../infra/function-access.ts';
import { synthesize } from './synth.ts';

type Resource = { Type: string; Properties?: Record<string, unknown> };

const DYNAMIC_REFERENCE = /\{\{resolve:(secretsmanager|ssm-secure):/;
/** Names of secrets; an ARN, a name or an id of one is not a secret. */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|API_?KEY|CREDENTIAL/i;
const NAMES_A_SECRET = /_(ARN|NAME|ID)$/i;
/** At least 32 characters of base64 / base64url or hex, nothing else. */
const KEY_MATERIAL = /^[A-Za-z0-9+/=_-]{32,}$/;
/** An ARN, a URL, a kebab-case name (a table's, a bucket's), a Cognito user pool id. */
const NOT_KEY_MATERIAL = [
  /^arn:/,
  /^https?:\/\//,
  /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/,
  /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/,
];

/** Every string inside a value, with where it is (through Fn::Join, Fn::Sub and any other function). */
function strings(value: unknown, at: string): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => strings(item, `${at}.${key}`));
  return [];
}

/** Every variable of every Lambda function of a template. */
function environments(template: Template): { fn: string; name: string; value: unknown }[] {
  const found: { fn: string; name: string; value: unknown }[] = [];
  for (const [id, fn] of Object.entries(
    template.findResources('AWS::Lambda::Function') as Record<string, Resource>,
  )) {
    const vars = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    for (const [name, value] of Object.entries(vars ?? {})) found.push({ fn: id, name, value });
  }
  return found;
}

/** What is wrong with one variable: nothing, or why it looks like a secret. */
function secretFindings(name: string, value: unknown): string[] {
  const findings: string[] = [];
  if (SECRET_NAME.test(name) && !NAMES_A_SECRET.test(name)) findings.push(`${name}: named like a secret`);
  for (const { at, text } of strings(value, name)) {
    if (DYNAMIC_REFERENCE.test(text)) findings.push(`${at}: a dynamic reference to a secret`);
    else if (KEY_MATERIAL.test(text) && !NOT_KEY_MATERIAL.some((ok) => ok.test(text)))
      findings.push(`${at}: looks like key material`);
  }
  return findings;
}

describe('the scan', () => {
  it('finds what it is for', () => {
    expect(
      secretFindings('CURSOR_SECRET', {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:::}}']],
      }),
    ).toEqual([
      'CURSOR_SECRET: named like a secret',
      'CURSOR_SECRET.Fn::Join[1][0]: a dynamic reference to a secret',
    ]);
    expect(secretFindings('DB', { 'Fn::Sub': '{{resolve:ssm-secure:/db/password}}' })).toEqual([
      'DB.Fn::Sub: a dynamic reference to a secret',
    ]);
    expect(secretFindings('SIGNING', 'q7Yb2mR9xK4pL0vN8sT3wZ6cF1hJ5dGa')).toEqual([
      'SIGNING: looks like key material',
    ]);
    expect(secretFindings('HMAC', 'a3f1c9e07b2d48f6a3f1c9e07b2d48f6a3f1c9e0')).toHaveLength(1);
    for (const name of ['API_KEY', 'GITHUB_TOKEN', 'PRIVATE_KEY', 'DB_PASSWORD', 'AWS_CREDENTIALS'])
      expect(secretFindings(name, 'x'), name).toEqual([`${name}: named like a secret`]);
  });

  it('lets through what is not a secret', () => {
    const ok: Record<string, unknown> = {
      CURSOR_KEY_SECRET_ARN: { Ref: 'CursorSecret' },
      SECRET_NAME: 'eia-cursor-key',
      TOKEN_ID: 'abc',
      TABLE_NAME: 'eia-prod-main-0123456789abcdefghij',
      EVENT_BUS_NAME: { Ref: 'Bus' },
      PUBLIC_BASE_URL: 'https://eia.example.cn/verify/abcdefghijklmnopqrstuvwxyz0123456789',
      USER_POOL_ID: 'cn-north-1_AbCdEfGhIjKlMnOpQrStUvWxYz012345',
      NODE_OPTIONS: '--enable-source-maps',
      DOCUMENT_FONT_PATH: '/var/task/NotoSansSC-Regular.otf',
      PUBLIC_WRITE_LIMIT: '20',
    };
    for (const [name, value] of Object.entries(ok)) expect(secretFindings(name, value), name).toEqual([]);
  });
});

for (const stage of ['test', 'prod']) {
  describe(`every function's environment (stage ${stage})`, () => {
    const { templates } = synthesize({ context: { stage } });
    const all = Object.entries(templates).flatMap(([stack, template]) =>
      environments(template).map((v) => ({ ...v, stack })),
    );

    it('has functions with variables to scan', () => {
      expect(all.length).toBeGreaterThan(20);
    });

    it('holds no secret: no dynamic reference, no secret name, no key material', () => {
      const findings = all.flatMap(({ stack, fn, name, value }) =>
        secretFindings(name, value).map((finding) => `${stack} ${fn} ${finding}`),
      );
      expect(findings).toEqual([]);
    });

    it('names the cursor key by its ARN, and only for the functions that use the key', () => {
      const named = all.filter((v) => v.name === 'CURSOR_KEY_SECRET_ARN');
      expect(named.length).toBe(cursorKeyReaders.length);
      for (const { fn, value } of named)
        expect(value, fn).toEqual({ Ref: expect.stringMatching(/^CursorSecret/) });
    });
  });
}

/**
 * The functions that read the key are exactly those whose handler signs or reads cursors or counts
 * public writes (shared/http/paging.ts, audit-query.ts, public-limit.ts): the others neither get
 * the secret's ARN nor may read it.
 */
describe('the cursor key’s readers', () => {
  it('are the handlers that import the key’s users', () => {
    const root = join(import.meta.dirname, '..', '..', 'functions');
    const users = /from '\.\.\/\.\.\/shared\/http\/(paging|audit-query|public-limit)\.ts'/;
    const found = readdirSync(root).filter((name) => {
      const dir = join(root, name);
      return readdirSync(dir)
        .filter((file) => file.endsWith('.ts'))
        .some((file) => {
          const text = readFileSync(join(dir, file), 'utf8');
          return (
            users.test(text) && /\b(startKeyOf|pageBody|cursorOf|positionOf|limitPublicWrite)\(/.test(text)
          );
        });
    });
    expect([...cursorKeyReaders].sort()).toEqual(found.sort());
  });
});
