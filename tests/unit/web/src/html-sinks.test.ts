import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The console builds its pages from text nodes and attributes (web/src/dom.ts): no string is ever
 * parsed as HTML or run as code, so a name, comment or file name holding markup stays text
 * (docs/threat-model.md, the browser). This fails when a way of turning a string into markup or
 * script appears in the console's sources.
 */
const WEB = fileURLToPath(new URL('../../../../web/', import.meta.url));

const SINKS: readonly [string, RegExp][] = [
  ['innerHTML', /\binnerHTML\b/],
  ['outerHTML', /\bouterHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\.write(ln)?\s*\(/],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['DOMParser', /\bDOMParser\b/],
  ['srcdoc', /\bsrcdoc\b/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['string timer', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
  ['javascript: URL', /['"`]javascript:/i],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|html)$/.test(entry.name) ? [path] : [];
  });
}

/** The sinks `text` uses, by name. */
function sinksIn(text: string): string[] {
  return SINKS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

describe('the console writes no string as HTML or code', () => {
  const files = [...sources(join(WEB, 'src')), join(WEB, 'index.html')];

  it('finds the sources (control)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.endsWith('dom.ts'))).toBe(true);
  });

  it('would see each sink (control)', () => {
    expect(sinksIn('el.innerHTML = name')).toEqual(['innerHTML']);
    expect(sinksIn("a.insertAdjacentHTML('beforeend', s)")).toEqual(['insertAdjacentHTML']);
    expect(sinksIn('document.write(x)')).toEqual(['document.write']);
    expect(sinksIn('const f = new Function(code)')).toEqual(['new Function']);
    expect(sinksIn('eval(s)')).toEqual(['eval']);
    expect(sinksIn("setTimeout('go()', 5)")).toEqual(['string timer']);
    expect(sinksIn("h('a', { href: 'javascript:alert(1)' })")).toEqual(['javascript: URL']);
    expect(sinksIn('el.textContent = name; setTimeout(go, 5); retrieval(x)')).toEqual([]);
  });

  it('has none in web/src or index.html', () => {
    const found = files.flatMap((file) =>
      sinksIn(readFileSync(file, 'utf8')).map((sink) => `${relative(WEB, file)}: ${sink}`),
    );
    expect(found).toEqual([]);
  });
});
