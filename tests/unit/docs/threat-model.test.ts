import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type RouteDef, routes } from '../../../shared/http/routes.ts';

/**
 * docs/threat-model.md names every route and every trust boundary with the tests that prove its
 * controls. This keeps it so: a route added to shared/http/routes.ts and not to the page, a test
 * file renamed or removed, a boundary dropped, or a threat without a test fails here.
 */
const DOC = fileURLToPath(new URL('../../../docs/threat-model.md', import.meta.url));
const DOCS_DIR = dirname(DOC);

const BOUNDARIES = [
  'The browser',
  'The public internet',
  'The API',
  'The functions',
  'The table',
  'The documents bucket',
  'E-mail and SMS',
  'Admins',
  'The local server',
] as const;

const STRIDE_ROW = /^\|\s*([STRIDE])\s*\|/;
const ROUTE_CELL = /^\|\s*`(GET|POST|PUT|PATCH|DELETE) ([^`\s]+)`\s*\|/;
const TEST_LINK = /\]\(\.\.\/tests\/[^)\s]+\)/;

/** The `## ` or `### ` section titled `title`: its lines up to the next heading of its level or above. */
function section(lines: readonly string[], level: 2 | 3, title: string): string[] | undefined {
  const marker = `${'#'.repeat(level)} ${title}`;
  const start = lines.findIndex((line) => line.trim() === marker);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => new RegExp(`^#{1,${level}} `).test(line));
  return end < 0 ? rest : rest.slice(0, end);
}

/** Every relative link target of the page (no scheme, not a bare anchor), without its anchor. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0] as string);
}

/** What is wrong with the page, in words; empty when nothing is. */
function problems(
  markdown: string,
  apiRoutes: readonly Pick<RouteDef, 'method' | 'path'>[],
  exists: (path: string) => boolean,
): string[] {
  const found: string[] = [];
  const lines = markdown.split('\n');

  const routeSection = section(lines, 2, 'Every route');
  if (!routeSection) found.push('no "## Every route" section');
  const documented = new Map<string, string>();
  for (const line of routeSection ?? []) {
    const m = ROUTE_CELL.exec(line);
    if (m) documented.set(`${m[1]} ${m[2]}`, line);
  }
  for (const route of apiRoutes) {
    const key = `${route.method} ${route.path}`;
    const row = documented.get(key);
    if (!row) found.push(`route ${key} is not in the route table`);
    else if (!TEST_LINK.test(row)) found.push(`route ${key} names no test`);
  }
  const known = new Set(apiRoutes.map((r) => `${r.method} ${r.path}`));
  for (const key of documented.keys()) {
    if (!known.has(key)) found.push(`route ${key} is in the table but not in shared/http/routes.ts`);
  }

  const boundaries = section(lines, 2, 'Trust boundaries');
  if (!boundaries) found.push('no "## Trust boundaries" section');
  const letters = new Set<string>();
  for (const name of BOUNDARIES) {
    const anchor = `#${name
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-')}`;
    if (!(boundaries ?? []).some((line) => line.startsWith(`| [${name}](${anchor}) |`))) {
      found.push(`boundary "${name}" is not in the list of boundaries`);
    }
    const body = section(lines, 3, name);
    if (!body) {
      found.push(`boundary "${name}" has no section`);
      continue;
    }
    const rows = body.filter((line) => STRIDE_ROW.test(line));
    if (rows.length === 0) found.push(`boundary "${name}" has no STRIDE row`);
    for (const row of rows) {
      letters.add(STRIDE_ROW.exec(row)?.[1] as string);
      if (!TEST_LINK.test(row)) found.push(`a row of "${name}" names no test: ${row.slice(0, 80)}`);
    }
  }
  for (const letter of 'STRIDE') {
    if (!letters.has(letter)) found.push(`no threat of kind ${letter}`);
  }

  for (const target of new Set(relativeLinks(markdown))) {
    if (!exists(target)) found.push(`link to ${target}: no such file`);
  }
  return found;
}

/** A link target relative to docs/: a file, or a folder when it ends with `/`. */
function existsFromDocs(target: string): boolean {
  const path = resolve(DOCS_DIR, target);
  if (!existsSync(path)) return false;
  return target.endsWith('/') ? statSync(path).isDirectory() : statSync(path).isFile();
}

describe('docs/threat-model.md', () => {
  const markdown = readFileSync(DOC, 'utf8');

  it('names every route and every boundary, each threat with a test, every linked file existing', () => {
    expect(problems(markdown, routes, existsFromDocs)).toEqual([]);
  });

  it('links test files that run: each under tests/ ends in .test.ts (or is a folder of them)', () => {
    const tests = relativeLinks(markdown).filter((t) => t.startsWith('../tests/'));
    expect(tests.length).toBeGreaterThan(50);
    for (const target of tests) expect(target).toMatch(/(\.test\.ts|\/)$/);
  });

  describe('would see (controls)', () => {
    const someRoute = routes[5];
    // Only what a change adds: the controls hold whatever else is wrong at the time.
    const baseline = problems(markdown, routes, existsFromDocs);
    const added = (changed: string, apiRoutes: readonly RouteDef[] = routes) =>
      problems(changed, apiRoutes, existsFromDocs).filter((p) => !baseline.includes(p));

    it('a route of routes.ts missing from the table', () => {
      const row = markdown
        .split('\n')
        .find((l) => l.startsWith(`| \`${someRoute.method} ${someRoute.path}\` |`));
      expect(row).toBeDefined();
      const without = markdown.replace(`${row}\n`, '');
      expect(added(without)).toEqual([
        `route ${someRoute.method} ${someRoute.path} is not in the route table`,
      ]);
    });

    it('a route in the table that routes.ts does not have', () => {
      const others = routes.filter((r) => r !== someRoute);
      expect(added(markdown, others)).toEqual([
        `route ${someRoute.method} ${someRoute.path} is in the table but not in shared/http/routes.ts`,
      ]);
    });

    it('a linked test file that does not exist', () => {
      const renamed = markdown.replace(
        '](../tests/integration/local-origin.test.ts)',
        '](../tests/integration/local-origin-gone.test.ts)',
      );
      expect(added(renamed)).toEqual([
        'link to ../tests/integration/local-origin-gone.test.ts: no such file',
      ]);
    });

    it('a boundary dropped', () => {
      const dropped = markdown.replace('### Admins\n', '### Administrators\n');
      expect(added(dropped)).toEqual(['boundary "Admins" has no section']);
    });

    it('a threat without a test', () => {
      const lines = markdown.split('\n');
      const start = lines.indexOf('### The table');
      const index = lines.findIndex((l, i) => i > start && STRIDE_ROW.test(l));
      const row = lines[index] as string;
      lines[index] = row.replace(/\[[^\]]*\]\(\.\.\/tests\/[^)]+\)(, )?/g, '');
      expect(added(lines.join('\n'))).toEqual([
        `a row of "The table" names no test: ${(lines[index] as string).slice(0, 80)}`,
      ]);
    });
  });
});
