import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CERTIFICATE, CONSOLE_ORIGIN, synthesize } from './synth.ts';

/** The console in AWS: private bucket, CloudFront with OAC and HTTPS only, headers, Cognito code + PKCE. */
const { templates } = synthesize();
const template = templates.stateless;
const withDefaultDomain = synthesize({
  context: { consoleOrigin: undefined, consoleCertificateArn: undefined },
}).templates.stateless;

type Resource = { Type: string; Properties: Record<string, unknown> };
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
    expect(Object.keys(buckets)).toHaveLength(1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
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
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.execute-api\..*https:\/\/\*\.auth\./);
    expect(csp).toContain('amazoncognito.com');
    // The presigned URLs' host: the documents bucket by name, in the stack's region.
    expect(csp).toMatch(
      / https:\/\/",\{"Fn::ImportValue":"[^"]*DocumentsBucket[^"]*"\},"\.s3\.",\{"Ref":"AWS::Region"\}/,
    );
  });

  it('uploads the built console and a console-config.json naming the API, the hosted UI and the client', () => {
    const deployment = only(template, 'Custom::CDKBucketDeployment').Properties;
    expect(deployment.DistributionPaths).toEqual(['/*']);
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    // console-config.json's values, resolved at deploy time: the API, the hosted UI, the client.
    const refs = JSON.stringify(deployment.SourceMarkers);
    const [api] = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'));
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
    const api = only(template, 'AWS::ApiGatewayV2::Api').Properties;
    expect((api.CorsConfiguration as { AllowOrigins: unknown }).AllowOrigins).toEqual([CONSOLE_ORIGIN]);
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
    const api = only(withDefaultDomain, 'AWS::ApiGatewayV2::Api').Properties;
    const [origin] = (api.CorsConfiguration as { AllowOrigins: unknown[] }).AllowOrigins;
    expect(JSON.stringify(origin)).toMatch(/https:\/\/.*DomainName/);
    const client = only(withDefaultDomain, 'AWS::Cognito::UserPoolClient').Properties;
    expect(JSON.stringify(client.CallbackURLs)).toMatch(/DomainName/);
  });
});
