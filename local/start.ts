import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { idempotencyTable, mainTable, tableName } from '../shared/store/table.ts';
import { loadDemo } from './demo.ts';
import { enableLocalDocuments } from './documents.ts';
import {
  createLocalClient,
  type DynamoDbLocal,
  JavaRequiredError,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
} from './dynamodb.ts';
import { enableLocalInbox } from './inbox.ts';
import { sweepOnce } from './local-routes.ts';
import { isLoopback } from './request-guard.ts';
import {
  createLocalS3Client,
  DEFAULT_DOCUMENTS_BUCKET,
  ensureBucket,
  type LocalS3,
  startLocalS3,
} from './s3/store.ts';
import { createLocalServer, type LocalServer } from './server.ts';
import { ensureConsoleBuilt, type StaticServe, staticSite } from './static.ts';
import { ensureTables } from './tables.ts';

/** The find index (shared/store/table.ts): added to a --data folder from before it existed. */
const FIND_INDEX = 'gsi9-find';

import {
  createLocalIssuer,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  LOCAL_PROFILES,
  type LocalProfile,
  useProfileClaimNames,
} from './tokens.ts';
import { type LocalUserDirectory, localUserDirectory } from './user-directory.ts';

/**
 * `npm start`: DynamoDB Local (unless DYNAMODB_ENDPOINT), the tables, the local S3 store (unless
 * S3_ENDPOINT) with the documents bucket, and the local API server.
 * The first line on stdout names the URL once the server is ready; everything else goes after it
 * or to stderr, so that scripts can wait for that line.
 */
const USAGE = `Usage: npm start -- [--data DIR] [--demo] [--quiet] [--host ADDR] [--profile global|china]

  --data DIR   keep DynamoDB Local's data in DIR, and the stored files in DIR/s3
               (default: in memory, and files in a temporary folder, gone on exit)
  --demo       print a token per role (and load demo data)
  --quiet      no log line per request
  --host ADDR  listen on ADDR instead of 127.0.0.1 (anyone who reaches it can get a token)
  --profile P  global (default): tokens as Cognito issues them; china: as the bureau's own
               OpenID Connect provider would (roles in the claim ROLES_CLAIM names, default
               roles; the organisation code in ORG_CLAIM, default org_code; the name in
               NAME_CLAIM, default name), checked as the china Lambda authorizer checks them

Environment: PORT (default 3000), DYNAMODB_ENDPOINT (use that DynamoDB, start none),
S3_ENDPOINT (use that S3-compatible store, start none), DOCUMENTS_BUCKET (default
${DEFAULT_DOCUMENTS_BUCKET}), S3_CORS_ORIGINS (more origins the local store allows, comma-separated),
TABLE_PREFIX (default ''), CURSOR_SECRET (default: random per run), AWS_REGION, ALLOWED_HOSTS
(more names the server answers to besides localhost, 127.0.0.1 and [::1], comma-separated),
PROFILE (as --profile), ROLES_CLAIM, ORG_CLAIM, NAME_CLAIM.`;

const say = (line: string) => process.stderr.write(`${line}\n`);

function fail(message: string, code = 2): never {
  say(message);
  process.exit(code);
}

function readArgs(): {
  data?: string;
  demo: boolean;
  quiet: boolean;
  host?: string;
  profile: LocalProfile;
} {
  try {
    const { values } = parseArgs({
      options: {
        data: { type: 'string' },
        demo: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        host: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const profile = values.profile ?? process.env.PROFILE ?? 'global';
    if (!(LOCAL_PROFILES as readonly string[]).includes(profile))
      return fail(
        `--profile (or PROFILE) must be one of ${LOCAL_PROFILES.join(', ')}, not ${JSON.stringify(profile)}.\n\n${USAGE}`,
      );
    return {
      profile: profile as LocalProfile,
      ...(values.data !== undefined && { data: values.data }),
      ...(values.host !== undefined && { host: values.host }),
      demo: values.demo,
      quiet: values.quiet,
    };
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function readPort(): number {
  const text = process.env.PORT ?? '3000';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    fail(`PORT must be a port number (0–65535), not ${JSON.stringify(text)}.`);
  return port;
}

// Node 20 is supported locally; the SDK's notice about its future Node 22 requirement is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const args = readArgs();
  const port = readPort();
  const prefix = process.env.TABLE_PREFIX ?? '';
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external && args.data !== undefined)
    fail(
      '--data is for the DynamoDB Local that npm start runs; with DYNAMODB_ENDPOINT set it has no effect.',
    );

  // Cognito's stand-in: kept beside DynamoDB Local's data with --data, else in memory.
  const directory = await localUserDirectory(
    args.data === undefined ? {} : { file: join(args.data, 'users.json') },
  );
  // Built (if need be) while DynamoDB Local starts.
  const consoleReady = prepareConsole(directory, args.profile);
  let dynamo: DynamoDbLocal | undefined;
  let s3: LocalS3 | undefined;
  let server: LocalServer | undefined;
  let shuttingDown = false;

  const shutdown = async (code: number): Promise<never> => {
    shuttingDown = true;
    await server?.close().catch((error: unknown) => say(`closing the server: ${String(error)}`));
    await Promise.all([
      dynamo?.stop().catch((error: unknown) => say(`stopping DynamoDB Local: ${String(error)}`)),
      s3?.stop().catch((error: unknown) => say(`stopping the local S3 store: ${String(error)}`)),
    ]);
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // tsx may relay the same Ctrl-C a second time; stopping is bounded (SIGKILL after a grace
    // period), so later signals are not needed to get out.
    if (shuttingDown) return;
    say(`${signal}: stopping.`);
    void shutdown(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // The local S3 store starts while DynamoDB Local does.
    const s3Ready = startStore(args.data);
    s3Ready.catch(() => undefined);
    let client: DynamoDBClient;
    if (external) {
      // DynamoDB Local accepts any credentials; real DynamoDB uses the caller's own.
      if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) {
        process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
      }
      process.env.AWS_REGION ??= LOCAL_REGION;
      client = new DynamoDBClient({ endpoint: external, region: process.env.AWS_REGION });
      say(`Using DynamoDB at ${external}`);
    } else {
      dynamo = await startDynamoDbLocal(args.data === undefined ? {} : { dataDir: args.data });
      dynamo.onExit((exit) => {
        if (exit.expected || shuttingDown) return;
        say(
          `\nDynamoDB Local stopped unexpectedly (exit code ${exit.code}, signal ${exit.signal}); ` +
            `the API cannot work without it, so the server stops too.\nIts last output:\n${exit.output}`,
        );
        void shutdown(1);
      });
      // Handlers must reach this instance whatever the user's shell says about AWS.
      process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
      process.env.AWS_REGION = LOCAL_REGION;
      process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
      delete process.env.AWS_SESSION_TOKEN;
      delete process.env.AWS_PROFILE;
      client = createLocalClient(dynamo.endpoint);
      say(
        `DynamoDB Local on ${dynamo.endpoint} (pid ${dynamo.pid}, ${args.data === undefined ? 'in memory' : `data in ${args.data}`})`,
      );
    }
    try {
      const added = await ensureTables(client, prefix);
      // A --data folder from before the find index: its applications are put into it once.
      if (added.includes(FIND_INDEX)) {
        const [{ DynamoDBDocumentClient }, { backfillFind }] = await Promise.all([
          import('@aws-sdk/lib-dynamodb'),
          import('../shared/store/find-backfill.ts'),
        ]);
        const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
        const report = await backfillFind(doc, tableName(mainTable, prefix));
        say(`Added the search index ${FIND_INDEX}: ${report.indexed} application(s) put into it`);
      }
    } finally {
      client.destroy();
    }

    // Read by the handlers at cold start, i.e. on their first request, after this.
    process.env.TABLE_NAME = tableName(mainTable, prefix);
    process.env.IDEMPOTENCY_TABLE_NAME = tableName(idempotencyTable, prefix);
    process.env.CURSOR_SECRET ??= randomBytes(32).toString('base64url');

    s3 = await s3Ready;
    s3?.onExit((exit) => {
      if (exit.expected || shuttingDown) return;
      say(
        `\nThe local S3 store stopped unexpectedly (exit code ${exit.code}, signal ${exit.signal}); ` +
          `uploads and documents cannot work without it, so the server stops too.\nIts last output:\n${exit.output}`,
      );
      void shutdown(1);
    });
    if (!process.env.DOCUMENTS_BUCKET) process.env.DOCUMENTS_BUCKET = DEFAULT_DOCUMENTS_BUCKET;
    process.env.S3_ENDPOINT = s3?.endpoint ?? process.env.S3_ENDPOINT;
    await prepareBucket(s3, process.env.DOCUMENTS_BUCKET);
    if (s3)
      say(
        `Local S3 store on ${s3.endpoint} (pid ${s3.pid}, ${args.data === undefined ? 'files in a temporary folder' : `files in ${join(args.data, 's3')}`}), bucket ${process.env.DOCUMENTS_BUCKET}`,
      );
    else say(`Using S3 at ${process.env.S3_ENDPOINT}, bucket ${process.env.DOCUMENTS_BUCKET}`);
    if (process.env.MALWARE_SCAN !== 'guardduty')
      say(
        'No malware scanner here: every upload is recorded with scan SKIPPED (in AWS GuardDuty scans them).',
      );

    // The claim names of the profile, for the issuer, the authorizer and the handlers alike.
    useProfileClaimNames(args.profile);
    const issuer = await createLocalIssuer({
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      profile: args.profile,
    });
    const fallback = await consoleReady;
    try {
      server = await createLocalServer({
        port,
        issuer,
        quiet: args.quiet,
        directory,
        ...(args.host !== undefined && { host: args.host }),
        allowedHosts: allowedHosts(),
        ...(fallback && { fallback }),
      });
    } catch (error) {
      const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
      say(
        inUse
          ? `Port ${port} is in use: set PORT to another one.`
          : `Could not start the server: ${String(error)}`,
      );
      return await shutdown(1);
    }
    // The console's origin may upload to and download from the local store (its CORS rule).
    await s3?.setOrigins(consoleOrigins(server.guard.origins));
    if (args.host !== undefined && !isLoopback(args.host))
      say(
        `Listening on ${args.host}, not loopback: anyone who reaches it can get a token of any role (POST /local/token).`,
      );
    // Each act's written document, rendered and stored right after it (local/documents.ts).
    enableLocalDocuments(process.env.PUBLIC_BASE_URL ?? server.url);
    enableLocalInbox();
    process.stdout.write(`EIA approval service listening on ${server.url}\n`);
    say(
      `Ready in ${Math.round(performance.now() - startedAt)} ms. Tables ${process.env.TABLE_NAME}, ${process.env.IDEMPOTENCY_TABLE_NAME}. Ctrl-C stops.\n` +
        (fallback
          ? `Web console: open ${server.url}/ in a browser (sign in as a demo user of any role).\n`
          : '') +
        `Get a token: curl -s -X POST ${server.url}/local/token -H 'content-type: application/json' ` +
        `-d '{"sub":"u1","name":"王芳","groups":["clerk"]}'`,
    );
    if (args.profile === 'china')
      say(
        `Profile china: tokens carry the roles in the claim ${process.env.ROLES_CLAIM}, the organisation code in ` +
          `${process.env.ORG_CLAIM} and the name in ${process.env.NAME_CLAIM}; issuer ${issuer.issuer}, ` +
          `discovery at ${server.url}/.well-known/openid-configuration.`,
      );
    // The sweeper's schedule, locally: once a minute (POST /local/sweep runs it at once).
    setInterval(() => {
      sweepOnce()
        .then((report) => {
          const steps = Object.entries(report.steps);
          if (steps.length) say(`sweep ${report.today}: ${steps.map(([a, n]) => `${a} ×${n}`).join(', ')}`);
        })
        .catch((error: unknown) => say(`sweep failed: ${String(error)}`));
    }, 60_000).unref();
    if (args.demo) {
      // The server keeps running if the demo data fails: the error says what to fix.
      await loadDemo(server.url, issuer).catch((error: unknown) =>
        say(
          `Loading the demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
      );
    }
  } catch (error) {
    say(
      error instanceof JavaRequiredError
        ? error.message
        : `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await shutdown(1);
  }
}

/**
 * The local S3 store (files under DIR/s3 with --data), or none when S3_ENDPOINT names one that runs.
 * Its verifying layer knows the local credentials the handlers use, and the caller's own if set.
 */
async function startStore(data: string | undefined): Promise<LocalS3 | undefined> {
  if (process.env.S3_ENDPOINT) return undefined;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  return startLocalS3({
    ...(data !== undefined && { dataDir: join(data, 's3') }),
    ...(accessKeyId && secretAccessKey && { credentials: [{ accessKeyId, secretAccessKey }] }),
  });
}

/** The documents bucket, created unless it is there (also in a store S3_ENDPOINT names). */
async function prepareBucket(s3: LocalS3 | undefined, bucket: string): Promise<void> {
  if (s3) return s3.ensureBucket(bucket);
  const client = createLocalS3Client(process.env.S3_ENDPOINT ?? '');
  try {
    await ensureBucket(client, bucket);
  } catch (error) {
    say(`Could not create the bucket ${bucket} at ${process.env.S3_ENDPOINT}: ${String(error)}`);
  } finally {
    client.destroy();
  }
}

/** The server's own origins (by each of its names) and those in S3_CORS_ORIGINS. */
function consoleOrigins(own: Iterable<string>): string[] {
  return [...own, ...commaList(process.env.S3_CORS_ORIGINS)];
}

/** ALLOWED_HOSTS: more names (`name` or `name:port`) the local server answers to. */
function allowedHosts(): string[] {
  return commaList(process.env.ALLOWED_HOSTS);
}

function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

/** The web console at `/`, built first if web/dist is missing or stale; the API runs without it. */
async function prepareConsole(
  directory: LocalUserDirectory,
  profile: LocalProfile,
): Promise<StaticServe | undefined> {
  try {
    const { built, ms } = await ensureConsoleBuilt();
    if (built) say(`Web console built in ${ms} ms.`);
    return staticSite(undefined, directory, profile);
  } catch (error) {
    say(`The web console could not be built, the API runs without it: ${String(error)}`);
    return undefined;
  }
}

await main();
