import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, Aws, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { StageSettings } from './stage-settings.ts';

const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

export interface WebConsoleDeployment {
  /** The HTTP API's URL, e.g. `https://abc.execute-api.region.amazonaws.com`. */
  readonly apiUrl: string;
  /** The Cognito hosted UI, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly cognitoDomain: string;
  readonly clientId: string;
}

/**
 * The web console in AWS: its files in a private S3 bucket that only CloudFront may read (origin
 * access control), served over HTTPS only with security headers. `deploy()` uploads web/dist,
 * built by Vite at synth time (no Docker), and the console's `console-config.json`.
 */
export class WebConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://…`: where the console runs; the API's CORS and Cognito's callback allow only it. */
  readonly origin: string;
  private readonly headers: ResponseHeadersPolicy;

  constructor(
    scope: Construct,
    id: string,
    /** `documentsBucket`: the bucket's name; the console PUTs and GETs its presigned URLs. */
    props: { settings: StageSettings; documentsBucket?: string },
  ) {
    super(scope, id);
    const { settings } = props;
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Nothing here that a new deployment cannot put back.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of the console, written by the deployment; reads go through CloudFront, whose standard logs record them.',
    });

    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `eia ${settings.stage} console: CSP, HSTS and the usual hardening headers`,
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.documentsBucket),
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: `eia ${settings.stage} web console`,
      // The bureau's own domain, when given, with its certificate (point its DNS at the distribution).
      ...(settings.consoleOrigin && settings.consoleCertificateArn
        ? {
            domainNames: [new URL(settings.consoleOrigin).hostname],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.consoleCertificateArn),
            // Only with a certificate of our own: the default one's policy is fixed by CloudFront.
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket as IBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
    });
    this.origin = settings.consoleOrigin ?? `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Applicants and the public reach the console from anywhere; sign-in, not geography, guards it.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only, GET and HEAD: nothing to inject into. The API behind it has its own throttling; a WAF web ACL can be attached per stage when the bureau buys one.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Reads of public static files; every API call the console makes is logged by API Gateway access logs and the audit trail.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'With the default *.cloudfront.net certificate CloudFront fixes the viewer TLS policy itself (TLSv1 allowed); minimumProtocolVersion TLSv1.2_2021 applies once consoleOrigin brings its own certificate.',
    });
  }

  /** Uploads the console (built now, by Vite) and its settings. */
  deploy(props: WebConsoleDeployment): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Upload', {
      destinationBucket: this.bucket as IBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 256,
      sources: [
        Source.asset(WEB_ROOT, {
          assetHashType: AssetHashType.SOURCE,
          exclude: ['dist', 'screenshots', '.build-*', '*.md'],
          bundling: {
            // Only used if the local build below fails; Vite needs nothing but Node.js.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
            local: { tryBundle: (outputDir) => viteBuild(outputDir) },
          },
        }),
        Source.jsonData('console-config.json', {
          mode: 'cognito',
          apiUrl: props.apiUrl,
          cognitoDomain: props.cognitoDomain,
          clientId: props.clientId,
          redirectUri: `${this.origin}/`,
        }),
      ],
    });
    acknowledgeDeploymentHandler(Stack.of(this), this.bucket);
    return deployment;
  }
}

/**
 * The console talks to the API, the hosted UI and the documents bucket only. The first two are
 * named by pattern (the region's API Gateway and Cognito domains), not by id: the API's CORS names
 * the distribution's domain, so naming the API here would make the two depend on each other. The
 * bucket is the stateful stack's, named exactly: the host of its presigned URLs (virtual-hosted).
 */
export function contentSecurityPolicy(documentsBucket?: string): string {
  const api = `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  const cognito = `https://*.auth.${Aws.REGION}.amazoncognito.com`;
  const files = documentsBucket ? ` https://${documentsBucket}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${api} ${cognito}${files}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${cognito}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `vite build` into CDK's output folder, synchronously (bundling is synchronous). */
function viteBuild(outputDir: string): boolean {
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [vite, 'build', WEB_ROOT, '--outDir', outputDir, '--emptyOutDir'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return result.status === 0;
}

/**
 * BucketDeployment's handler is one singleton function per stack, outside this construct: its
 * findings are acknowledged where it lives, with why they are acceptable for a deploy-time copy.
 */
function acknowledgeDeploymentHandler(stack: Stack, bucket: Bucket): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  const validations = Validations.of(handler);
  validations.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's BucketDeployment handler runs only during deployments and uses AWSLambdaBasicExecutionRole for its own logs.",
  });
  // What BucketDeployment grants its handler: read the asset, replace the console's objects,
  // invalidate the distribution (CloudFront invalidation takes no resource-level permission).
  const copy =
    "CDK's BucketDeployment handler copies every object of the built console from the CDK asset bucket into the console bucket, deletes stale ones and invalidates the distribution; it runs only during deployments.";
  for (const finding of [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
    `Resource::<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
    'Resource::*',
  ]) {
    validations.acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: copy });
  }
  validations.acknowledge({
    id: 'AwsSolutions-L1',
    reason: "The runtime of CDK's BucketDeployment handler is set by aws-cdk-lib and upgraded with it.",
  });
}
