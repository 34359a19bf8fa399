import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_FONT } from '../../infra/documents-events.ts';
import { projectRoot } from '../../infra/eia-function.ts';
import { bucketAccess, cursorKeyReaders } from '../../infra/function-access.ts';
import { staffFunctions } from '../../infra/user-directory.ts';
import { synthesize } from './synth.ts';

/** Minified bundle (index.mjs, without its source map) per function, AWS SDK included. */
const MAX_BUNDLE_KB = 512;
/** The S3 client and presigner add some 150 KB to the functions that touch the documents bucket. */
const MAX_BUNDLE_KB_S3 = 768;
/** The Secrets Manager client (the list cursors' key, read at run time) adds some 15 KB. */
const MAX_BUNDLE_KB_SECRETS = 544;
const MAX_BUNDLE_KB_OF: Record<string, number> = {
  ...Object.fromEntries(cursorKeyReaders.map((name) => [name, MAX_BUNDLE_KB_SECRETS])),
  ...Object.fromEntries(
    Object.entries(bucketAccess)
      .filter(([, b]) => (b.put?.length ?? 0) + (b.get?.length ?? 0) > 0)
      .map(([name]) => [name, MAX_BUNDLE_KB_S3]),
  ),
  // And a PDF writer, fontkit and a QR encoder.
  documents: 2048,
  // Both staff directories: Cognito's admin API (profile global) and the table's (profile china).
  ...Object.fromEntries(Object.keys(staffFunctions).map((name) => [name, 544])),
  // Three AWS clients: Cognito (who a user is), SES (the mail) and DynamoDB (hearing requesters'
  // addresses, read when sending, so that they never travel on the event bus); and the other
  // channels (functions/notifier/channels): Secrets Manager and nodemailer's SMTP connection only
  // (some 620 KB in all).
  notifier: 640,
};
/** Files a function reads at run time, copied beside its bundle (infra/documents-events.ts). */
const FILES_OF: Record<string, string[]> = { documents: [DOCUMENT_FONT.name] };

// The real thing: every function bundled by the local esbuild, as `npm run synth` does.
const { stateless, assembly } = synthesize({ bundle: true });

const bundles = [...stateless.functions.values()].map((fn) => {
  const code = (fn.fn.node.defaultChild as CfnFunction).code as { s3Key: string };
  const dir = join(assembly.directory, `asset.${code.s3Key.replace(/\.zip$/, '')}`);
  return { name: fn.name, dir, file: join(dir, 'index.mjs') };
});

describe('function bundles', () => {
  it('are one ES module and its source map each (and the files a function reads)', () => {
    for (const { name, dir, file } of bundles) {
      expect(readdirSync(dir).sort(), name).toEqual(
        ['index.mjs', 'index.mjs.map', ...(FILES_OF[name] ?? [])].sort(),
      );
      const code = readFileSync(file, 'utf8');
      expect(code.startsWith('import { createRequire as __eiaCreateRequire }'), name).toBe(true);
      expect(code, name).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{\s*handler\b/);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), name).toBe(true);
    }
  });

  it('load in Node as ES modules that export a handler function', () => {
    const script = `
      const files = JSON.parse(process.argv[1]);
      const out = {};
      for (const [name, url] of Object.entries(files)) out[name] = typeof (await import(url)).handler;
      console.log(JSON.stringify(out));`;
    const files = Object.fromEntries(bundles.map((b) => [b.name, pathToFileURL(b.file).href]));
    const stdout = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(files)],
      {
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    const types = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(types).toEqual(Object.fromEntries(bundles.map((b) => [b.name, 'function'])));
  });

  it(`are minified and under ${MAX_BUNDLE_KB} KB each (with S3: ${MAX_BUNDLE_KB_S3} KB; documents: ${MAX_BUNDLE_KB_OF.documents} KB; notifier: ${MAX_BUNDLE_KB_OF.notifier} KB)`, () => {
    const sizes = Object.fromEntries(
      bundles.map(({ name, file }) => [name, Math.round(statSync(file).size / 1024)]),
    );
    console.info('bundle sizes (KB, minified):', sizes);
    for (const [name, kb] of Object.entries(sizes))
      expect(kb, name).toBeLessThan(MAX_BUNDLE_KB_OF[name] ?? MAX_BUNDLE_KB);
    // Minified: long lines of many statements each, not one statement per line.
    for (const { name, file } of bundles) {
      const code = readFileSync(file, 'utf8');
      expect(code.length / code.split('\n').length, name).toBeGreaterThan(1000);
    }
  });

  it("copies the documents function's font, byte for byte, beside its bundle", () => {
    const documents = bundles.find((b) => b.name === 'documents');
    if (!documents) throw new Error('no documents bundle');
    const copied = readFileSync(join(documents.dir, DOCUMENT_FONT.name));
    expect(copied.equals(readFileSync(join(projectRoot, DOCUMENT_FONT.from)))).toBe(true);
    // An OpenType font with CFF outlines.
    expect(copied.subarray(0, 4).toString('latin1')).toBe('OTTO');
  });
});
