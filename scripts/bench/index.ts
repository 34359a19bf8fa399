/**
 * `npm run bench`: what the service costs to run and how long users wait, measured side by side in
 * one run (as ratios: shared machines are noisy). Needs nothing but the repository and Java 17+
 * (it starts and stops its own DynamoDB Local, in memory). Prints the tables and writes
 * bench/results.json.
 *
 *   npm run bench                      # everything, a few minutes
 *   BENCH_QUICK=1 npm run bench        # tiny numbers: checks that it runs, figures meaningless
 *   BENCH_SCALE=1000,20000 npm run bench   # other table sizes for the scale section
 *   BENCH_ONLY=bundles,work npm run bench  # some sections only (bundles, work, throughput, scale, documents, storage)
 *   BENCH_ONLY=documents npm run bench     # PDF rendering time per written document (documents.ts)
 *   BENCH_ONLY=storage npm run bench       # 100 MB up and down through presigned URLs (storage.ts)
 *   BENCH_STORAGE_MB=20 npm run bench      # another file size for the storage section
 *
 * Sections (scripts/bench/*.ts): work per transition and its cost, DynamoDB units and S3 requests,
 * uploads and documents included (work.ts, meter.ts), handler overhead (work.ts), cold start
 * (bundles.ts), throughput (throughput.ts), scale (scale.ts), PDF rendering (documents.ts), files
 * through presigned URLs (storage.ts). A run writes only the sections it ran to results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../infra/eia-function.ts';
import { type BundleFigure, measureBundles } from './bundles.ts';
import { type DocumentFigures, measureDocuments } from './documents.ts';
import { installMeter, type Work } from './meter.ts';
import { measureScale, type ScaleRow } from './scale.ts';
import { startBenchStack } from './stack.ts';
import { measureStorage, type StorageFigures } from './storage.ts';
import { measureThroughput, type ThroughputRow } from './throughput.ts';
import { APPROVAL, measureOverhead, measureWork, type OverheadFigures, type WorkFigures } from './work.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The sweeper logs its report at INFO; the bench prints its own.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

/**
 * On-demand prices, us-east-1 (N. Virginia), USD, as published on the DynamoDB and Step Functions
 * pricing pages (DynamoDB since the November 2024 cut). The China regions (cn-north-1 Beijing,
 * cn-northwest-1 Ningxia) have their own price lists in CNY: multiply the units below by those.
 */
export const PRICES = {
  region: 'us-east-1',
  /** Per million write request units. */
  writeRequestUnitUsdPerMillion: 0.625,
  /** Per million read request units. */
  readRequestUnitUsdPerMillion: 0.125,
  /** Step Functions Standard, per 1,000 state transitions. */
  stepFunctionsUsdPerThousandTransitions: 0.025,
  /** S3 Standard, per 1,000 PUT, COPY, POST or LIST requests. */
  s3PutUsdPerThousand: 0.005,
  /** S3 Standard, per 1,000 GET, HEAD and other requests. */
  s3GetUsdPerThousand: 0.0004,
} as const;

/** Targets of issue 7. */
export const TARGETS = {
  overheadRatio: 1.2,
  beyondFloorBytes: 50 * 1024,
  loadOverFloor: 1.25,
  loadOverNaive: 0.4,
} as const;

const quick = process.env.BENCH_QUICK === '1';
const only = new Set(
  (process.env.BENCH_ONLY ?? 'bundles,work,throughput,scale,documents,storage').split(','),
);
const scaleSizes = (process.env.BENCH_SCALE ?? (quick ? '100,400' : '1000,100000')).split(',').map(Number);

const log = (line: string) => process.stdout.write(`${line}\n`);
const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const f = (x: number, digits = 2) => x.toFixed(digits);
const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
    // A blank line: Markdown would take the next line of text as another row.
    '',
  ].join('\n');
}

const usdPerThousand = (w: Work) =>
  1000 *
  ((w.writeUnits * PRICES.writeRequestUnitUsdPerMillion + w.readUnits * PRICES.readRequestUnitUsdPerMillion) /
    1e6);

/** S3 requests by price class: PUT-class (PutObject, a presigned PUT) and GET-class (the rest). */
const s3Classes = (w: Work) => {
  let put = 0;
  let get = 0;
  for (const [op, n] of Object.entries(w.s3))
    if (/^put/i.test(op)) put += n;
    else get += n;
  return { put, get };
};
const s3UsdPerThousand = (w: Work) => {
  const { put, get } = s3Classes(w);
  return put * PRICES.s3PutUsdPerThousand + get * PRICES.s3GetUsdPerThousand;
};

function printWork(work: WorkFigures) {
  const ops = (w: Work) =>
    Object.entries(w.ops)
      .map(([op, n]) => `${n}×${op}`)
      .join(' ');
  const rows = [...work.perStep, { name: '**whole approval**', work: work.approval }].map(
    ({ name, work: w }) => [
      name,
      w.calls,
      ops(w),
      w.itemsRead,
      w.itemsWritten,
      f(w.readUnits, 1),
      `${w.writeUnits} (${w.indexWriteUnits} index)`,
      Object.entries(w.s3)
        .map(([op, n]) => `${n}×${op}`)
        .join(' '),
    ],
  );
  log(
    table(
      [
        'step',
        'calls',
        'operations',
        'items read',
        'items written',
        'RRU',
        'WRU (of which GSI)',
        'S3 requests',
      ],
      rows,
    ),
  );
  const sfn = APPROVAL.length;
  const { put, get } = s3Classes(work.approval);
  log(
    `Per 1,000 approved applications (${PRICES.region} on-demand): DynamoDB $${f(usdPerThousand(work.approval), 3)}` +
      ` (${work.approval.writeUnits} WRU + ${work.approval.readUnits} RRU each);` +
      ` S3 requests $${f(s3UsdPerThousand(work.approval), 3)} (${put} PUT-class + ${get} GET-class each; storage billed apart);` +
      ` the same ${sfn} steps as Step Functions Standard transitions alone: $${f(sfn * PRICES.stepFunctionsUsdPerThousandTransitions, 3)}.`,
  );
}

function printOverhead(o: OverheadFigures) {
  log(
    table(
      ['step', 'handler ms', 'same calls direct ms', 'ratio'],
      [
        ...o.perStep.map((s) => [s.name, f(s.handlerMs, 0), f(s.directMs, 0), f(s.ratio)]),
        [
          '**all**',
          f(o.handlerMs, 0),
          f(o.directMs, 0),
          `${f(o.ratio)} (target ≤ ${TARGETS.overheadRatio}: ${ok(o.ratio <= TARGETS.overheadRatio)})`,
        ],
      ],
    ),
  );
  const per = (ms: number) => f(ms / o.transitions, 1);
  log(
    `(${o.transitions} transitions; per transition ${per(o.handlerMs)} ms through the handler, ` +
      `${per(o.directMs)} ms direct: the handler adds ${per(o.handlerMs - o.directMs)} ms)`,
  );
}

function coldStart(figures: BundleFigure[]) {
  const byName = new Map(figures.map((b) => [b.name, b]));
  const naive = byName.get('naive');
  return figures
    .filter((b) => b.kind === 'function')
    .map((b) => {
      const floor = byName.get(b.floor ?? '');
      const beyond = b.bytes - (floor?.bytes ?? 0);
      const overFloor = b.loadMs / (floor?.loadMs ?? Number.NaN);
      const overNaive = b.loadMs / (naive?.loadMs ?? Number.NaN);
      return { ...b, beyondFloorBytes: beyond, loadOverFloor: overFloor, loadOverNaive: overNaive };
    });
}

function printBundles(figures: BundleFigure[]) {
  const rows = coldStart(figures).map((b) => [
    b.name,
    kb(b.bytes),
    kb(b.gzipBytes),
    `${kb(b.beyondFloorBytes)} ${ok(b.beyondFloorBytes <= TARGETS.beyondFloorBytes)}`,
    `${f(b.loadMs, 0)} (${f(b.loadWallMs, 0)})`,
    `${f(b.loadOverFloor)} ${ok(b.loadOverFloor <= TARGETS.loadOverFloor)}`,
    `${f(b.loadOverNaive)} ${ok(b.loadOverNaive <= TARGETS.loadOverNaive)}`,
    b.floor ?? '',
  ]);
  for (const b of figures.filter((x) => x.kind !== 'function'))
    rows.push([
      `*${b.name}*`,
      kb(b.bytes),
      kb(b.gzipBytes),
      '',
      `${f(b.loadMs, 0)} (${f(b.loadWallMs, 0)})`,
      '',
      '',
      '',
    ]);
  log(
    table(
      [
        'bundle',
        'KB min',
        'KB gzip',
        'KB beyond floor (≤ 50)',
        'load ms CPU (wall)',
        '× floor (≤ 1.25)',
        '× naive (≤ 0.4)',
        'floor',
      ],
      rows,
    ),
  );
}

function printThroughput(rows: ThroughputRow[]) {
  log(
    table(
      [
        'clients',
        'approvals',
        's',
        'approvals/s',
        'transitions/s',
        'raw DynamoDB Local transactions/s',
        'of raw',
        '503s sent again',
      ],
      rows.map((r) => [
        r.clients,
        r.approvals,
        f(r.seconds, 1),
        f(r.approvalsPerSecond),
        f(r.transitionsPerSecond, 1),
        f(r.rawWritesPerSecond, 1),
        f(r.ofRaw),
        r.retried,
      ]),
    ),
  );
}

function printScale(rows: ScaleRow[]) {
  const names = rows[0]?.reads.map((r) => r.name) ?? [];
  const header = [
    'read',
    ...rows.flatMap((r) => [`items read @${r.size}`, `RRU @${r.size}`, `calls @${r.size}`]),
  ];
  log(
    table(
      header,
      names.map((name) => [
        name,
        ...rows.flatMap((r) => {
          const w = r.reads.find((x) => x.name === name)?.work;
          return [w?.itemsRead ?? '', f(w?.readUnits ?? 0, 1), w?.calls ?? ''];
        }),
      ]),
    ),
  );
  for (const r of rows)
    log(
      `  @${r.size}: ${r.apps} applications and ${r.events} events seeded (besides the bench's own), ${f(r.seedSeconds, 0)} s`,
    );
}

function printDocuments(d: DocumentFigures) {
  log(
    table(
      ['document', 'KB', 'pages', 'first render ms', `warm ms (median of ${d.rounds})`],
      d.perKind.map((k) => [k.kind, f(k.bytes / 1024, 1), k.pages, f(k.firstMs, 0), f(k.warmMs, 0)]),
    ),
  );
  log(
    `Renderer bundle ${kb(d.bundleBytes)} KB, loaded in ${f(d.loadMs, 0)} ms; font file ${kb(d.fontBytes)} KB ` +
      '(embedded as a subset). The first render of the process reads the font.',
  );
}

function printStorage(s: StorageFigures) {
  const mb = s.sizeBytes / 2 ** 20;
  log(
    table(
      [`${f(mb, 0)} MB file`, 'presigned URL ms', 'SDK call ms', 'ratio', 'presigned MB/s'],
      [
        [
          'upload (PUT ÷ PutObject)',
          f(s.presignedPutMs, 0),
          f(s.sdkPutMs, 0),
          f(s.putRatio),
          f(s.putMBps, 0),
        ],
        [
          'download (GET ÷ GetObject)',
          f(s.presignedGetMs, 0),
          f(s.sdkGetMs, 0),
          f(s.getRatio),
          f(s.getMBps, 0),
        ],
      ],
    ),
  );
  log(`(medians of ${s.rounds} rounds; both paths through the local store's verifying layer)`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
  };
  log(
    `EIA approval bench: Node ${machine.node}, ${machine.platform}, ${machine.cpus}, ${machine.memoryGb} GB${quick ? ' (BENCH_QUICK: figures meaningless)' : ''}\n`,
  );
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    machine,
    quick,
    prices: PRICES,
    targets: TARGETS,
  };

  if (only.has('bundles')) {
    log('## Cold start: bundles as CDK builds them, and their module load time in a fresh Node process');
    const figures = await measureBundles({
      rounds: quick ? 1 : 7,
      workDir: join(projectRoot, 'node_modules', '.cache', 'eia-bench'),
      log,
    });
    printBundles(figures);
    results.coldStart = { figures, perFunction: coldStart(figures) };
    log('');
  }

  if (only.has('documents')) {
    log('## Written documents: PDF rendering time per document, in a fresh Node process');
    const documents = await measureDocuments({
      rounds: quick ? 2 : 20,
      workDir: join(projectRoot, 'node_modules', '.cache', 'eia-bench'),
    });
    printDocuments(documents);
    results.documents = documents;
    log('');
  }

  if (only.has('storage')) {
    const mb = Number(process.env.BENCH_STORAGE_MB ?? (quick ? 4 : 100));
    log(`## Files: a ${mb} MB upload and download through presigned URLs, against the local S3 store`);
    const storage = await measureStorage({ sizeBytes: mb * 2 ** 20, rounds: quick ? 1 : 3, log });
    printStorage(storage);
    results.storage = storage;
    log('');
  }

  const meter = installMeter();
  const needsStack = ['work', 'throughput', 'scale'].some((s) => only.has(s));
  if (needsStack) {
    const stack = await startBenchStack();
    try {
      if (only.has('work')) {
        log('## Work per transition (counted from the requests; units per the DynamoDB pricing rules)');
        const work = await measureWork(stack, meter);
        printWork(work);
        results.work = {
          ...work,
          usdPerThousandApprovals: usdPerThousand(work.approval),
          s3UsdPerThousandApprovals: s3UsdPerThousand(work.approval),
          stepFunctionsTransitionsPerApproval: APPROVAL.length,
          stepFunctionsUsdPerThousandApprovals:
            APPROVAL.length * PRICES.stepFunctionsUsdPerThousandTransitions,
        };
        log(
          '\n## Handler overhead: transitions through the handler ÷ the same DynamoDB calls issued directly',
        );
        const overhead = await measureOverhead(
          stack,
          meter,
          quick ? { approvals: 1, warmup: 1 } : { approvals: 20, warmup: 3 },
        );
        printOverhead(overhead);
        results.overhead = overhead;
        log('');
      }
      if (only.has('throughput')) {
        log('## Throughput: whole approvals through the local server');
        const rows = await measureThroughput(stack, meter, {
          clients: quick ? [1, 2] : [1, 8, 32],
          approvalsPerClient: (c) => (quick ? 1 : c === 1 ? 8 : c === 8 ? 3 : 2),
          log,
        });
        printThroughput(rows);
        results.throughput = rows;
        log('');
      }
      if (only.has('scale')) {
        log(`## Scale: read cost at ${scaleSizes.join(' and ')} events in the table`);
        const rows = await measureScale(stack, meter, { sizes: scaleSizes, appsFraction: 0.1, log });
        printScale(rows);
        results.scale = rows;
        log('');
      }
    } finally {
      await stack.stop();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  results.wallSeconds = seconds;
  // A quick run's figures mean nothing: they do not replace the last real ones.
  const out = quick ? join(tmpdir(), 'eia-bench-results.json') : join(projectRoot, 'bench', 'results.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`Wrote ${out}; the whole run took ${f(seconds / 60, 1)} min.`);
}

await main();
