import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnRoute,
  CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDef } from '../shared/http/routes.ts';
import type { EiaFunction } from './eia-function.ts';
import { type StageSettings, throttleFor } from './stage-settings.ts';

export interface ServiceApiProps {
  readonly settings: StageSettings;
  /** The whole API: every route of routes.ts, nothing else (so no /local/* route). */
  readonly routes: readonly RouteDef[];
  readonly functions: ReadonlyMap<string, EiaFunction>;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
}

/** One JSON line per request; `sub` ties a request to the caller, the errors say why one failed. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    sub: '$context.authorizer.claims.sub',
    authorizerError: '$context.authorizer.error',
    integrationError: '$context.integrationErrorMessage',
    userAgent: '$context.identity.userAgent',
  }),
);

/**
 * The HTTP API: the routes of `shared/http/routes.ts`, a Cognito JWT authorizer on every route
 * with `auth: true` and none on the public ones, CORS for the console, throttling and access logs.
 */
export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const { settings } = props;
    this.api = new HttpApi(this, 'Api', {
      apiName: `eia-${settings.stage}`,
      description: 'Liling EIA one-stop approval',
      createDefaultStage: false,
      ...(settings.consoleOrigin
        ? {
            corsPreflight: {
              allowOrigins: [settings.consoleOrigin],
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PUT,
                CorsHttpMethod.PATCH,
                CorsHttpMethod.DELETE,
              ],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
              exposeHeaders: [
                'etag',
                'location',
                'idempotent-replayed',
                'content-disposition',
                'x-next-cursor',
                'retry-after',
              ],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.userPool, {
      userPoolClients: [props.client],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const throttledRoutes: CfnRoute[] = [];
    for (const route of props.routes) {
      const fn = props.functions.get(route.fn);
      if (!fn) throw new Error(`no function ${route.fn} for ${route.method} ${route.path}`);
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, fn.fn);
        integrations.set(route.fn, integration);
      }
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.auth ? { authorizer } : {}),
      });
      const throttle = throttleFor(settings, route);
      if (added && throttle !== settings.throttle) {
        routeSettings[`${route.method} ${route.path}`] = {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        };
        throttledRoutes.push(added.node.defaultChild as CfnRoute);
      }
      if (!route.auth && added) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (docs/roles.md): anyone may read it without signing in.`,
        });
      }
    }
    // Route throttles are stage settings keyed by route key: CloudFormation refuses them ("Unable
    // to find Route by key") unless the routes exist first, hence the explicit dependencies.
    const cfnStage = this.stage.node.defaultChild;
    if (!(cfnStage instanceof CfnStage)) throw new Error('HttpStage without its CfnStage');
    cfnStage.routeSettings = routeSettings;
    for (const route of throttledRoutes) cfnStage.addResourceDependency(route);
  }

  get url(): string {
    return this.stage.url;
  }
}
