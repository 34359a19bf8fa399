import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  AssetHashType,
  Aws,
  DockerImage,
  Duration,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
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
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
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
  /** The API's URL, e.g. `https://abc.execute-api.region.amazonaws.com/api`. */
  readonly apiUrl: string;
  /** The API's host alone (`abc.execute-api.region.amazonaws.com`); by default apiUrl's host. */
  readonly apiDomain?: string;
  /** The Cognito hosted UI, `https://<prefix>.auth.<region>.amazoncognito.com` (profile global). */
  readonly cognitoDomain?: string;
  /** The Cognito client's id (profile global). */
  readonly clientId?: string;
  /**
   * The bureau's OpenID Connect provider (profile china), instead of the hosted UI: its issuer, the
   * console's client id there, and the claims that carry roles, organisation code and name.
   */
  readonly oidc?: {
    readonly issuer: string;
    readonly clientId: string;
    readonly claims: { readonly roles: string; readonly org: string; readonly name: string };
  };
}

/**
 * The console's `console-config.json`: `cognito` (the hosted UI, profile global) or `oidc` (the
 * bureau's OpenID Connect provider, found by its issuer's discovery document; profile china).
 */
export function consoleConfig(props: WebConsoleDeployment, origin: string): Record<string, unknown> {
  if (props.oidc) {
    return {
      mode: 'oidc',
      apiUrl: props.apiUrl,
      issuer: props.oidc.issuer,
      clientId: props.oidc.clientId,
      redirectUri: `${origin}/`,
      claims: props.oidc.claims,
    };
  }
  if (props.cognitoDomain === undefined || props.clientId === undefined) {
    throw new Error('the console needs the hosted UI and the client id, or an OpenID Connect provider');
  }
  return {
    mode: 'cognito',
    apiUrl: props.apiUrl,
    cognitoDomain: props.cognitoDomain,
    clientId: props.clientId,
    redirectUri: `${origin}/`,
  };
}

/** The hosts the console may reach besides its own origin; each one exact, none by pattern. */
export interface ConsoleHosts {
  /** The documents bucket's name: the host of its presigned URLs. */
  readonly documentsBucket?: string;
  /** The API's host. */
  readonly apiDomain?: string;
  /** Where the console signs in: the hosted UI's origin, or the OpenID Connect issuer's, `https://…`. */
  readonly cognitoOrigin?: string;
}

/**
 * The web console in AWS: its files in a private S3 bucket that only CloudFront may read (origin
 * access control), served over HTTPS only with security headers, every request recorded in
 * CloudFront's standard logs. `deploy()` uploads web/dist, built by Vite at synth time (no
 * Docker), and the console's `console-config.json`, and names the API and the hosted UI in the CSP.
 */
export class WebConsole extends Construct {
  readonly bucket: Bucket;
  /** CloudFront's standard logs of the distribution, under `console/`. */
  readonly logs: Bucket;
  readonly distribution: Distribution;
  /** `https://…`: where the console runs; the API's CORS and Cognito's callback allow only it. */
  readonly origin: string;
  private readonly headers: ResponseHeadersPolicy;
  /** Filled by deploy(): the CSP is read at synth time, after the API and the hosted UI exist. */
  private hosts: ConsoleHosts;

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
        'The bucket holds only the public build of the console, written by the deployment; reads go through CloudFront only (origin access control), and its standard logs (the Logs bucket) record each one.',
    });

    // CloudFront's standard logs (the legacy kind, configured on the distribution): delivered by
    // CloudFront's log account through an ACL grant CloudFront adds to this bucket, so the bucket
    // accepts ACLs (objects still become the bucket owner's) and uses S3-managed encryption
    // (SSE-KMS would need CloudFront's log delivery in the key policy). Kept as long as the stage's logs.
    this.logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-standard-logs',
          ...(settings.logRetention === RetentionDays.INFINITE
            ? {}
            : { expiration: Duration.days(settings.logRetention) }),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Kept when the stack goes, in every stage: CloudFormation cannot delete a bucket that holds
      // objects, and a stage's last logs are worth keeping anyway; the bucket empties itself as they
      // expire (the documents bucket's access-log bucket does the same).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket is the console distribution's standard log destination, written only by CloudFront's log delivery; logging its own writes would log the logs.",
    });

    this.hosts = { ...(props.documentsBucket ? { documentsBucket: props.documentsBucket } : {}) };

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
          contentSecurityPolicy: Lazy.string({ produce: () => contentSecurityPolicy(this.hosts) }),
          override: true,
        },
      },
    });

    // The China regions: CloudFront serves only the bureau's own (ICP-filed) domain, with a
    // certificate from the IAM certificate store (no ACM there), and reads S3 with an origin access
    // identity (no origin access control there).
    const china = settings.profile === 'china';
    if (china && (settings.consoleOrigin === undefined || settings.consoleCertificateId === undefined)) {
      throw new Error(
        'profile china serves the console from CloudFront only on its own domain: -c consoleOrigin and -c consoleCertificateId',
      );
    }
    this.distribution = new Distribution(this, 'Cdn', {
      comment: `eia ${settings.stage} web console`,
      // The bureau's own domain, when given, with its certificate (point its DNS at the distribution).
      ...(!china && settings.consoleOrigin && settings.consoleCertificateArn
        ? {
            domainNames: [new URL(settings.consoleOrigin).hostname],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.consoleCertificateArn),
            // Only with a certificate of our own: the default one's policy is fixed by CloudFront.
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logs as IBucket,
      logFilePrefix: 'console/',
      defaultRootObject: 'index.html',
      httpVersion: china ? HttpVersion.HTTP2 : HttpVersion.HTTP2_AND_3,
      ...(china ? {} : { priceClass: PriceClass.PRICE_CLASS_200 }),
      defaultBehavior: {
        origin: china
          ? S3BucketOrigin.withOriginAccessIdentity(this.bucket as IBucket)
          : S3BucketOrigin.withOriginAccessControl(this.bucket as IBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
    });
    if (china && settings.consoleOrigin && settings.consoleCertificateId) {
      // The L2 construct takes an ACM certificate only: the alias and the IAM certificate are set on
      // the distribution's configuration itself.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [new URL(settings.consoleOrigin).hostname]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: settings.consoleCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      });
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR7',
        reason:
          'CloudFront in the AWS China regions offers no origin access control: the console bucket is read through an origin access identity, the only other way to keep the bucket private to the distribution.',
      });
    }
    this.origin = settings.consoleOrigin ?? `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Applicants and the public reach the console from anywhere; what is not public is guarded by sign-in, not by geography.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: `The distribution serves the console's static files only, GET and HEAD from the cache: nothing to inject into, and CloudFront${china ? '' : ' (with AWS Shield Standard)'} absorbs floods of reads. The API the console calls is a separate origin with its own regional WAF web ACL and rate-based rules (infra/api-firewall.ts).`,
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: china
        ? "The distribution's viewer certificate is the bureau's IAM server certificate with minimum protocol TLSv1.2_2021, set on its configuration directly (the construct takes ACM certificates only, which CloudFront in the China regions does not), where the check does not read it."
        : 'With the default *.cloudfront.net certificate CloudFront fixes the viewer TLS policy itself (TLSv1 allowed); minimumProtocolVersion TLSv1.2_2021 applies once consoleOrigin brings its own certificate.',
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
        Source.jsonData('console-config.json', consoleConfig(props, this.origin)),
      ],
    });
    acknowledgeDeploymentHandler(Stack.of(this), this.bucket);
    this.hosts = {
      ...this.hosts,
      // `https://host/stage`: the third part split on '/' is the host.
      apiDomain: props.apiDomain ?? Fn.select(2, Fn.split('/', props.apiUrl)),
      ...(props.oidc
        ? { cognitoOrigin: new URL(props.oidc.issuer).origin }
        : props.cognitoDomain
          ? { cognitoOrigin: props.cognitoDomain }
          : {}),
    };
    return deployment;
  }
}

/**
 * The console talks to the API, the hosted UI and the documents bucket only, each named exactly:
 * the REST API by its id (the RestApi and its functions depend on nothing of the console's: the
 * console's origin reaches CORS as the API stage's variable, so the distribution may depend on
 * the API), the hosted UI by its domain, the bucket (the stateful stack's) as the host of its
 * presigned URLs (virtual-hosted). A host not known (no hosted UI, the console not deployed) is
 * left out, never replaced by a pattern.
 */
export function contentSecurityPolicy(hosts: ConsoleHosts = {}): string {
  const api = hosts.apiDomain ? ` https://${hosts.apiDomain}` : '';
  const cognito = hosts.cognitoOrigin ? ` ${hosts.cognitoOrigin}` : '';
  const files = hosts.documentsBucket
    ? ` https://${hosts.documentsBucket}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`
    : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${api}${cognito}${files}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${cognito}`,
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
