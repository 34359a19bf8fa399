/**
 * Profile china (`-c profile=china`): the AWS China regions, partition aws-cn, which offer neither
 * Cognito nor SES. The bureau's OpenID Connect provider signs in (a Lambda TOKEN authorizer checks
 * its tokens), notifications go by SMS or SMTP, uploads are not scanned, and the console is served
 * from the bureau's own web server (console=folder) or its own domain on CloudFront.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OIDC_SCHEME } from '../../infra/http-api.ts';
import { CHINA_NO_MALWARE_SCAN, stageSettings } from '../../infra/stage-settings.ts';
import { routes } from '../../shared/http/routes.ts';
import { logicalId, synthesize } from './synth.ts';

const ISSUER = 'https://id.example.gov.cn/realms/liling';
const AUDIENCE = 'eia-console';
const CHINA = {
  profile: 'china',
  oidcIssuer: ISSUER,
  oidcAudience: AUDIENCE,
  // synth.ts's default is the global profile's console domain with its ACM certificate.
  consoleOrigin: undefined,
  consoleCertificateArn: undefined,
};

const folder = synthesize({ context: CHINA });
const ORIGIN = 'https://eia.liling.gov.cn';
const onCloudFront = synthesize({
  context: { ...CHINA, consoleOrigin: ORIGIN, consoleCertificateId: 'ASCAEXAMPLE0123456789' },
});

// Production: backups into a locked vault, COMPLIANCE lock, SMTP instead of SMS.
const production = synthesize({
  context: { ...CHINA, stage: 'prod', consoleOrigin: ORIGIN, notifyChannel: 'smtp' },
});

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };
const json = (built: typeof folder, stack: 'stateful' | 'stateless') =>
  built.templates[stack].toJSON() as Template;
const ofType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** A function's environment in the stateless template. */
function envOf(built: typeof folder, fn: Parameters<typeof logicalId>[1]): Record<string, unknown> {
  const resource = json(built, 'stateless').Resources[logicalId(built.stateless, fn)];
  if (!resource) throw new Error('no such function in the template');
  return (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Where a literal global-partition ARN or service domain stands in a template, with its path. */
function literalPartition(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    return /arn:aws:|amazonaws\.com(?!\.cn)(?![\w.-])|amazoncognito\.com|cloudfront\.net|us-east-1/.test(
      value,
    )
      ? [`${path}: ${value}`]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => literalPartition(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) =>
      // Service principals (a policy's Service, a Lambda permission's Principal) are
      // `<service>.amazonaws.com` in every partition, aws-cn too: CDK renders them so.
      (key === 'Service' || key === 'Principal') &&
      typeof v === 'string' &&
      /^[\w.-]+\.amazonaws\.com$/.test(v)
        ? []
        : literalPartition(v, `${path}.${key}`),
    );
  }
  return [];
}

describe('profile china: the templates', () => {
  it('synthesizes both stacks, checked by cdk-nag (an unacknowledged finding throws), with no finding', () => {
    for (const built of [folder, onCloudFront, production]) {
      expect(built.settings.profile).toBe('china');
      expect(built.nag.validateScope(built.app).violations.map((v) => v.ruleName)).toEqual([]);
    }
  });

  it('has no Cognito and no SES resource', () => {
    for (const built of [folder, onCloudFront, production]) {
      for (const stack of ['stateful', 'stateless'] as const) {
        const types = Object.values(json(built, stack).Resources).map((r) => r.Type);
        expect(types.filter((t) => /^AWS::(Cognito|SES)::/.test(t))).toEqual([]);
        expect(types.filter((t) => t.startsWith('AWS::GuardDuty::'))).toEqual([]);
      }
    }
  });

  it('builds every ARN with the partition and every service domain with the URL suffix', () => {
    expect(production.templates.stateful.toJSON().Resources).toSatisfy((r: Record<string, Resource>) =>
      Object.values(r).some((x) => x.Type === 'AWS::Backup::BackupVault'),
    );
    for (const built of [folder, onCloudFront, production]) {
      for (const stack of ['stateful', 'stateless'] as const) {
        const template = json(built, stack);
        expect(literalPartition(template.Resources)).toEqual([]);
        expect(literalPartition(template.Outputs ?? {})).toEqual([]);
        expect(JSON.stringify(template)).toContain('"Ref":"AWS::Partition"');
      }
    }
  });

  it('checks every token of a signed-in route with the Lambda authorizer, public routes with none', () => {
    const apis = ofType(json(folder, 'stateless'), 'AWS::ApiGateway::RestApi');
    expect(apis).toHaveLength(1);
    const body = apis[0]?.[1].Properties.Body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, Record<string, unknown>> };
    };
    expect(Object.keys(body.components.securitySchemes)).toEqual([OIDC_SCHEME]);
    const authorizer = folder.stateless.authorizer;
    if (!authorizer) throw new Error('no authorizer function');
    const fnArn = { 'Fn::GetAtt': [logicalId(folder.stateless, authorizer.fn), 'Arn'] };
    expect(body.components.securitySchemes[OIDC_SCHEME]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'token',
        authorizerUri: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':apigateway:',
              { Ref: 'AWS::Region' },
              ':lambda:path/2015-03-31/functions/',
              fnArn,
              '/invocations',
            ],
          ],
        },
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 300,
      },
    });
    for (const route of routes) {
      const operation = body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.security, `${route.method} ${route.path}`).toEqual(
        route.auth ? [{ [OIDC_SCHEME]: [] }] : [],
      );
    }
  });

  it('the authorizer trusts the issuer and audience given, with the claim names, and only this API may call it', () => {
    const template = folder.templates.stateless;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp(': authorizer$'),
      Environment: {
        Variables: Match.objectLike({
          OIDC_ISSUER: ISSUER,
          OIDC_AUDIENCE: AUDIENCE,
          ROLES_CLAIM: 'roles',
          ORG_CLAIM: 'org_code',
          NAME_CLAIM: 'name',
        }),
      },
    });
    const authorizer = folder.stateless.authorizer;
    if (!authorizer) throw new Error('no authorizer function');
    const permissions = ofType(json(folder, 'stateless'), 'AWS::Lambda::Permission')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.FunctionName).includes(logicalId(folder.stateless, authorizer.fn)));
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Principal).toBe('apigateway.amazonaws.com');
    expect(JSON.stringify(permissions[0]?.SourceArn)).toMatch(/execute-api.*\/authorizers\/\*/);
  });

  it('takes other claim names from context', () => {
    const settings = stageSettings(
      new App({
        context: {
          ...CHINA,
          oidcRolesClaim: 'realm_access.roles',
          oidcOrgClaim: 'tyshxydm',
          oidcNameClaim: 'preferred_username',
        },
      }).node,
    );
    expect(settings.oidc).toEqual({
      issuer: ISSUER,
      audience: AUDIENCE,
      rolesClaim: 'realm_access.roles',
      orgClaim: 'tyshxydm',
      nameClaim: 'preferred_username',
    });
  });

  it('the notifier sends by SMS with credentials from a secret the bureau fills, and has no SES or Cognito grant', () => {
    const { notifier, channelSecret } = folder.stateless.notifications;
    if (!channelSecret) throw new Error('no channel secret');
    const template = json(folder, 'stateless');
    const env = envOf(folder, notifier.fn);
    expect(env.NOTIFY_CHANNEL).toBe('sms');
    expect(env.NOTIFY_SECRET_ARN).toEqual({ Ref: logicalId(folder.stateless, channelSecret) });
    expect(env).not.toHaveProperty('USER_POOL_ID');
    expect(env).not.toHaveProperty('FROM_ADDRESS');
    const policies = ofType(template, 'AWS::IAM::Policy')
      .filter(([, r]) =>
        JSON.stringify(r.Properties.Roles).includes(logicalId(folder.stateless, notifier.role)),
      )
      .map(([, r]) => JSON.stringify(r.Properties.PolicyDocument));
    const actions = policies.join(' ');
    expect(actions).not.toMatch(/ses:|cognito-idp:/);
    expect(actions).toContain('secretsmanager:GetSecretValue');
    // The application each message is about (its case number, the applicant's phone): GetItem on APP#… only.
    expect(actions).toMatch(/"dynamodb:GetItem".*"dynamodb:LeadingKeys":\["APP#\*"\]/);
  });

  it('SMTP instead of SMS with -c notifyChannel=smtp; SES is refused', () => {
    const { notifier } = production.stateless.notifications;
    const env = envOf(production, notifier.fn);
    expect(env.NOTIFY_CHANNEL).toBe('smtp');
    // The application's GetItem is the SMS channel's only.
    const notifierPolicies = ofType(json(production, 'stateless'), 'AWS::IAM::Policy')
      .filter(([, r]) =>
        JSON.stringify(r.Properties.Roles).includes(logicalId(production.stateless, notifier.role)),
      )
      .map(([, r]) => JSON.stringify(r.Properties.PolicyDocument))
      .join(' ');
    expect(notifierPolicies).not.toContain('APP#');
    const settings = (extra: Record<string, unknown>) =>
      stageSettings(new App({ context: { ...CHINA, ...extra } }).node);
    expect(settings({}).notifyChannel).toBe('sms');
    expect(settings({ notifyChannel: 'smtp' }).notifyChannel).toBe('smtp');
    expect(() => settings({ notifyChannel: 'ses' })).toThrow(/notifyChannel must be sms or smtp/);
  });

  it('uploads are stored SKIPPED, and the deployment says why', () => {
    expect(folder.settings.malwareProtection).toBe(false);
    expect(folder.settings.malwareScanSkipped).toBe(CHINA_NO_MALWARE_SCAN);
    const template = json(folder, 'stateless');
    // create-upload records each upload SKIPPED with scanReason not-offered-in-region; no other function has it.
    const upload = folder.stateless.functions.get('create-upload');
    if (!upload) throw new Error('no create-upload function');
    expect(envOf(folder, upload.fn).MALWARE_SCAN).toBe('off-in-region');
    expect(JSON.stringify(template).match(/MALWARE_SCAN/g)).toHaveLength(1);
    expect(template.Outputs?.MalwareScanning?.Value).toBe(
      `uploads are stored with scan SKIPPED: ${CHINA_NO_MALWARE_SCAN}`,
    );
    expect(() => stageSettings(new App({ context: { ...CHINA, malwareProtection: 'true' } }).node)).toThrow(
      /not offered in the AWS China regions/,
    );
  });

  it('the staff functions get no Cognito grant and no user pool', () => {
    const template = JSON.stringify(json(folder, 'stateless'));
    expect(template).not.toContain('cognito-idp:');
    expect(template).not.toContain('USER_POOL_ID');
  });

  it('the staff functions, the notifier and the authorizer keep the accounts in the table, granted the STAFF partition only', () => {
    const template = json(folder, 'stateless');
    const policiesOf = (role: Parameters<typeof logicalId>[1]) =>
      ofType(template, 'AWS::IAM::Policy')
        .filter(([, r]) => JSON.stringify(r.Properties.Roles).includes(logicalId(folder.stateless, role)))
        .flatMap(
          ([, r]) => (r.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
        );
    const onStaff = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['STAFF*'] } };
    const staff = ['admin-users', 'admin-invite-user', 'admin-update-user'].map((name) => {
      const fn = folder.stateless.functions.get(name);
      if (!fn) throw new Error(`no function ${name}`);
      return fn;
    });
    for (const fn of [...staff, folder.stateless.notifications.notifier]) {
      const env = envOf(folder, fn.fn);
      expect(env.STAFF_DIRECTORY).toBe('table');
      expect(env.TABLE_NAME).toBeDefined();
      expect(policiesOf(fn.role)).toContainEqual(
        expect.objectContaining({ Action: ['dynamodb:GetItem', 'dynamodb:Query'], Condition: onStaff }),
      );
    }
    // The two that change accounts, and the authorizer that links them, write them (in
    // transactions) on STAFF only.
    const authorizer = folder.stateless.authorizer;
    if (!authorizer) throw new Error('no authorizer function');
    expect(envOf(folder, authorizer.fn).STAFF_DIRECTORY).toBe('table');
    for (const fn of [...staff.slice(1), authorizer]) {
      expect(policiesOf(fn.role)).toContainEqual(
        expect.objectContaining({
          Action: 'dynamodb:PutItem',
          Condition: {
            'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
            ...onStaff,
          },
        }),
      );
    }
    // Listing only reads.
    const [listing] = staff;
    if (!listing) throw new Error('no admin-users');
    expect(JSON.stringify(policiesOf(listing.role))).not.toContain('PutItem');
  });
});

describe('profile china: the console', () => {
  it('console=folder (the default without a domain): no bucket or distribution, but where the folder is', () => {
    expect(folder.settings.console).toBe('folder');
    const template = json(folder, 'stateless');
    expect(ofType(template, 'AWS::CloudFront::Distribution')).toEqual([]);
    expect(String(template.Outputs?.ConsoleFolder?.Value)).toContain('web/dist');
    // Without the console's origin the deployment is refused (CORS, sign-in and PDF links need it).
    expect(Object.keys((template as { Rules?: object }).Rules ?? {})).toContain('ConsoleOriginGiven');
  });

  it("console=folder with an origin: CORS allows it and the console's settings are an output", () => {
    const built = synthesize({ context: { ...CHINA, consoleOrigin: ORIGIN, console: 'folder' } });
    const template = json(built, 'stateless');
    expect(Object.keys((template as { Rules?: object }).Rules ?? {})).not.toContain('ConsoleOriginGiven');
    built.templates.stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
      Variables: { consoleOrigin: ORIGIN },
    });
    const config = JSON.stringify(template.Outputs?.ConsoleConfig?.Value);
    for (const text of ['oidc', ISSUER, AUDIENCE, `${ORIGIN}/`, 'org_code']) expect(config).toContain(text);
  });

  it("CloudFront on the bureau's domain with its IAM server certificate, S3 read through an origin access identity", () => {
    const template = onCloudFront.templates.stateless;
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['eia.liling.gov.cn'],
        ViewerCertificate: {
          IamCertificateId: 'ASCAEXAMPLE0123456789',
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        },
      }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
    // The console's settings, uploaded beside it: the provider's, not Cognito's.
    const files = readdirSync(onCloudFront.assembly.directory, { recursive: true, encoding: 'utf8' });
    const configs = files.filter((f) => f.endsWith('console-config.json'));
    expect(configs).toHaveLength(1);
    const config = JSON.parse(
      readFileSync(join(onCloudFront.assembly.directory, configs[0] ?? ''), 'utf8'),
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      mode: 'oidc',
      issuer: ISSUER,
      clientId: AUDIENCE,
      redirectUri: `${ORIGIN}/`,
      claims: { roles: 'roles', org: 'org_code', name: 'name' },
    });
    expect(config).not.toHaveProperty('cognitoDomain');
  });

  it.each([
    [{ console: 'cloudfront' }, /needs -c consoleOrigin/],
    [{ consoleOrigin: ORIGIN, console: 'cloudfront' }, /consoleCertificateId/],
    [{ consoleOrigin: ORIGIN, consoleCertificateId: 'not-an-id' }, /IAM server certificate/],
    [
      {
        consoleOrigin: ORIGIN,
        consoleCertificateArn: 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc',
      },
      /takes no ACM certificate/,
    ],
  ])('refuses %j', (extra, message) => {
    expect(() => stageSettings(new App({ context: { ...CHINA, ...extra } }).node)).toThrow(message);
  });
});

describe('profile china: the provider', () => {
  const settings = (context: Record<string, unknown>) => stageSettings(new App({ context }).node);

  it.each([
    [{ profile: 'china', oidcAudience: AUDIENCE }, /profile china needs -c oidcIssuer/],
    [{ profile: 'china', oidcIssuer: ISSUER }, /profile china needs -c oidcAudience/],
    [
      { profile: 'china', oidcIssuer: 'http://id.example.gov.cn', oidcAudience: AUDIENCE },
      /oidcIssuer must be an https URL/,
    ],
    [
      { profile: 'china', oidcIssuer: 'id.example.gov.cn', oidcAudience: AUDIENCE },
      /oidcIssuer must be an https URL/,
    ],
    [{ ...CHINA, oidcRolesClaim: 'roles claim' }, /oidcRolesClaim must be a claim name/],
    [{ profile: 'cn' }, /profile must be global or china/],
    [{ oidcIssuer: ISSUER }, /oidcIssuer is for -c profile=china/],
    [{ console: 'folder' }, /console=folder is for profile china/],
  ])('refuses %j', (context, message) => {
    expect(() => settings(context)).toThrow(message);
  });

  it('the global profile stays Cognito, SES and GuardDuty', () => {
    expect(settings({})).toMatchObject({
      profile: 'global',
      notifyChannel: 'ses',
      console: 'cloudfront',
      malwareProtection: true,
    });
    expect(settings({}).oidc).toBeUndefined();
  });
});
