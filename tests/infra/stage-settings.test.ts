/** The deployment settings read from context: what a wrong `-c …` is told before anything deploys. */
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { documentsCorsOrigin, stageSettings } from '../../infra/stage-settings.ts';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const settings = (context: Record<string, unknown>) => stageSettings(new App({ context }).node);

describe('stage settings: the console domain', () => {
  it('takes an https origin with its certificate', () => {
    expect(settings({ consoleOrigin: 'https://eia.example.cn', consoleCertificateArn: CERT })).toMatchObject({
      consoleOrigin: 'https://eia.example.cn',
      consoleCertificateArn: CERT,
    });
  });

  it('neither is fine: the console then runs on the distribution’s own domain', () => {
    const s = settings({});
    expect(s.consoleOrigin).toBeUndefined();
    expect(s.consoleCertificateArn).toBeUndefined();
  });

  it.each([
    [{ consoleOrigin: 'https://eia.example.cn' }, /go together/],
    [{ consoleCertificateArn: CERT }, /go together/],
    [{ consoleOrigin: 'http://eia.example.cn', consoleCertificateArn: CERT }, /consoleOrigin must be/],
    [
      { consoleOrigin: 'https://eia.example.cn/console', consoleCertificateArn: CERT },
      /consoleOrigin must be/,
    ],
    [
      {
        consoleOrigin: 'https://eia.example.cn',
        consoleCertificateArn: CERT.replace('us-east-1', 'cn-north-1'),
      },
      /us-east-1/,
    ],
  ])('refuses %j', (context, message) => {
    expect(() => settings(context)).toThrow(message);
  });
});

describe('stage settings: the documents bucket', () => {
  it('locks 30 years, GOVERNANCE in development and COMPLIANCE in production, GuardDuty on', () => {
    expect(settings({})).toMatchObject({
      documentRetention: { mode: 'GOVERNANCE', days: 10_950 },
      malwareProtection: true,
    });
    expect(settings({ stage: 'prod' })).toMatchObject({
      documentRetention: { mode: 'COMPLIANCE', days: 10_950 },
      malwareProtection: true,
    });
  });

  it('takes the retention, the mode and malware protection from context (text or not)', () => {
    expect(
      settings({
        stage: 'prod',
        documentRetentionDays: '3650',
        documentLockMode: 'GOVERNANCE',
        malwareProtection: 'false',
      }),
    ).toMatchObject({ documentRetention: { mode: 'GOVERNANCE', days: 3650 }, malwareProtection: false });
    const app = new App({ context: { documentRetentionDays: 7, malwareProtection: false } });
    expect(stageSettings(app.node)).toMatchObject({
      documentRetention: { days: 7 },
      malwareProtection: false,
    });
  });

  it.each([
    [{ documentRetentionDays: '0' }, /documentRetentionDays/],
    [{ documentRetentionDays: '36501' }, /documentRetentionDays/],
    [{ documentRetentionDays: '1.5' }, /documentRetentionDays/],
    [{ documentLockMode: 'LEGAL_HOLD' }, /documentLockMode/],
    [{ malwareProtection: 'yes' }, /malwareProtection/],
    [{ consoleDistributionDomain: 'https://d111.cloudfront.net' }, /consoleDistributionDomain/],
    [{ consoleDistributionDomain: 'eia.example.cn' }, /consoleDistributionDomain/],
  ])('refuses %j', (context, message) => {
    expect(() => settings(context)).toThrow(message);
  });

  it('lets the console PUT from its own domain, else from its CloudFront domain, else from nowhere', () => {
    const domain = 'd111111abcdef8.cloudfront.net';
    expect(
      documentsCorsOrigin(
        settings({
          consoleOrigin: 'https://eia.example.cn',
          consoleCertificateArn: CERT,
          consoleDistributionDomain: domain,
        }),
      ),
    ).toBe('https://eia.example.cn');
    expect(documentsCorsOrigin(settings({ consoleDistributionDomain: domain }))).toBe(`https://${domain}`);
    expect(documentsCorsOrigin(settings({}))).toBeUndefined();
  });
});

describe('stage settings: a small bureau (docs/cost.md)', () => {
  const CHINA = { profile: 'china', oidcIssuer: 'https://id.example.gov.cn', oidcAudience: 'eia-console' };

  it('defaults to every alarm, Cognito Plus and 35 days of daily backups, in every stage', () => {
    for (const stage of ['dev', 'prod']) {
      expect(settings({ stage })).toMatchObject({ alarms: 'all', userPoolTier: 'plus', backupDailyDays: 35 });
    }
  });

  it('takes the cheaper settings from context, as text or as numbers', () => {
    expect(
      settings({ stage: 'prod', alarms: 'essential', userPoolTier: 'essentials', backupDailyDays: '7' }),
    ).toMatchObject({ alarms: 'essential', userPoolTier: 'essentials', backupDailyDays: 7 });
    expect(settings({ backupDailyDays: 14 }).backupDailyDays).toBe(14);
    expect(settings({ backupDailyDays: 35 }).backupDailyDays).toBe(35);
  });

  it('has no user pool tier in profile china, and refuses one; alarms and backups apply there too', () => {
    const china = settings({ ...CHINA, alarms: 'essential', backupDailyDays: 7 });
    expect(china).toMatchObject({ alarms: 'essential', backupDailyDays: 7 });
    expect(china.userPoolTier).toBeUndefined();
    expect(() => settings({ ...CHINA, userPoolTier: 'essentials' })).toThrow(
      /userPoolTier is for the global profile: profile china has no Cognito user pool/,
    );
  });

  it.each([
    [{ alarms: 'some' }, 'context alarms must be all or essential: some'],
    [{ alarms: 'ESSENTIAL' }, 'context alarms must be all or essential: ESSENTIAL'],
    [{ userPoolTier: 'lite' }, 'context userPoolTier must be plus or essentials: lite'],
    [{ userPoolTier: 'essential' }, 'context userPoolTier must be plus or essentials: essential'],
    [{ backupDailyDays: '6' }, 'context backupDailyDays must be a whole number of days, 7 to 35: 6'],
    [{ backupDailyDays: 36 }, 'context backupDailyDays must be a whole number of days, 7 to 35: 36'],
    [{ backupDailyDays: '7.5' }, 'context backupDailyDays must be a whole number of days, 7 to 35: 7.5'],
    [{ backupDailyDays: '1e1' }, 'context backupDailyDays must be a whole number of days, 7 to 35: 1e1'],
    [{ backupDailyDays: 'week' }, 'context backupDailyDays must be a whole number of days, 7 to 35: week'],
  ])('refuses %j', (context, message) => {
    expect(() => settings(context)).toThrow(message);
  });
});
