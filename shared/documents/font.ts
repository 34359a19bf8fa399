import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, type Font } from 'fontkit';

/**
 * The documents' font: Noto Sans SC Regular (Noto Sans Hans, OFL-1.1) from the npm package
 * @embedpdf/fonts-sc, an OpenType font with CFF outlines. Only the glyphs a document uses are
 * embedded (a subset of some tens of KB), with a ToUnicode map, so its text can be selected,
 * searched and extracted.
 */
export const FONT_FILE = 'NotoSansHans-Regular.otf';

/**
 * Where the font file is: env DOCUMENT_FONT_PATH when set; else the file beside this module (a
 * function's bundle ships it there, as `NotoSansHans-Regular.otf`); else the npm package's.
 */
export function fontPath(): string {
  const fromEnv = process.env.DOCUMENT_FONT_PATH;
  if (fromEnv) return fromEnv;
  const beside = join(dirname(fileURLToPath(import.meta.url)), FONT_FILE);
  if (existsSync(beside)) return beside;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@embedpdf/fonts-sc');
  } catch {
    throw new Error(
      `The documents' font ${FONT_FILE} was not found: set DOCUMENT_FONT_PATH to it, or ship it beside the function's bundle`,
    );
  }
  // The package's entry is dist/index.cjs; its fonts are in fonts/.
  return join(dirname(entry), '..', 'fonts', FONT_FILE);
}

let cached: { path: string; font: Promise<Font> } | undefined;

/**
 * The font, read and parsed once per process (per path): parsing its tables anew for every
 * document would cost more than the rest of the rendering. Only read from: every document gets its
 * own subset of it.
 */
export function loadFont(): Promise<Font> {
  const path = fontPath();
  if (cached?.path !== path) {
    const font = readFile(path).then((bytes) => {
      const parsed = create(bytes);
      if (!('layout' in parsed)) throw new Error(`${path} is a font collection, not one font`);
      return parsed;
    });
    cached = { path, font };
    // A failed read is not kept: the next call tries again.
    font.catch(() => {
      if (cached?.font === font) cached = undefined;
    });
  }
  return cached.font;
}
