/**
 * The cheaper settings of docs/cost.md for a small bureau: `-c alarms=essential`,
 * `-c userPoolTier=essentials`, `-c backupDailyDays=7`, against the defaults. Both apps are
 * synthesized with cdk-nag: an unacknowledged finding throws here.
 */
import { Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ESSENTIAL_FUNCTIONS } from '../../infra/operations.ts';
import { routes } from '../../shared/http/routes.ts';
import { logicalId, synthesize } from './synth.ts';

const full = synthesize({ context: { backups: true } });
const small = synthesize({
  context: { backups: true, alarms: 'essential', userPoolTier: 'essentials', backupDailyDays: 7 },
});

type Resource = { Type: string; Properties: Record<string, unknown> };
const ofType = (built: typeof full, stack: 'stateful' | 'stateless', type: string) =>
  Object.values(built.templates[stack].findResources(type)) as Resource[];
/** The alarms' construct ids (their names in the code), sorted. */
const alarmIds = (built: typeof full) => built.stateless.operations.alarms.map((a) => a.node.id).sort();

/** The alarms every mode keeps: the service's own, not a function's. */
const SERVICE_ALARMS = [
  'api-5xx',
  'api-blocked',
  'document-failures',
  'idempotency-table-system-errors',
  'main-table-system-errors',
  'notify-failures',
  'provisional-deadlines',
  'publish-failures',
  'publisher-iterator-age',
  'scan-failures',
];

describe('alarms=all (the default)', () => {
  it('has three alarms per function besides the service’s ten', () => {
    const functions = full.stateless.functions.size;
    // Every route's function, and the ones nobody calls over the API.
    expect(functions).toBeGreaterThan(new Set(routes.map((r) => r.fn)).size);
    expect(ofType(full, 'stateless', 'AWS::CloudWatch::Alarm')).toHaveLength(functions * 3 + 10);
    const ids = alarmIds(full);
    for (const name of full.stateless.functions.keys()) {
      expect(ids).toEqual(expect.arrayContaining([`${name}-errors`, `${name}-throttles`, `${name}-p99`]));
    }
    expect(ids).toEqual(expect.arrayContaining(SERVICE_ALARMS));
    expect(ids).not.toContain('functions-errors');
  });
});

describe('alarms=essential', () => {
  const alarms = ofType(small, 'stateless', 'AWS::CloudWatch::Alarm');

  it('keeps the service’s alarms, the errors of the functions nobody waits on, and one for all the rest', () => {
    expect(alarmIds(small)).toEqual(
      [...SERVICE_ALARMS, ...ESSENTIAL_FUNCTIONS.map((name) => `${name}-errors`), 'functions-errors'].sort(),
    );
    expect(alarms).toHaveLength(15);
    expect(alarms.length).toBeLessThan(ofType(full, 'stateless', 'AWS::CloudWatch::Alarm').length / 8);
  });

  it('watches the sweeper, notifier, documents and rotation functions by their own Errors', () => {
    for (const name of ESSENTIAL_FUNCTIONS) {
      const fn = small.stateless.functions.get(name);
      if (!fn) throw new Error(`no function ${name}`);
      const own = alarms.filter(
        (a) =>
          a.Properties.MetricName === 'Errors' &&
          JSON.stringify(a.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: { Ref: logicalId(small.stateless, fn.fn) } }]),
      );
      expect(own, name).toHaveLength(1);
    }
    // No function's throttles or duration alarm any more.
    expect(alarms.filter((a) => ['Throttles', 'Duration'].includes(String(a.Properties.MetricName)))).toEqual(
      [],
    );
  });

  it('sums the account’s Lambda errors and throttles in one alarm of two metrics, fired by the first', () => {
    const math = alarms.filter((a) => JSON.stringify(a.Properties.Metrics ?? []).includes('AWS/Lambda'));
    expect(math).toHaveLength(1);
    const props = math[0]?.Properties as {
      Metrics: { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } }[];
      Threshold: number;
      ComparisonOperator: string;
      AlarmActions: unknown;
    };
    const read = props.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat?.Metric);
    // At most 10 metrics per metric-math alarm; no dimension: every function of the account and Region.
    expect(read).toEqual([
      { Namespace: 'AWS/Lambda', MetricName: 'Errors' },
      { Namespace: 'AWS/Lambda', MetricName: 'Throttles' },
    ]);
    expect(props.Metrics.find((m) => m.Expression)?.Expression).toBe('FILL(errors, 0) + FILL(throttles, 0)');
    expect(props).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(props.AlarmActions).toEqual([
      { Ref: logicalId(small.stateless, small.stateless.operations.topic) },
    ]);
  });

  it('keeps the dashboard', () => {
    expect(ofType(small, 'stateless', 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});

describe('userPoolTier', () => {
  it('plus by default, with threat protection in full-function mode', () => {
    const [pool] = ofType(full, 'stateless', 'AWS::Cognito::UserPool');
    expect(pool?.Properties).toMatchObject({
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('essentials: no threat protection asked for, MFA kept, and cdk-nag’s COG8 acknowledged with the reason', () => {
    const [pool] = ofType(small, 'stateless', 'AWS::Cognito::UserPool');
    expect(pool?.Properties).toMatchObject({ UserPoolTier: 'ESSENTIALS', MfaConfiguration: 'ON' });
    expect(pool?.Properties.UserPoolAddOns).toBeUndefined();
    const acknowledged = (built: typeof full) =>
      built.stateless.users.userPool.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>))
        .filter(([id]) => id.endsWith('AwsSolutions-COG8'));
    expect(acknowledged(small)).toHaveLength(1);
    expect(acknowledged(small)[0]?.[1]).toMatch(/userPoolTier=essentials.*MFA/);
    // Plus needs none: the finding does not arise.
    expect(acknowledged(full)).toEqual([]);
  });
});

describe('backupDailyDays', () => {
  const dailyAndLock = (built: typeof full) => {
    const [plan] = ofType(built, 'stateful', 'AWS::Backup::BackupPlan');
    if (!plan) throw new Error('no backup plan');
    const rules = (plan.Properties.BackupPlan as { BackupPlanRule: Record<string, unknown>[] })
      .BackupPlanRule;
    const [vault] = ofType(built, 'stateful', 'AWS::Backup::BackupVault');
    return {
      rules: Object.fromEntries(
        rules.map((r) => [r.RuleName, (r.Lifecycle as { DeleteAfterDays: number }).DeleteAfterDays]),
      ),
      lock: vault?.Properties.LockConfiguration,
    };
  };

  it('keeps daily backups 35 days by default, the lock’s minimum', () => {
    expect(dailyAndLock(full)).toEqual({
      rules: { daily: 35, monthly: 365 },
      lock: { MinRetentionDays: 35, MaxRetentionDays: 400 },
    });
  });

  it('keeps them 7 days with -c backupDailyDays=7, and lowers the lock’s minimum with them', () => {
    expect(dailyAndLock(small)).toEqual({
      rules: { daily: 7, monthly: 365 },
      lock: { MinRetentionDays: 7, MaxRetentionDays: 400 },
    });
  });
});
