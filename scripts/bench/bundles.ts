/**
 * Cold start: every function bundled exactly as CDK bundles it (infra/eia-function.ts BUNDLING,
 * run through the local esbuild), next to two bundles built the same way in the same run:
 *
 * - a floor per set of DynamoDB commands: a handler that only creates the DynamoDB client and
 *   sends the commands the function uses (read off infra/function-access.ts), nothing else;
 * - a naive handler: middy, full zod (`import { z } from 'zod'`) and the DynamoDB document client,
 *   imported as they come (the packages' default entry points, CommonJS for most), bundled with
 *   the same options otherwise.
 *
 * Load time: `await import(bundle)` timed inside a fresh Node process, several rounds with the
 * bundles in a new random order each round, median per bundle; the ratios use its CPU time.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLING, projectRoot, RUNTIME } from '../../infra/eia-function.ts';
import {
  documentsAccess,
  type FunctionAccess,
  functionAccess,
  scanResultAccess,
  sweeperAccess,
} from '../../infra/function-access.ts';

const run = promisify(execFile);

export interface BundleFigure {
  name: string;
  kind: 'function' | 'floor' | 'naive';
  /** For a function: the floor it is measured against. */
  floor?: string;
  bytes: number;
  gzipBytes: number;
  /** Median over the rounds of the CPU time of the import, ms: the figure the ratios use. */
  loadMs: number;
  /** Median wall time of the import, ms. */
  loadWallMs: number;
  loadRunsMs: number[];
  loadWallRunsMs: number[];
}

/**
 * CDK's esbuild command line (aws-lambda-nodejs bundling.ts), as the esbuild API takes it.
 * `asTheyCome`: without our choice of entry points (`mainFields`), so packages come in through
 * esbuild's default for Node, their CommonJS `main` first: what a naive setup gets.
 */
export async function bundle(entry: string, outdir: string, asTheyCome = false): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  const treeShaking = BUNDLING.esbuildArgs?.['--tree-shaking'];
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    // CDK's default target is the runtime's Node major, e.g. nodejs24.x → node24.
    target: `node${/nodejs(\d+)/.exec(RUNTIME.name)?.[1] ?? '20'}`,
    platform: 'node',
    format: BUNDLING.format === 'esm' ? 'esm' : 'cjs',
    minify: BUNDLING.minify ?? false,
    sourcemap: BUNDLING.sourceMap ? 'linked' : false,
    sourcesContent: BUNDLING.sourcesContent ?? true,
    external: [...(BUNDLING.externalModules ?? [])],
    ...(BUNDLING.mainFields && !asTheyCome ? { mainFields: [...BUNDLING.mainFields] } : {}),
    ...(BUNDLING.banner ? { banner: { js: BUNDLING.banner } } : {}),
    ...(treeShaking === undefined ? {} : { treeShaking: treeShaking === true || treeShaking === 'true' }),
    logLevel: 'warning',
    absWorkingDir: projectRoot,
  });
  return outfile;
}

/** The AWS SDK clients and commands a floor handler creates and sends. */
export interface SdkUse {
  readonly pkg: string;
  readonly client: string;
  readonly commands: readonly string[];
  /** Commands it only presigns (getSignedUrl of @aws-sdk/s3-request-presigner), never sends. */
  readonly presigns?: readonly string[];
}

/** The DynamoDB commands a function's table access needs. */
export function commandsOf(access: FunctionAccess): string[] {
  const commands = new Set<string>();
  for (const binding of [access.main, access.idempotency]) {
    if (!binding) continue;
    for (const read of binding.reads ?? []) commands.add(`${read}Command`);
    // Reads of fixed partitions (calendar, configuration, bureau stream, counters).
    for (const read of binding.partitionReads?.reads ?? []) commands.add(`${read}Command`);
    if ((binding.queryIndexes ?? []).length > 0) commands.add('QueryCommand');
    if (binding.access === 'write') commands.add('TransactWriteItemsCommand');
  }
  // Reads on both tables are made in one TransactGetItems when an Idempotency-Key comes.
  if (access.idempotency?.reads?.includes('GetItem')) commands.add('TransactGetItemsCommand');
  return [...commands].sort();
}

const s3 = (commands: string[], presigns: string[] = []): SdkUse => ({
  pkg: '@aws-sdk/client-s3',
  client: 'S3Client',
  commands,
  presigns,
});

/**
 * Functions that use other AWS services than DynamoDB (read off their imports; for S3 off
 * shared/store/object-store.ts: presignPut/presignGet presign, head sends HeadObject, readStart and
 * get GetObject, putNew PutObject).
 */
const OTHER_SDK_USE: Record<string, SdkUse[]> = {
  'create-upload': [s3([], ['PutObjectCommand'])],
  'get-material': [s3(['HeadObjectCommand'], ['GetObjectCommand'])],
  'public-version': [s3(['HeadObjectCommand'], ['GetObjectCommand'])],
  'take-action': [s3(['HeadObjectCommand', 'GetObjectCommand'])],
  'get-document': [s3([], ['GetObjectCommand'])],
  'public-document-file': [s3([], ['GetObjectCommand'])],
  documents: [s3(['PutObjectCommand', 'GetObjectCommand'])],
  publisher: [
    { pkg: '@aws-sdk/client-eventbridge', client: 'EventBridgeClient', commands: ['PutEventsCommand'] },
  ],
  notifier: [
    {
      pkg: '@aws-sdk/client-cognito-identity-provider',
      client: 'CognitoIdentityProviderClient',
      commands: ['ListUsersCommand', 'ListUsersInGroupCommand'],
    },
    { pkg: '@aws-sdk/client-sesv2', client: 'SESv2Client', commands: ['SendEmailCommand'] },
  ],
};

export function sdkUseOf(name: string): SdkUse[] {
  const access =
    name === 'sweeper'
      ? sweeperAccess
      : name === 'documents'
        ? documentsAccess
        : name === 'scan-result'
          ? scanResultAccess
          : (functionAccess as Record<string, FunctionAccess | undefined>)[name];
  const dynamo = access ? commandsOf(access) : [];
  return [
    ...(dynamo.length > 0
      ? [{ pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient', commands: dynamo }]
      : []),
    ...(OTHER_SDK_USE[name] ?? []),
  ];
}

const floorName = (uses: SdkUse[]) =>
  `floor(${
    uses
      .flatMap((u) => [
        ...u.commands.map((c) => c.replace(/Command$/, '')),
        ...(u.presigns ?? []).map((c) => `presign ${c.replace(/Command$/, '')}`),
      ])
      .join('+') || 'no SDK'
  })`;

function floorSource(uses: SdkUse[]): string {
  if (uses.length === 0) return 'export const handler = async () => ({ statusCode: 200, body: "{}" });\n';
  const imports = uses.map(
    (u) =>
      `import { ${u.client}, ${[...new Set([...u.commands, ...(u.presigns ?? [])])].join(', ')} } from '${u.pkg}';`,
  );
  if (uses.some((u) => (u.presigns ?? []).length > 0))
    imports.push("import { getSignedUrl } from '@aws-sdk/s3-request-presigner';");
  const clients = uses.map((u, i) => `const c${i} = new ${u.client}({});`);
  const sends = uses.flatMap((u, i) => [
    ...u.commands.map((c) => `  out.push(await c${i}.send(new ${c}(event.${c})));`),
    ...(u.presigns ?? []).map(
      (c) => `  out.push(await getSignedUrl(c${i}, new ${c}(event.${c}), { expiresIn: 300 }));`,
    ),
  ]);
  return `${imports.join('\n')}
${clients.join('\n')}
export const handler = async (event) => {
  const out = [];
${sends.join('\n')}
  return { statusCode: 200, body: JSON.stringify(out) };
};
`;
}

const NAIVE_SOURCE = `import middy from '@middy/core';
import { z } from 'zod';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const Body = z.object({ reason: z.string().min(1).max(500).optional(), conditions: z.array(z.string()).optional() });
export const handler = middy().handler(async (event) => {
  const body = Body.parse(JSON.parse(event.body ?? '{}'));
  const { Item } = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.pathParameters.id, sk: 'APP' } }));
  await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: process.env.TABLE_NAME, Item: { ...Item, ...body } } }] }));
  return { statusCode: 200, body: JSON.stringify(Item) };
});
`;

/** The functions CDK deploys: every functions/<name>/handler.ts. */
export function functionNames(): string[] {
  return readdirSync(join(projectRoot, 'functions'))
    .filter((name) => {
      try {
        return statSync(join(projectRoot, 'functions', name, 'handler.ts')).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/**
 * `await import(file)` in a fresh Node process: wall time, and the CPU time the process spent on
 * it (user + system, all threads), which other processes on a busy machine disturb far less.
 */
async function loadTime(file: string): Promise<{ wall: number; cpu: number }> {
  const script = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify({ wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'cn-north-1',
      TABLE_NAME: 'bench-eia-main',
      IDEMPOTENCY_TABLE_NAME: 'bench-eia-idempotency',
      CURSOR_SECRET: 'bench-cursor-secret-0123456789',
      EVENT_BUS_NAME: 'bench-bus',
      USER_POOL_ID: 'cn-north-1_bench',
      DOCUMENTS_BUCKET: 'bench-documents',
    },
  });
  return JSON.parse(stdout.trim()) as { wall: number; cpu: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export async function measureBundles(options: { rounds: number; workDir: string; log: (s: string) => void }) {
  const { rounds, workDir, log } = options;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const figures: BundleFigure[] = [];
  const files = new Map<string, string>();

  const floors = new Map<string, SdkUse[]>();
  const floorOf = new Map<string, string>();
  for (const name of functionNames()) {
    const uses = sdkUseOf(name);
    floors.set(floorName(uses), uses);
    floorOf.set(name, floorName(uses));
  }
  const started = performance.now();
  await Promise.all(
    functionNames().map(async (name) => {
      files.set(
        name,
        await bundle(join(projectRoot, 'functions', name, 'handler.ts'), join(workDir, 'fn', name)),
      );
    }),
  );
  let n = 0;
  for (const [name, uses] of floors) {
    const dir = join(workDir, `floor-${n++}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.mjs'), floorSource(uses));
    files.set(name, await bundle(join(dir, 'entry.mjs'), join(dir, 'out')));
  }
  const naiveDir = join(workDir, 'naive');
  mkdirSync(naiveDir, { recursive: true });
  writeFileSync(join(naiveDir, 'entry.mjs'), NAIVE_SOURCE);
  files.set('naive', await bundle(join(naiveDir, 'entry.mjs'), join(naiveDir, 'out'), true));
  log(`  bundled ${files.size} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const runs = new Map<string, number[]>([...files.keys()].map((k) => [k, []]));
  const wallRuns = new Map<string, number[]>([...files.keys()].map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    const order = [...files.keys()].sort(() => Math.random() - 0.5);
    for (const name of order) {
      const t = await loadTime(files.get(name) ?? '');
      runs.get(name)?.push(t.cpu);
      wallRuns.get(name)?.push(t.wall);
    }
  }
  for (const [name, file] of files) {
    const code = readFileSync(file);
    const kind = name === 'naive' ? 'naive' : floors.has(name) ? 'floor' : 'function';
    const loadRunsMs = runs.get(name) ?? [];
    const loadWallRunsMs = wallRuns.get(name) ?? [];
    figures.push({
      name,
      kind,
      ...(kind === 'function' ? { floor: floorOf.get(name) ?? '' } : {}),
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      loadMs: median(loadRunsMs),
      loadWallMs: median(loadWallRunsMs),
      loadRunsMs: loadRunsMs.map((x) => Math.round(x * 10) / 10),
      loadWallRunsMs: loadWallRunsMs.map((x) => Math.round(x * 10) / 10),
    });
  }
  return figures;
}
