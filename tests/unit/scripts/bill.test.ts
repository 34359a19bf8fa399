import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { type PriceTable, prices } from '../../../bill/prices.ts';
import { stageSettings } from '../../../infra/stage-settings.ts';
import {
  type Line,
  price,
  type Scale,
  selfHostedLines,
  serverlessLines,
  units,
} from '../../../scripts/bill/compute.ts';
import { type Dependencies, main, parseOptions, SMALL_BUREAU } from '../../../scripts/bill/index.ts';
import { CHINA_OIDC, type Synthesized } from '../../../scripts/bill/synth.ts';
import { type CfnTemplate, countResources, schedulePerMonth } from '../../../scripts/bill/template.ts';
import { type Measured, measuredFrom } from '../../../scripts/bill/workload.ts';

// A small hand-made pair of templates holding one or more of every resource type the bill counts.
const alarm = (namespace: string, metric: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { Namespace: namespace, MetricName: metric },
});
const mathAlarm = (metrics: number) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Metrics: [
      { Id: 'sum', Expression: 'a + b', ReturnData: true },
      ...Array.from({ length: metrics }, (_, i) => ({
        Id: `m${i}`,
        MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors' } },
      })),
    ],
  },
});
const fn = (memory: number, arm: boolean) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { MemorySize: memory, ...(arm ? { Architectures: ['arm64'] } : {}) },
});
const FORMAT = '{"requestId":"$context.requestId","status":"$context.status"}';
const stateful: CfnTemplate = {
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: { Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }] },
    },
    Other: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    DocsKey: { Type: 'AWS::KMS::Key' },
    Docs: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        LifecycleConfiguration: {
          Rules: [{ Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] }],
        },
      },
    },
    Logs: { Type: 'AWS::S3::Bucket', Properties: {} },
    Plan: {
      Type: 'AWS::Backup::BackupPlan',
      Properties: {
        BackupPlan: {
          BackupPlanRule: [
            { RuleName: 'daily', Lifecycle: { DeleteAfterDays: 7 } },
            { RuleName: 'monthly', Lifecycle: { DeleteAfterDays: 365 } },
          ],
        },
      },
    },
    Selection: { Type: 'AWS::Backup::BackupSelection' },
    Scan: { Type: 'AWS::GuardDuty::MalwareProtectionPlan' },
  },
};
const stateless: CfnTemplate = {
  Resources: {
    A1: alarm('AWS/Lambda', 'Errors'),
    A2: alarm('AWS/Lambda', 'Throttles'),
    A3: alarm('eia-prod', 'ProvisionalDeadlines'),
    A4: mathAlarm(3),
    Dash: { Type: 'AWS::CloudWatch::Dashboard' },
    TopicKey: { Type: 'AWS::KMS::Key' },
    Secret: { Type: 'AWS::SecretsManager::Secret' },
    Acl: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: { Rules: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }] },
    },
    L1: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
    L2: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    Api: { Type: 'AWS::ApiGateway::RestApi' },
    Stage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { AccessLogSetting: { Format: FORMAT } },
    },
    Auth: { Type: 'AWS::ApiGateway::Authorizer', Properties: { Type: 'REQUEST' } },
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolTier: 'PLUS' } },
    Cdn: { Type: 'AWS::CloudFront::Distribution' },
    F1: fn(512, true),
    F2: fn(1024, false),
    Bus: { Type: 'AWS::Events::EventBus' },
    Archive: { Type: 'AWS::Events::Archive' },
    Sweep: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(15 minutes)' } },
    OnEvent: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['x'] } } },
    Dlq: { Type: 'AWS::SQS::Queue' },
    Sender: { Type: 'AWS::SES::EmailIdentity' },
  },
};
const TEMPLATES = [stateful, stateless];

const MEASURED: Measured = {
  at: 'test',
  apiWritesPerApplication: 10,
  transitionsPerApplication: 5,
  documentsPerApplication: 2,
  writeUnitsPerApplication: 300,
  readUnitsPerApplication: 40,
  s3PutsPerApplication: 8,
  s3GetsPerApplication: 12,
  uploadsPerApplication: 6,
  handlerMs: 20,
  documentMs: 25,
  documentBytes: 90_000,
  coldStartMs: 50,
  readUnitsPerRead: 5,
  readUnitsPerSweep: 2.5,
};
const SITE = { files: 3, bytes: 200_000 };
const SCALE: Scale = { applicationsPerYear: 300, staff: 20, pageviewsPerMonth: 5000 };

describe('countResources', () => {
  const inventory = countResources(TEMPLATES);

  it('counts every billed resource type of the templates', () => {
    expect(inventory.alarms).toBe(4);
    // Plain alarms bill one metric each; the math alarm bills each metric it reads.
    expect(inventory.alarmMetrics).toBe(3 + 3);
    expect(inventory.customMetrics).toBe(1);
    expect(inventory.dashboards).toBe(1);
    expect(inventory.kmsKeys).toBe(2);
    expect(inventory.secrets).toBe(1);
    expect(inventory.webAcls).toBe(1);
    expect(inventory.wafRules).toBe(3);
    expect(inventory.logGroups).toBe(2);
    expect(inventory.logRetentionDays).toEqual([30, undefined]);
    expect(inventory.accessLogLineBytes).toBe(FORMAT.length);
    expect(inventory.userPools).toBe(1);
    expect(inventory.userPoolTier).toBe('PLUS');
    expect(inventory.backupRules).toEqual([
      { name: 'daily', deleteAfterDays: 7 },
      { name: 'monthly', deleteAfterDays: 365 },
    ]);
    expect(inventory.backupSelections).toBe(1);
    expect(inventory.buckets).toBe(2);
    expect(inventory.intelligentTieringBuckets).toBe(1);
    expect(inventory.distributions).toBe(1);
    expect(inventory.restApis).toBe(1);
    expect(inventory.lambdaAuthorizers).toBe(1);
    expect(inventory.functions).toEqual([
      { id: 'F1', memoryMb: 512, arm: true },
      { id: 'F2', memoryMb: 1024, arm: false },
    ]);
    expect(inventory.tables).toBe(2);
    expect(inventory.pitrTables).toBe(1);
    expect(inventory.eventBuses).toBe(1);
    expect(inventory.eventArchives).toBe(1);
    expect(inventory.scheduleRules.map((r) => r.id)).toEqual(['Sweep']);
    expect(inventory.queues).toBe(1);
    expect(inventory.malwareProtectionPlans).toBe(1);
    expect(inventory.sesIdentities).toBe(1);
  });

  it('keeps a count of every type, priced or not', () => {
    const total = TEMPLATES.reduce((n, t) => n + Object.keys(t.Resources ?? {}).length, 0);
    expect(Object.values(inventory.byType).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('turns schedules into invocations a month', () => {
    expect(schedulePerMonth('rate(15 minutes)') * 15).toBeCloseTo(schedulePerMonth('rate(1 minute)'));
    expect(schedulePerMonth('rate(1 hour)')).toBeCloseTo(schedulePerMonth('rate(60 minutes)'));
    expect(schedulePerMonth('cron(0 2 * * ? *)')).toBe(30);
  });

  it('counts nothing in an empty template', () => {
    const empty = countResources([{}]);
    expect(empty.alarms + empty.kmsKeys + empty.functions.length + empty.wafRules).toBe(0);
    expect(empty.userPoolTier).toBeUndefined();
  });
});

describe('prices applied', () => {
  const inventory = countResources(TEMPLATES);
  const u = units(inventory, MEASURED, SCALE, SITE);
  const lines = serverlessLines(inventory, u, 'global');

  it('bills each fixed resource by its count', () => {
    const alarms = lines.find((l) => l.price === 'alarmMetric');
    expect(alarms?.quantity).toBe(inventory.alarmMetrics);
    expect(lines.find((l) => l.price === 'wafRule')?.quantity).toBe(inventory.wafRules);
    expect(lines.find((l) => l.price === 'kmsKey')?.quantity).toBe(inventory.kmsKeys);
    expect(lines.find((l) => l.price === 'cognitoPlusMau')).toBeDefined();
  });

  it('changes the total by count × delta when one price changes', () => {
    const delta = 0.37;
    const changed: PriceTable = {
      ...prices,
      alarmMetric: { ...prices.alarmMetric, usd: prices.alarmMetric.usd + delta },
    };
    const before = price(lines, prices, 'USD');
    const after = price(lines, changed, 'USD');
    expect(after.total - before.total).toBeCloseTo(inventory.alarmMetrics * delta, 9);
    expect(after.fixed - before.fixed).toBeCloseTo(inventory.alarmMetrics * delta, 9);
    expect(after.variable).toBeCloseTo(before.variable, 12);
  });

  it('sums fixed and variable into the total', () => {
    const bill = price(lines, prices, 'USD');
    expect(bill.fixed + bill.variable).toBeCloseTo(bill.total, 9);
    expect(bill.totalAfterFree).toBeLessThanOrEqual(bill.total);
  });

  it('scales variable units with the applications', () => {
    const double = units(inventory, MEASURED, { ...SCALE, applicationsPerYear: 600 }, SITE);
    expect(double.writeUnits).toBeCloseTo(u.writeUnits * 2, 6);
    expect(double.s3Puts).toBeCloseTo(u.s3Puts * 2, 6);
    expect(double.events).toBeCloseTo(u.events * 2, 6);
  });

  it('applies an always-free allowance once per price, across lines', () => {
    const table: PriceTable = { ...prices, alarmMetric: { ...prices.alarmMetric, usd: 1, free: 10 } };
    const two: Line[] = [
      { group: 'fixed', name: 'first', price: 'alarmMetric', quantity: 6 },
      { group: 'fixed', name: 'second', price: 'alarmMetric', quantity: 7 },
    ];
    const bill = price(two, table, 'USD');
    expect(bill.lines.map((l) => l.costAfterFree)).toEqual([0, 3]);
    expect(bill.total).toBe(13);
    expect(bill.totalAfterFree).toBe(3);
  });

  it('marks China prices that are estimated, and services not offered there', () => {
    const bill = price(lines, prices, 'CNY');
    const cognito = bill.lines.find((l) => l.price === 'cognitoPlusMau');
    expect(cognito?.cost).toBeUndefined();
    const alarms = bill.lines.find((l) => l.price === 'alarmMetric');
    expect(alarms?.estimated).toBe(false);
    expect(alarms?.cost).toBeCloseTo(inventory.alarmMetrics * (prices.alarmMetric.cny ?? Number.NaN), 9);
    expect(bill.lines.find((l) => l.price === 'webAcl')?.estimated).toBe(true);
  });

  it('notifies by SMS in china and by SES e-mail in global', () => {
    expect(serverlessLines(inventory, u, 'china').some((l) => l.price === 'smsMessage')).toBe(true);
    expect(serverlessLines(inventory, u, 'china').some((l) => l.price === 'sesEmail')).toBe(false);
    expect(lines.some((l) => l.price === 'sesEmail')).toBe(true);
  });

  it('prices a self-hosted VM and database at the same scale', () => {
    const self = selfHostedLines(u);
    expect(self.map((l) => l.price)).toEqual(
      expect.arrayContaining(['ec2T3Medium', 'rdsPostgresT4gMicro', 'rdsStorageGp2']),
    );
    expect(price(self, prices, 'USD').total).toBeGreaterThan(0);
  });

  it('cites a source for every price and says when a CNY figure is estimated', () => {
    for (const [name, p] of Object.entries(prices as PriceTable)) {
      expect(p.usdSource, name).toMatch(/https:\/\/|estimated/);
      expect(p.cnySource, name).toMatch(/https:\/\/|estimated|not offered/);
      if (p.cny !== undefined && !p.cnySource.startsWith('https://')) expect(p.cnyEstimated, name).toBe(true);
    }
  });
});

describe('measuredFrom', () => {
  const work = (writeUnits: number, s3?: Record<string, number>) => ({
    readUnits: 1,
    writeUnits,
    ...(s3 ? { s3 } : {}),
  });

  it('derives the API requests of an approval from the bench steps', () => {
    const m = measuredFrom({
      at: 'x',
      work: {
        perStep: [
          { name: 'create', work: work(10) },
          { name: 'upload 3 files + PATCH materials', work: work(5, { 'PUT (presigned)': 3 }) },
          { name: 'submit', work: work(7, { HeadObject: 3, GetObject: 3 }) },
          { name: 'document: APPROVAL (documents function)', work: work(4, { PutObject: 1 }) },
        ],
        approval: {
          readUnits: 9,
          writeUnits: 26,
          s3: { 'PUT (presigned)': 3, HeadObject: 3, GetObject: 3, PutObject: 1 },
        },
      },
      overhead: {
        transitions: 4,
        perStep: [
          { name: 'create', handlerMs: 30 },
          { name: 'submit', handlerMs: 50 },
        ],
      },
    });
    // create (1) + three uploads and their PATCH (4) + submit (1); the document is no API request.
    expect(m.apiWritesPerApplication).toBe(6);
    expect(m.transitionsPerApplication).toBe(2);
    expect(m.documentsPerApplication).toBe(1);
    expect(m.uploadsPerApplication).toBe(3);
    expect(m.s3PutsPerApplication).toBe(4);
    expect(m.s3GetsPerApplication).toBe(6);
    expect(m.writeUnitsPerApplication).toBe(26);
    // Two rounds of two steps: (30 / 2 + 50 / 2) / 2.
    expect(m.handlerMs).toBe(20);
  });

  it('names what is missing from the results', () => {
    expect(() => measuredFrom({})).toThrow(/work\.perStep/);
  });
});

describe('the command', () => {
  const run = (argv: string[], synth?: (p: 'global' | 'china') => Synthesized) => {
    let out = '';
    let err = '';
    const deps: Dependencies = {
      synthesize: synth ?? (() => ({ templates: TEMPLATES, builtProfile: 'global' })),
      measured: () => MEASURED,
      site: () => ({ ...SITE, measured: true }),
      prices,
      out: (text) => {
        out += text;
      },
    };
    const code = main(argv, deps, (text) => {
      err += text;
    });
    return { code, out, err };
  };

  it('prints both profiles and the self-hosted alternative without --profile', () => {
    const { code, out } = run([]);
    expect(code).toBe(0);
    expect(out).toContain('global profile (us-east-1, USD)');
    expect(out).toContain('china profile');
    expect(out).toContain('CNY/month');
    expect(out.match(/self-hosted alternative/g)).toHaveLength(2);
    expect(out).toContain('VM t3.medium');
    expect(out).toContain('PostgreSQL');
    expect(out).toContain('est.');
  });

  it('prints one profile when asked, at the scale given', () => {
    const { out } = run([
      '--profile',
      'global',
      '--applications',
      '30000',
      '--staff',
      '2000',
      '--pageviews',
      '500000',
    ]);
    expect(out).toContain('30,000 applications a year, 2,000 staff, 500,000 public page views');
    expect(out).not.toContain('china profile');
  });

  it('says so when the app builds global for a china request', () => {
    const { out } = run(['--profile', 'china'], () => ({
      templates: TEMPLATES,
      builtProfile: 'global',
      note: 'The app does not build the china profile yet',
    }));
    expect(out).toContain('NOTE (china): The app does not build the china profile yet');
  });

  it('names a profile whose templates cannot be synthesized, and still prints the other', () => {
    const { code, out, err } = run([], (profile) => {
      if (profile === 'china') throw new Error('context oidcIssuer is required');
      return { templates: TEMPLATES, builtProfile: 'global' };
    });
    expect(code).toBe(1);
    expect(out).toContain('ERROR (china): the china templates could not be synthesized');
    expect(out).toContain('context oidcIssuer is required');
    expect(out).toContain('global profile (us-east-1, USD)');
    expect(err).toContain('1 profile(s) could not be billed');
  });

  it.each([
    [['--profile', 'mars'], /--profile must be global or china: mars/],
    [['--applications', 'many'], /--applications must be a whole number of at least 0: many/],
    [['--applications', '-3'], /applications/],
    [['--staff', '0'], /--staff must be a whole number of at least 1: 0/],
    [['--pageviews', '1.5'], /--pageviews must be a whole number/],
    [['--colour', 'red'], /colour/],
    [['--staff'], /staff/],
    [['extra'], /extra|positional/i],
  ])('refuses %j with a clear message', (argv, message) => {
    const { code, err, out } = run(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.startsWith('bill: ')).toBe(true);
    expect(out).toBe('');
  });

  it('defaults to Liling’s scale', () => {
    expect(parseOptions([]).scale).toEqual({ applicationsPerYear: 300, staff: 20, pageviewsPerMonth: 5000 });
  });
});

describe('the command: stage settings (--small, --set)', () => {
  /** Runs the command, recording the context each profile was synthesized with. */
  const run = (argv: string[]) => {
    const calls: { profile: string; settings: Record<string, string> }[] = [];
    let out = '';
    let err = '';
    const code = main(
      argv,
      {
        synthesize: (profile, settings) => {
          calls.push({ profile, settings: { ...settings } });
          // The app's own reading of the context, as the real synthesis does first.
          const context = { ...settings, stage: 'prod', profile, ...(profile === 'china' ? CHINA_OIDC : {}) };
          stageSettings(new App({ context }).node);
          // Fewer alarms when asked for fewer: the bill must follow the templates it is given.
          const alarms =
            settings.alarms === 'essential' ? { A1: stateless.Resources?.A1 } : stateless.Resources;
          return { templates: [stateful, { Resources: alarms } as CfnTemplate], builtProfile: profile };
        },
        measured: () => MEASURED,
        site: () => ({ ...SITE, measured: true }),
        prices,
        out: (text) => {
          out += text;
        },
      },
      (text) => {
        err += text;
      },
    );
    return { code, out, err, calls };
  };

  it('synthesizes with no further context by default, and says so', () => {
    const { code, out, calls } = run([]);
    expect(code).toBe(0);
    expect(calls).toEqual([
      { profile: 'global', settings: {} },
      { profile: 'china', settings: {} },
    ]);
    expect(out).toContain(
      'Settings (global): -c stage=prod -c profile=global (every other setting its default).',
    );
    expect(out).toContain(
      'Settings (china): -c stage=prod -c profile=china (every other setting its default).',
    );
  });

  it('--small applies a small bureau’s settings, without a user pool tier in china, and prints them', () => {
    const { code, out, calls } = run(['--small']);
    expect(code).toBe(0);
    expect(calls).toEqual([
      {
        profile: 'global',
        settings: { alarms: 'essential', userPoolTier: 'essentials', backupDailyDays: '7' },
      },
      { profile: 'china', settings: { alarms: 'essential', backupDailyDays: '7' } },
    ]);
    expect(SMALL_BUREAU.china).not.toHaveProperty('userPoolTier');
    expect(out).toContain(
      'Settings (global): -c stage=prod -c profile=global -c alarms=essential -c userPoolTier=essentials -c backupDailyDays=7.',
    );
    expect(out).toContain(
      'Settings (china): -c stage=prod -c profile=china -c alarms=essential -c backupDailyDays=7.',
    );
    // The bill is of the templates those settings build: one alarm instead of four.
    expect(out).toMatch(/CloudWatch alarms .* 1 alarms reading 1 metrics/);
    expect(run([]).out).toMatch(/CloudWatch alarms .* 4 alarms reading 6 metrics/);
  });

  it('--set passes any setting as context to every profile; repeated, the later one wins, also over --small', () => {
    const { calls, out } = run([
      '--profile',
      'global',
      '--small',
      '--set',
      'backupDailyDays=14',
      '--set',
      'alarmEmail=ops@example.cn',
      '--set',
      'backupDailyDays=21',
      '--set',
      'oidcIssuer=https://id.example.cn/a=b',
    ]);
    expect(calls).toEqual([
      {
        profile: 'global',
        settings: {
          alarms: 'essential',
          userPoolTier: 'essentials',
          backupDailyDays: '21',
          alarmEmail: 'ops@example.cn',
          oidcIssuer: 'https://id.example.cn/a=b',
        },
      },
    ]);
    expect(out).toContain('-c backupDailyDays=21 -c alarmEmail=ops@example.cn');
    expect(parseOptions(['--set', 'alarms=essential']).settings).toEqual({
      global: { alarms: 'essential' },
      china: { alarms: 'essential' },
    });
  });

  it('names a setting the app refuses for one profile, and still prints the other', () => {
    const { code, out, err } = run(['--set', 'userPoolTier=essentials']);
    expect(code).toBe(1);
    expect(out).toContain('Settings (china): -c stage=prod -c profile=china -c userPoolTier=essentials.');
    expect(out).toContain(
      'ERROR (china): the china templates could not be synthesized, so no bill for it: context userPoolTier is for the global profile',
    );
    expect(out).toContain('global profile (us-east-1, USD)');
    expect(err).toContain('1 profile(s) could not be billed');
    expect(run(['--set', 'alarms=few']).out).toContain('context alarms must be all or essential: few');
  });

  it.each([
    [['--set', 'alarms'], /--set must be key=value, as -c key=value of cdk synth: alarms/],
    [['--set', 'alarms='], /--set must be key=value.*: alarms=/],
    [['--set', '=essential'], /--set must be key=value.*: =essential/],
    [['--set', 'two words=x'], /--set must be key=value.*: two words=x/],
    [['--set', 'stage=dev'], /--set stage=… is not a setting of the bill: it bills the production stage/],
    [
      ['--set', 'profile=china'],
      /--set profile=… is not a setting of the bill.*--profile chooses the profile/,
    ],
    [['--set'], /set/],
    [['--small=yes'], /small/],
  ])('refuses %j with a clear message', (argv, message) => {
    const { code, err, out, calls } = run(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.startsWith('bill: ')).toBe(true);
    expect(out).toBe('');
    expect(calls).toEqual([]);
  });
});
