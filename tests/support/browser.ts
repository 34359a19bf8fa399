import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * The browser for the end-to-end tests, with a Chinese font that comes with `npm ci`: Debian's
 * chromium where it is installed, otherwise the headless Chromium of @sparticuz/chromium. Either
 * way the font of @embedpdf/fonts-sc (Noto Sans S Chinese, OFL) is added through a fontconfig file of
 * our own, so a machine without any CJK font renders the console's Chinese, not empty boxes.
 */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking'];
// Of @sparticuz/chromium's Lambda flags, these would weaken the page's own security model (CORS,
// mixed content), which the console is tested under. `--single-process` would join every browser
// context into one: contexts then share localStorage and cookies (one person signed in in every
// context), and `window.open` takes its page down while another context is open. Each context must
// be a separate person, as separate browsers are; tests/e2e/sessions.test.ts checks it.
const LEFT_OUT = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

const require = createRequire(import.meta.url);

/** The directory of the OTF files of @embedpdf/fonts-sc (its entry is dist/index.cjs). */
export function cjkFontDir(): string {
  return join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
}

/**
 * A fontconfig file that keeps the system's fonts and adds the npm font. Its cache lives in /tmp
 * so nothing system-wide is written; the file is named by its content, so parallel runs and
 * different checkouts never overwrite each other's.
 */
async function fontConfigFile(): Promise<string> {
  const base = join(tmpdir(), 'e2e-fontconfig');
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    // The first cache directory is the one written to: ours, not the system's.
    `  <cachedir>${join(base, 'cache')}</cachedir>`,
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <dir>${cjkFontDir()}</dir>`,
    '</fontconfig>',
    '',
  ].join('\n');
  const file = join(base, `fonts-${createHash('sha256').update(xml).digest('hex').slice(0, 12)}.conf`);
  if (!existsSync(file)) {
    await mkdir(base, { recursive: true });
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, xml);
    await rename(partial, file);
  }
  return file;
}

/**
 * @sparticuz/chromium unpacks itself into os.tmpdir() and then reuses whatever `chromium` it finds
 * there, even one half-written by a killed run or left by another version. So it unpacks in a
 * child process whose TMPDIR is a fresh directory, renamed when complete to one named by the
 * package's version: the cached browser is always whole and always the installed one.
 */
async function sparticuzChromium(): Promise<{ path: string; version: string }> {
  const entry = require.resolve('@sparticuz/chromium');
  const { version } = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const dir = join(tmpdir(), `sparticuz-chromium-${version}`);
  const path = join(dir, 'chromium');
  if (existsSync(path)) return { path, version };
  const work = await mkdtemp(join(tmpdir(), 'sparticuz-chromium-unpack-'));
  try {
    const unpack = `import(${JSON.stringify(entry)}).then((m) => m.default.executablePath())`;
    await promisify(execFile)(process.execPath, ['-e', unpack], { env: { ...process.env, TMPDIR: work } });
    if (!existsSync(join(work, 'chromium')))
      throw new Error(`@sparticuz/chromium did not unpack into ${work}`);
    await rename(work, dir).catch((error: NodeJS.ErrnoException) => {
      // Another run unpacked the same version first: its copy serves.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    return { path, version };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Launches the browser and says which one it is (CHROMIUM_PATH names another binary). */
export async function launchBrowser(): Promise<Browser> {
  const env = { ...process.env, FONTCONFIG_FILE: await fontConfigFile() };
  const explicit = process.env.CHROMIUM_PATH ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
  let browser: Browser;
  if (explicit) {
    browser = await chromium.launch({ executablePath: explicit, args: ARGS, env });
    console.info(`e2e browser: ${explicit} (Chromium ${browser.version()}), CJK font from ${cjkFontDir()}`);
  } else {
    const sparticuz = await sparticuzChromium();
    const { default: flags } = await import('@sparticuz/chromium');
    const args = [...new Set([...flags.args.filter((arg) => !LEFT_OUT.has(arg)), ...ARGS])];
    browser = await chromium.launch({ executablePath: sparticuz.path, args, env, headless: true });
    console.info(
      `e2e browser: @sparticuz/chromium ${sparticuz.version} at ${sparticuz.path} (Chromium ${browser.version()}), CJK font from ${cjkFontDir()}`,
    );
  }
  return browser;
}

/**
 * Whether the page's own font renders Chinese: with no CJK font every ideograph is the same
 * empty box, so two different ideographs, and a code point no font has, are drawn on a canvas
 * in the body's font and their pixels compared.
 */
export async function rendersChinese(page: Page): Promise<{ distinct: boolean; ink: number }> {
  return (await page.evaluate(`(() => {
    const font = '32px ' + getComputedStyle(document.body).fontFamily;
    const draw = (text) => {
      const canvas = document.createElement('canvas');
      canvas.width = 48;
      canvas.height = 48;
      const g = canvas.getContext('2d');
      g.font = font;
      g.textBaseline = 'top';
      g.fillText(text, 4, 4);
      return Array.from(g.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3));
    };
    const [li, ling, none] = [draw('醴'), draw('陵'), draw('\\u{10FFFD}')];
    const same = (a, b) => a.every((v, i) => v === b[i]);
    return { distinct: !same(li, ling) && !same(li, none), ink: li.filter((v) => v > 128).length };
  })()`)) as { distinct: boolean; ink: number };
}
