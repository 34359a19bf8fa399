import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../infra/web-console.ts';
import { CONSOLE_CERTIFICATE, CONSOLE_ORIGIN, logicalId, synthesize } from './synth.ts';

/** The console in AWS: private bucket, CloudFront with OAC and HTTPS only, headers, Cognito code + PKCE. */
const { templates, stateless, settings } = synthesize();
const template = templates.stateless;
const withDefaultDomain = synthesize({
  context: { consoleOrigin: undefined, consoleCertificateArn: undefined },
}).templates.stateless;

type Resource = { Type: string; Properties: Record<string, unknown> };
/** The API's logical id (a REST API; an HTTP API before). */
const apiId = (t = template): string => {
  const [id] = [
    ...Object.keys(t.findResources('AWS::ApiGateway::RestApi')),
    ...Object.keys(t.findResources('AWS::ApiGatewayV2::Api')),
  ];
  if (!id) throw new Error('no API');
  return id;
};
/** The origins the REST API's CORS preflights allow (one value per distinct origin). */
const preflightOrigins = (t: typeof template): unknown[] => {
  const body = only(t, 'AWS::ApiGateway::RestApi').Properties.Body as {
    paths: Record<
      string,
      {
        options?: Record<
          string,
          { responses: Record<string, { responseParameters: Record<string, unknown> }> }
        >;
      }
    >;
  };
  const origins = Object.values(body.paths).flatMap((ops) => {
    const preflight = ops.options?.['x-amazon-apigateway-integration'];
    return preflight
      ? [
          preflight.responses.default?.responseParameters[
            'method.response.header.Access-Control-Allow-Origin'
          ],
        ]
      : [];
  });
  return [...new Set(origins.map((o) => JSON.stringify(o)))].map((o) => JSON.parse(o));
};
const only = (t: typeof template, type: string): Resource => {
  const found = Object.values(t.findResources(type)) as Resource[];
  expect(found, type).toHaveLength(1);
  return found[0] as Resource;
};

describe('web console hosting', () => {
  it('keeps the files in a private, encrypted bucket that refuses plain HTTP', () => {
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: Match.anyValue(),
      },
    });
    // The files and the distribution's logs: every bucket of the stack.
    expect(Object.keys(buckets).sort()).toEqual(
      [
        logicalId(stateless, stateless.webConsole.bucket),
        logicalId(stateless, stateless.webConsole.logs),
      ].sort(),
    );
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stateless, stateless.webConsole.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          // Only this distribution may read, through origin access control.
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves it through CloudFront with origin access control, HTTPS only', () => {
    const oac = only(template, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const distribution = only(template, 'AWS::CloudFront::Distribution').Properties
      .DistributionConfig as Record<string, never>;
    expect(distribution).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'https-only', AllowedMethods: ['GET', 'HEAD'] },
    });
    const [origin] = distribution.Origins as unknown as Record<string, unknown>[];
    expect(origin?.OriginAccessControlId).toBeDefined();
    expect(origin?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('adds security headers, with a CSP that lets the console reach only the API, the hosted UI and the documents bucket', () => {
    const policy = only(template, 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> };
    const headers = policy.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 31_536_000,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'strict-origin-when-cross-origin' });
    const csp = JSON.stringify(headers.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Every host named exactly: no pattern anywhere.
    expect(csp).not.toContain('*');
    // The API by its id, the hosted UI by its domain, in connect-src; the hosted UI in form-action.
    const api = apiId();
    const [domain] = Object.keys(template.findResources('AWS::Cognito::UserPoolDomain'));
    const connect = csp.slice(csp.indexOf('connect-src'), csp.indexOf('font-src'));
    expect(connect).toMatch(/^connect-src 'self' https:\/\//);
    expect(connect).toContain(`{"Ref":"${api}"}`);
    expect(connect).toContain('.execute-api.');
    expect(connect).toMatch(new RegExp(`https://",\\{"Ref":"${domain}"\\},"\\.auth\\.`));
    expect(connect).toContain('amazoncognito.com');
    const form = csp.slice(csp.indexOf('form-action'), csp.indexOf('frame-ancestors'));
    expect(form).toMatch(new RegExp(`^form-action 'self' https://",\\{"Ref":"${domain}"\\},"\\.auth\\.`));
    expect(form).not.toContain(`{"Ref":"${api}"}`);
    // The presigned URLs' host: the documents bucket by name, in the stack's region.
    expect(csp).toMatch(
      / https:\/\/",\{"Fn::ImportValue":"[^"]*DocumentsBucket[^"]*"\},"\.s3\.",\{"Ref":"AWS::Region"\}/,
    );
  });

  it('names the API exactly also where the API’s CORS names the distribution’s domain (no dependency cycle)', () => {
    // Template.fromStack refuses a template with a cycle; this stage is where one could arise.
    const policy = only(withDefaultDomain, 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: { ContentSecurityPolicy: unknown } };
    const csp = JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toContain(`{"Ref":"${apiId(withDefaultDomain)}"}`);
    expect(csp).not.toContain('*');
  });

  it('names no host it does not know: without the API and the hosted UI, only itself and the files', () => {
    const bare = contentSecurityPolicy({});
    expect(bare).toContain("connect-src 'self'; ");
    expect(bare).toContain("form-action 'self'; ");
    const named = contentSecurityPolicy({
      apiDomain: 'abc123.execute-api.cn-north-1.amazonaws.com.cn',
      cognitoOrigin: 'https://liling-eia-prod.auth.cn-north-1.amazoncognito.com',
    });
    expect(named).toContain(
      "connect-src 'self' https://abc123.execute-api.cn-north-1.amazonaws.com.cn https://liling-eia-prod.auth.cn-north-1.amazoncognito.com; ",
    );
    expect(named).toContain("form-action 'self' https://liling-eia-prod.auth.cn-north-1.amazoncognito.com; ");
    expect(named).not.toContain('*');
  });

  it('records every request in CloudFront standard logs, in a private bucket that expires them with the logs', () => {
    const logs = logicalId(stateless, stateless.webConsole.logs);
    const config = only(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
      Logging: unknown;
    };
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logs, 'RegionalDomainName'] },
      Prefix: 'console/',
    });
    const bucket = template.findResources('AWS::S3::Bucket')[logs] as Resource;
    expect(bucket.Properties).toMatchObject({
      // CloudFront delivers standard logs through an ACL grant: ACLs on, owned by the bucket owner.
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: settings.logRetention, Status: 'Enabled' })],
      },
    });
    expect(settings.logRetention).toBe(RetentionDays.ONE_MONTH);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('uploads the built console and a console-config.json naming the API, the hosted UI and the client', () => {
    const deployment = only(template, 'Custom::CDKBucketDeployment').Properties;
    expect(deployment.DistributionPaths).toEqual(['/*']);
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    // console-config.json's values, resolved at deploy time: the API, the hosted UI, the client.
    const refs = JSON.stringify(deployment.SourceMarkers);
    const api = apiId();
    const [domain] = Object.keys(template.findResources('AWS::Cognito::UserPoolDomain'));
    const [client] = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'));
    for (const id of [api, domain, client]) expect(refs).toContain(`{"Ref":"${id}"}`);
  });
});

describe('sign-in and CORS for the console', () => {
  it('gives the console a public Cognito client with the authorization-code flow, back to its origin only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid']),
      CallbackURLs: [`${CONSOLE_ORIGIN}/`],
      LogoutURLs: [`${CONSOLE_ORIGIN}/`],
      SupportedIdentityProviders: ['COGNITO'],
    });
    only(template, 'AWS::Cognito::UserPoolDomain');
  });

  it('lets the API answer CORS for that origin only', () => {
    // Every preflight maps the stage's variable, which holds the origin.
    expect(preflightOrigins(template)).toEqual(['stageVariables.consoleOrigin']);
    expect(only(template, 'AWS::ApiGateway::Stage').Properties.Variables).toEqual({
      consoleOrigin: CONSOLE_ORIGIN,
    });
  });

  it('serves the console on consoleOrigin’s domain with its certificate', () => {
    const config = only(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
      Aliases: string[];
      ViewerCertificate: Record<string, unknown>;
    };
    expect(config.Aliases).toEqual([new URL(CONSOLE_ORIGIN).hostname]);
    expect(config.ViewerCertificate).toMatchObject({
      AcmCertificateArn: CONSOLE_CERTIFICATE,
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    const plain = only(withDefaultDomain, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
      Aliases?: unknown;
    };
    expect(plain.Aliases).toBeUndefined();
  });

  it('uses the distribution’s own domain when no consoleOrigin is given', () => {
    const [cdn] = Object.keys(withDefaultDomain.findResources('AWS::CloudFront::Distribution'));
    const domain = { 'Fn::GetAtt': [cdn, 'DomainName'] };
    // CORS from the first deployment on: the API's stage holds the distribution's origin…
    expect(preflightOrigins(withDefaultDomain)).toEqual(['stageVariables.consoleOrigin']);
    expect(only(withDefaultDomain, 'AWS::ApiGateway::Stage').Properties.Variables).toEqual({
      consoleOrigin: { 'Fn::Join': ['', ['https://', domain]] },
    });
    // …while neither the API's definition nor a function it calls names the distribution: the
    // console's CSP names the API, and that would be a dependency cycle.
    const body = JSON.stringify(only(withDefaultDomain, 'AWS::ApiGateway::RestApi').Properties.Body);
    expect(body).not.toContain(String(cdn));
    const called = [...new Set([...body.matchAll(/"Fn::GetAtt":\["(\w+)","Arn"\]/g)].map(([, id]) => id))];
    const lambdas = withDefaultDomain.findResources('AWS::Lambda::Function');
    const functions = called.filter((id) => id && id in lambdas);
    expect(functions.length).toBeGreaterThan(10);
    for (const id of functions) {
      expect(JSON.stringify(lambdas[id as string]?.Properties.Environment), id).not.toContain(String(cdn));
    }
    const client = only(withDefaultDomain, 'AWS::Cognito::UserPoolClient').Properties;
    expect(JSON.stringify(client.CallbackURLs)).toMatch(/DomainName/);
  });
});
