/**
 * PDF rendering time per written document: the renderer (shared/documents) bundled as CDK bundles a
 * function (BUNDLING), loaded in a fresh Node process, which renders one sample of each kind
 * (shared/documents/samples.ts) once, then `rounds` more times. The first render of the process
 * reads the font file; the warm figure is the median of the further renders.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { projectRoot } from '../../infra/eia-function.ts';
import { bundle } from './bundles.ts';

const run = promisify(execFile);

export interface DocumentFigure {
  kind: string;
  bytes: number;
  pages: number;
  /** The first render of this kind in the process, ms (the very first one also reads the font). */
  firstMs: number;
  /** Median of the further renders, ms. */
  warmMs: number;
}

export interface DocumentFigures {
  bundleBytes: number;
  /** `await import(bundle)` in the fresh process, ms. */
  loadMs: number;
  fontBytes: number;
  rounds: number;
  perKind: DocumentFigure[];
}

const ENTRY = (root: string) => `
import { fontPath } from '${root}/shared/documents/font.ts';
import { renderDocument } from '${root}/shared/documents/render.ts';
import { sampleContents } from '${root}/shared/documents/samples.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function measure(rounds: number) {
  const perKind = [];
  for (const content of sampleContents()) {
    let t = performance.now();
    const pdf = await renderDocument(content);
    const firstMs = performance.now() - t;
    const runs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      t = performance.now();
      await renderDocument(content);
      runs.push(performance.now() - t);
    }
    const pages = Buffer.from(pdf).toString('latin1').match(/\\/Type \\/Page\\b/g)?.length ?? 0;
    perKind.push({ kind: content.kind, bytes: pdf.length, pages, firstMs, warmMs: median(runs) });
  }
  return { fontPath: fontPath(), perKind };
}
`;

export async function measureDocuments(opts: { rounds: number; workDir: string }): Promise<DocumentFigures> {
  const dir = join(opts.workDir, 'documents');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, ENTRY(projectRoot.replace(/\/$/, '')));
  const outfile = await bundle(entry, join(dir, 'out'));
  const child = `
    const t = performance.now();
    const m = await import(${JSON.stringify(pathToFileURL(outfile).href)});
    const loadMs = performance.now() - t;
    const r = await m.measure(${opts.rounds});
    process.stdout.write(JSON.stringify({ loadMs, ...r }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', child], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as { loadMs: number; fontPath: string; perKind: DocumentFigure[] };
  return {
    bundleBytes: statSync(outfile).size,
    loadMs: result.loadMs,
    fontBytes: statSync(result.fontPath).size,
    rounds: opts.rounds,
    perKind: result.perKind,
  };
}
