/**
 * `npm run bill -- [--profile global|china] [--applications N] [--staff N] [--pageviews N]
 * [--small] [--set key=value …]`: the monthly bill of a production deployment, itemised from the
 * synthesized templates and the bench's measured units (bench/results.json), beside the same scale
 * self-hosted. Without --profile it prints both profiles. `--set` passes a stage setting as CDK
 * context (`-c key=value`), `--small` the cheaper settings of a small bureau (SMALL_BUREAU).
 * Prices: bill/prices.ts. See docs/cost.md.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type PriceTable, prices } from '../../bill/prices.ts';
import { type Profile, price, type Scale, selfHostedLines, serverlessLines, units } from './compute.ts';
import { formatBill } from './format.ts';
import { type Synthesized, synthesize } from './synth.ts';
import { countResources } from './template.ts';
import { ASSUMPTIONS, consoleFiles, type Measured, readMeasured } from './workload.ts';

/** Liling's scale: 300 applications a year, 20 staff, 5,000 public page views a month. */
export const LILING: Scale = { applicationsPerYear: 300, staff: 20, pageviewsPerMonth: 5000 };

export class UsageError extends Error {}

const USAGE =
  'usage: npm run bill -- [--profile global|china] [--applications N] [--staff N] [--pageviews N] [--small] [--set key=value …]';

/**
 * `--small`: the settings docs/cost.md weighs for a small bureau: one alarm for every function
 * instead of three each, Cognito Essentials instead of Plus (the china profile has no user pool),
 * daily backups kept 7 days instead of 35.
 */
export const SMALL_BUREAU: Readonly<Record<Profile, Readonly<Record<string, string>>>> = {
  global: { alarms: 'essential', userPoolTier: 'essentials', backupDailyDays: '7' },
  china: { alarms: 'essential', backupDailyDays: '7' },
};

/** What the bill fixes itself: the production stage, and the profile from --profile. */
const FIXED_CONTEXT = new Set(['stage', 'profile']);

/** `--set key=value`, in order (a later one wins); throws UsageError naming the one at fault. */
function settingsOf(items: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const item of items) {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(item);
    if (!match) throw new UsageError(`--set must be key=value, as -c key=value of cdk synth: ${item}`);
    const [, key = '', value = ''] = match;
    if (FIXED_CONTEXT.has(key)) {
      throw new UsageError(
        `--set ${key}=… is not a setting of the bill: it bills the production stage (stage=prod), and --profile chooses the profile`,
      );
    }
    settings[key] = value;
  }
  return settings;
}

function count(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}: ${text}`);
  }
  return Number(text);
}

export interface Options {
  readonly profiles: readonly Profile[];
  readonly scale: Scale;
  /** The CDK context each profile's templates are synthesized with, besides stage and profile. */
  readonly settings: Readonly<Record<Profile, Readonly<Record<string, string>>>>;
}

/** Reads the command line; throws UsageError naming the option at fault. */
export function parseOptions(argv: readonly string[]): Options {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        profile: { type: 'string' },
        applications: { type: 'string' },
        staff: { type: 'string' },
        pageviews: { type: 'string' },
        small: { type: 'boolean' },
        set: { type: 'string', multiple: true },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const profile = values.profile as string | undefined;
  if (profile !== undefined && profile !== 'global' && profile !== 'china') {
    throw new UsageError(`--profile must be global or china: ${profile}`);
  }
  const set = settingsOf((values.set as string[] | undefined) ?? []);
  const small = values.small === true;
  const settings = (p: Profile) => ({ ...(small ? SMALL_BUREAU[p] : {}), ...set });
  return {
    profiles: profile === undefined ? ['global', 'china'] : [profile],
    settings: { global: settings('global'), china: settings('china') },
    scale: {
      applicationsPerYear: count(
        'applications',
        values.applications as string | undefined,
        LILING.applicationsPerYear,
        0,
      ),
      staff: count('staff', values.staff as string | undefined, LILING.staff, 1),
      pageviewsPerMonth: count(
        'pageviews',
        values.pageviews as string | undefined,
        LILING.pageviewsPerMonth,
        0,
      ),
    },
  };
}

export interface Dependencies {
  readonly synthesize: (profile: Profile, settings: Readonly<Record<string, string>>) => Synthesized;
  readonly measured: () => Measured;
  readonly site: () => { files: number; bytes: number; measured: boolean };
  readonly prices: PriceTable;
  readonly out: (text: string) => void;
}

/**
 * The whole printout for the options. A profile whose templates cannot be synthesized is named with
 * the reason, and the other profile still prints; `failed` counts them.
 */
export function report(options: Options, deps: Dependencies): { text: string; failed: number } {
  let failed = 0;
  const measured = deps.measured();
  const site = deps.site();
  const { scale } = options;
  const a = ASSUMPTIONS;
  const parts: string[] = [
    `Monthly bill of the production stage for ${scale.applicationsPerYear.toLocaleString('en-US')} applications a year, ${scale.staff.toLocaleString('en-US')} staff, ${scale.pageviewsPerMonth.toLocaleString('en-US')} public page views a month.`,
    `Measured (bench ${measured.at}): per application ${measured.apiWritesPerApplication} API writes, ${measured.writeUnitsPerApplication} WRU, ${measured.readUnitsPerApplication} RRU, ${measured.s3PutsPerApplication} S3 PUT + ${measured.s3GetsPerApplication} GET, ${measured.documentsPerApplication} documents; ${measured.handlerMs.toFixed(0)} ms per request, ${measured.readUnitsPerRead.toFixed(1)} RRU per list page.`,
    `Assumed (scripts/bill/workload.ts ASSUMPTIONS): ${a.readsPerWrite} reads around each write, ${a.staffRequestsPerDay} staff requests a working day, ${a.apiRequestsPerPageView} API requests per page view, ${a.materialsMbPerApplication} MB of materials per application, ${a.yearsOfRecords} year of records held; console files ${site.measured ? 'measured from web/dist' : 'assumed'}: ${site.files} files, ${Math.round(site.bytes / 1024)} KB.`,
  ];
  for (const profile of options.profiles) {
    const settings = options.settings[profile];
    const chosen = Object.entries(settings).map(([key, value]) => ` -c ${key}=${value}`);
    parts.push(
      `Settings (${profile}): -c stage=prod -c profile=${profile}${chosen.join('')}${chosen.length === 0 ? ' (every other setting its default)' : ''}.`,
    );
    let synthesized: Synthesized;
    try {
      synthesized = deps.synthesize(profile, settings);
    } catch (error) {
      failed += 1;
      parts.push(
        `ERROR (${profile}): the ${profile} templates could not be synthesized, so no bill for it: ${(error as Error).message}`,
      );
      continue;
    }
    const inventory = countResources(synthesized.templates);
    const u = units(inventory, measured, scale, site);
    const lines = serverlessLines(inventory, u, profile);
    const self = selfHostedLines(u);
    if (synthesized.note) parts.push(`NOTE (${profile}): ${synthesized.note}`);
    if (profile === 'global') {
      parts.push(formatBill('global profile (us-east-1, USD)', price(lines, deps.prices, 'USD')));
      parts.push(
        formatBill('self-hosted alternative (us-east-1, USD)', price(self, deps.prices, 'USD')) +
          `\n      plus staff time: about ${a.selfHostedStaffHours} h a month (OS, JVM, engine and PostgreSQL updates, certificates, restore drills) — not priced; serverless: about ${a.serverlessStaffHours} h (alarms, updates).`,
      );
    } else {
      // What the China regions do not offer is left out of both columns, and named.
      const absent = lines.filter((l) => deps.prices[l.price].cny === undefined);
      const offered = lines.filter((l) => deps.prices[l.price].cny !== undefined);
      if (absent.length > 0) {
        parts.push(
          `Not offered in the China regions, left out: ${absent.map((l) => l.name).join(', ')} (the china profile signs in with the bureau's OIDC provider and mails through its SMTP server).`,
        );
      }
      parts.push(
        formatBill(
          'china profile (Ningxia cn-northwest-1, CNY; us-east-1 USD beside)',
          price(offered, deps.prices, 'CNY'),
          price(offered, deps.prices, 'USD'),
        ),
      );
      parts.push(
        formatBill(
          'self-hosted alternative (Ningxia, CNY)',
          price(self, deps.prices, 'CNY'),
          price(self, deps.prices, 'USD'),
        ) +
          `\n      plus staff time: about ${a.selfHostedStaffHours} h a month — not priced. "est." marks a CNY price not read from a China-region page (bill/prices.ts says how it was estimated).`,
      );
    }
  }
  return { text: parts.join('\n\n'), failed };
}

/** Runs the command; returns the exit code (2 for a usage error). */
export function main(argv: readonly string[], deps: Dependencies, err: (text: string) => void): number {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`bill: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const { text, failed } = report(options, deps);
  deps.out(text);
  if (failed > 0) err(`bill: ${failed} profile(s) could not be billed (see ERROR above)`);
  return failed > 0 ? 1 : 0;
}

const isMain = process.argv[1] !== undefined && /scripts[/\\]bill[/\\]index\.ts$/.test(process.argv[1]);
if (isMain) {
  const root = join(import.meta.dirname, '..', '..');
  process.exitCode = main(
    process.argv.slice(2),
    {
      synthesize,
      measured: () => readMeasured(join(root, 'bench', 'results.json')),
      site: () => consoleFiles(join(root, 'web', 'dist')),
      prices,
      out: (text) => console.log(text),
    },
    (text) => console.error(text),
  );
}
