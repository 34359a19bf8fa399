import { beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../../../shared/domain/types.ts';
import { claimAt, groupsOf } from '../../../../shared/http/auth.ts';

/**
 * The console reads a token's claims (web/src/claims.ts) exactly as the API does
 * (shared/http/auth.ts): the same claim found by the same name or path, the same list of roles from
 * every form a provider or gateway sends, the same roles known. The console cannot import the API's
 * module (it is built for the browser alone), so the two are kept equal here.
 */
// Typed by hand: web/src/claims.ts imports the console's DOM-typed modules.
type Module = {
  ROLES: readonly string[];
  claimAt(claims: Record<string, unknown>, path: string): unknown;
  listOf(value: unknown): string[];
};
let web: Module;

beforeAll(async () => {
  // A computed path: the console's modules are typed against the DOM library, these tests against Node's.
  const path = '../../../../web/src/claims.ts';
  web = (await import(/* @vite-ignore */ path)) as Module;
});

const lists: unknown[] = [
  ['clerk', 'reviewer'],
  'clerk,reviewer',
  '[clerk reviewer]',
  '["clerk","reviewer"]',
  'clerk reviewer clerk',
  ' , clerk ,, ',
  '[]',
  '',
  undefined,
  42,
  { clerk: true },
  '["not json',
];

const claims = {
  'cognito:groups': 'clerk,reviewer',
  'custom:orgCode': '91430281MA4L000000',
  realm_access: { roles: ['approver', 'offline_access'] },
  resource_access: JSON.stringify({ eia: { roles: ['auditor'] } }),
  'realm_access.flat': 'x',
  name: '王芳',
};
const paths = [
  'cognito:groups',
  'custom:orgCode',
  'realm_access.roles',
  'resource_access.eia.roles',
  'realm_access.flat',
  'realm_access.missing',
  'name.first',
  'toString',
  '__proto__.polluted',
];

describe('the console reads claims as the API reads them', () => {
  it.each(lists.map((v) => [JSON.stringify(v) ?? String(v), v]))('the list %s', (_, value) => {
    expect(web.listOf(value)).toEqual(groupsOf(value));
  });

  it.each(paths)('the claim at %s', (path) => {
    expect(web.claimAt(claims, path)).toEqual(claimAt(claims, path));
  });

  it('knows the same roles', () => {
    expect([...web.ROLES].sort()).toEqual([...roles].sort());
  });
});
