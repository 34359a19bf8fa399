import { Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiDefinition,
  EndpointType,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  SpecRestApi,
  type Stage,
} from 'aws-cdk-lib/aws-apigateway';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { RouteDef } from '../shared/http/routes.ts';
import { ApiFirewall } from './api-firewall.ts';
import type { EiaFunction } from './eia-function.ts';
import { type StageSettings, throttleFor } from './stage-settings.ts';

/** The REST API's one stage: its URLs are https://{api}.execute-api.{region}.{suffix}/api/… */
export const API_STAGE = 'api';

export interface ServiceApiProps {
  readonly settings: StageSettings;
  /** The whole API: every route of routes.ts, nothing else (so no /local/* route). */
  readonly routes: readonly RouteDef[];
  readonly functions: ReadonlyMap<string, EiaFunction>;
  /**
   * Who checks the tokens of the routes with `auth: true`, one of: Cognito's user pool (profile
   * global), whose one client, the console's, has the ID tokens the authorizer takes; or the Lambda
   * TOKEN authorizer that verifies the bureau's OpenID Connect tokens (profile china, where API
   * Gateway has no Cognito authorizer; functions/authorizer).
   */
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  readonly authorizer?: EiaFunction;
  /**
   * The console's origin (`https://…`; its own domain or its distribution's, a token then). It goes
   * into the stage's variable `consoleOrigin` and the firewall's 429s, never into the API's
   * definition: the console's Content-Security-Policy names this API, so the API (and the functions
   * it calls) cannot depend on the console's distribution; the stage may. Without it (a check of
   * the templates only: the deployment is refused) the API allows no browser origin.
   */
  readonly consoleOrigin?: string;
}

/**
 * One JSON line per request; `sub` ties a request to the caller (the Cognito authorizer's claim, or
 * the principal the Lambda authorizer returned: the token's subject), the errors say why one failed.
 */
const accessLogFormat = (sub: string) =>
  AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      time: '$context.requestTime',
      ip: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      routeKey: '$context.httpMethod $context.resourcePath',
      path: '$context.path',
      status: '$context.status',
      responseLength: '$context.responseLength',
      latencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integrationLatency',
      sub,
      authorizerError: '$context.authorizer.error',
      integrationError: '$context.integrationErrorMessage',
      gatewayError: '$context.error.responseType',
      waf: '$context.wafResponseCode',
      wafError: '$context.waf.error',
      userAgent: '$context.identity.userAgent',
    }),
  );

/** The stage variable that holds the console's origin (read by shared/http/cors.ts too). */
export const CONSOLE_ORIGIN_VARIABLE = 'consoleOrigin';
/**
 * A header's value taken from that stage variable: a mapping expression (no quotes), which API
 * Gateway resolves per request, where a quoted value would be a literal.
 */
const ORIGIN_FROM_STAGE = `stageVariables.${CONSOLE_ORIGIN_VARIABLE}`;

/** The headers the console may send, and those of the answers it may read (as the local server). */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match'];
export const CORS_EXPOSE_HEADERS = [
  'etag',
  'location',
  'idempotent-replayed',
  'content-disposition',
  'x-next-cursor',
  'retry-after',
];
const CORS_MAX_AGE_SECONDS = 3600;

const PROBLEM_BASE = 'https://eia.liling.gov.cn/problems/';
/** The name of the Cognito security scheme in the API's definition. */
export const COGNITO_SCHEME = 'cognito';
/** The name of the Lambda authorizer's security scheme (profile china). */
export const OIDC_SCHEME = 'oidc';
/** How long API Gateway keeps the Lambda authorizer's answer for one token, in seconds. */
export const AUTHORIZER_TTL_SECONDS = 300;

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));

/**
 * A gateway response: what API Gateway answers itself (no token, no such route, throttled, an
 * integration failure), as application/problem+json in the API's style, readable by the console.
 */
function gatewayResponse(answer: {
  status?: number;
  type: string;
  title: string;
  detail: string;
  headers?: Record<string, string>;
}) {
  const body = [
    `"type":"${answer.type.startsWith('about:') ? answer.type : `${PROBLEM_BASE}${answer.type}`}"`,
    `"title":"${answer.title}"`,
    ...(answer.status ? [`"status":${answer.status}`] : []),
    `"detail":${answer.detail}`,
  ].join(',');
  const headers: Record<string, string> = {
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS.join(','),
    Vary: 'Origin',
    'Cache-Control': 'no-store',
    'Content-Type': 'application/problem+json',
    ...answer.headers,
  };
  return {
    ...(answer.status ? { statusCode: String(answer.status) } : {}),
    responseParameters: {
      'gatewayresponse.header.Access-Control-Allow-Origin': ORIGIN_FROM_STAGE,
      ...Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`]),
      ),
    },
    responseTemplates: { 'application/json': `{${body}}` },
  };
}

/** The one way the API checks tokens: Cognito's user pool or the Lambda authorizer, never both. */
function signInOf(
  props: ServiceApiProps,
): { readonly userPool: UserPool } | { readonly authorizer: EiaFunction } {
  if (props.authorizer && props.userPool) {
    throw new Error('the API takes either a user pool or a Lambda authorizer, not both');
  }
  if (props.authorizer) return { authorizer: props.authorizer };
  if (props.userPool) return { userPool: props.userPool };
  throw new Error('the API needs a user pool (profile global) or a Lambda authorizer (profile china)');
}

/** A text as a JSON string literal, for a gateway response's template. */
const text = (value: string) => JSON.stringify(value);

/**
 * The API: an API Gateway REST API (regional) made from an OpenAPI definition built from
 * `shared/http/routes.ts` — one method per route with a Lambda proxy integration (payload 1.0;
 * shared/http/rest-event.ts gives the functions their usual event), Cognito's authorizer on every
 * route with `auth: true` and none on the public ones, a CORS preflight per path for the console,
 * and the gateway's own answers as problem+json. One stage, `api`: throttled (stage and method
 * throttles, all callers together), JSON access logs, and the firewall (infra/api-firewall.ts)
 * that holds each caller to its limits before anything else runs. A definition rather than a
 * resource and a method per path: the stack stays under CloudFormation's 500 resources.
 */
export class ServiceApi extends Construct {
  readonly api: SpecRestApi;
  readonly stage: Stage;
  readonly accessLogs: LogGroup;
  readonly firewall: CfnWebACL;
  readonly firewallConstruct: ApiFirewall;
  /** The OpenAPI definition API Gateway imports (with CloudFormation tokens in it). */
  readonly definition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const { settings } = props;
    const signIn = signInOf(props);
    const { partition, region } = Stack.of(this);
    const lambdaUri = (functionArn: string) =>
      `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
    const scheme = 'authorizer' in signIn ? OIDC_SCHEME : COGNITO_SCHEME;

    const methodsOf = (path: string) => [
      ...props.routes.filter((r) => r.path === path).map((r) => r.method),
      'OPTIONS',
    ];
    const preflight = (path: string) => ({
      summary: 'CORS preflight of the console',
      parameters: pathParameters(path),
      responses: {
        '204': {
          description: 'The console may send the request',
          headers: Object.fromEntries(
            ['Allow-Origin', 'Allow-Methods', 'Allow-Headers', 'Max-Age', 'Expose-Headers'].map((h) => [
              `Access-Control-${h}`,
              { schema: { type: 'string' } },
            ]),
          ),
        },
      },
      'x-amazon-apigateway-integration': {
        type: 'mock',
        passthroughBehavior: 'when_no_match',
        requestTemplates: { 'application/json': '{"statusCode": 204}' },
        responses: {
          default: {
            statusCode: '204',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': ORIGIN_FROM_STAGE,
              'method.response.header.Access-Control-Allow-Methods': `'${methodsOf(path).join(',')}'`,
              'method.response.header.Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS.join(',')}'`,
              'method.response.header.Access-Control-Max-Age': `'${CORS_MAX_AGE_SECONDS}'`,
              'method.response.header.Access-Control-Expose-Headers': `'${CORS_EXPOSE_HEADERS.join(',')}'`,
            },
          },
        },
      },
    });

    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of props.routes) {
      const fn = props.functions.get(route.fn);
      if (!fn) throw new Error(`no function ${route.fn} for ${route.method} ${route.path}`);
      paths[route.path] ??= { options: preflight(route.path) };
      const operations = paths[route.path] as Record<string, unknown>;
      if (operations[route.method.toLowerCase()]) throw new Error(`${route.method} ${route.path} twice`);
      operations[route.method.toLowerCase()] = {
        operationId: route.fn,
        parameters: pathParameters(route.path),
        // Public routes: no authorizer (docs/roles.md); the firewall holds each address to its limits.
        security: route.auth ? [{ [scheme]: [] }] : [],
        responses: {},
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: lambdaUri(fn.fn.functionArn),
          passthroughBehavior: 'when_no_match',
        },
      };
    }

    this.definition = {
      openapi: '3.0.1',
      info: { title: `eia-${settings.stage}`, version: '1' },
      paths,
      components: {
        securitySchemes: {
          [scheme]: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            ...('authorizer' in signIn
              ? {
                  // The bureau's OpenID Connect token, verified by functions/authorizer; its answer
                  // (the caller's identity, and a policy for the whole stage) is kept per token.
                  'x-amazon-apigateway-authtype': 'custom',
                  'x-amazon-apigateway-authorizer': {
                    type: 'token',
                    authorizerUri: lambdaUri(signIn.authorizer.fn.functionArn),
                    identitySource: 'method.request.header.Authorization',
                    authorizerResultTtlInSeconds: AUTHORIZER_TTL_SECONDS,
                  },
                }
              : {
                  'x-amazon-apigateway-authtype': 'cognito_user_pools',
                  // The console's ID token: the pool has one client, the console's.
                  'x-amazon-apigateway-authorizer': {
                    type: 'cognito_user_pools',
                    providerARNs: [signIn.userPool.userPoolArn],
                  },
                }),
          },
        },
      },
      'x-amazon-apigateway-gateway-responses': {
        UNAUTHORIZED: gatewayResponse({
          status: 401,
          type: 'unauthorized',
          title: 'Unauthorized',
          detail: text(
            'Sign in again: the request has no token, or one the API does not accept (expired or not this service’s). 请重新登录。',
          ),
          headers: { 'WWW-Authenticate': 'Bearer' },
        }),
        // REST APIs answer 403 "Missing Authentication Token" for a path or method they lack.
        MISSING_AUTHENTICATION_TOKEN: gatewayResponse({
          status: 404,
          type: 'not-found',
          title: 'Not found',
          detail: text('The API has no such route: check the method and the path. 没有此接口。'),
        }),
        THROTTLED: gatewayResponse({
          status: 429,
          type: 'rate-limited',
          title: 'Too many requests',
          detail: text(
            'The API is taking too many requests from everyone at once; try again in a second. 系统繁忙，请稍后再试。',
          ),
          headers: { 'Retry-After': '1' },
        }),
        // The firewall's rules answer with their own 429; this is for any other block it makes.
        WAF_FILTERED: gatewayResponse({
          status: 429,
          type: 'rate-limited',
          title: 'Too many requests',
          detail: text(
            'Too many requests from this caller; try again in a minute. 请求过于频繁，请稍后再试。',
          ),
          headers: { 'Retry-After': '60' },
        }),
        DEFAULT_4XX: gatewayResponse({
          type: 'about:blank',
          title: 'Refused by the API gateway',
          detail: '$context.error.messageString',
        }),
        DEFAULT_5XX: gatewayResponse({
          type: 'unavailable',
          title: 'Service unavailable',
          detail: '$context.error.messageString',
        }),
      },
    };

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    const methodOptions: Record<string, MethodDeploymentOptions> = {};
    for (const route of props.routes) {
      const throttle = throttleFor(settings, route);
      if (throttle === settings.throttle) continue;
      methodOptions[`${route.path}/${route.method}`] = {
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
      };
    }
    this.api = new SpecRestApi(this, 'Api', {
      restApiName: `eia-${settings.stage}`,
      description: 'Liling EIA one-stop approval',
      apiDefinition: ApiDefinition.fromInline(this.definition),
      endpointTypes: [EndpointType.REGIONAL],
      // A REST stage writes its access log only with API Gateway's account-wide CloudWatch role set
      // (one per account and region, AWS::ApiGateway::Account); a fresh account has none, and the
      // deployment would fail. The role is kept when the stack goes: other APIs may rely on it.
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: settings.throttle.rateLimit,
        throttlingBurstLimit: settings.throttle.burstLimit,
        methodOptions,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(
          'authorizer' in signIn ? '$context.authorizer.principalId' : '$context.authorizer.claims.sub',
        ),
        // The CORS origin of the preflights, the gateway's answers and the functions' answers.
        variables: props.consoleOrigin ? { [CONSOLE_ORIGIN_VARIABLE]: props.consoleOrigin } : {},
      },
    });
    // A new deployment whenever the definition changes; otherwise the stage keeps serving the old.
    this.api.latestDeployment?.addToLogicalId(this.definition);
    this.stage = this.api.deploymentStage;

    // One permission per function, for any method of this stage (no test invocations).
    const principal = new ServicePrincipal('apigateway.amazonaws.com');
    const sourceArn = this.api.arnForExecuteApi('*', '/*', API_STAGE);
    const invoked = new Set(props.routes.map((r) => props.functions.get(r.fn)?.fn));
    for (const fn of invoked) fn?.addPermission('ApiInvoke', { principal, sourceArn });
    if ('authorizer' in signIn) {
      // API Gateway calls the authorizer for this API's authorizers only.
      signIn.authorizer.fn.addPermission('ApiAuthorizer', {
        principal,
        sourceArn: Stack.of(this).formatArn({
          service: 'execute-api',
          resource: this.api.restApiId,
          resourceName: 'authorizers/*',
        }),
      });
    }

    this.firewallConstruct = new ApiFirewall(this, 'Firewall', {
      settings,
      routes: props.routes,
      stage: this.stage,
      consoleOrigin: props.consoleOrigin,
    });
    this.firewall = this.firewallConstruct.webAcl;

    const restApi = this.api.node.defaultChild;
    if (restApi) {
      Validations.of(restApi as Construct).acknowledge({
        id: 'AwsSolutions-APIG2',
        reason:
          'Every function validates its path parameters, query and body itself (zod) and answers 400 problem+json naming each field; a gateway validator would answer first, in its own format, without the field.',
      });
    }
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        "Every request is in the JSON access log (status, caller, authorizer, integration and firewall errors); execution logs would add each request's details (headers, bodies: personal data) to CloudWatch, which the access log deliberately leaves out.",
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-wide logging role: the AWS managed policy is the one API Gateway documents for it, and only API Gateway can assume the role.",
      });
    }
  }

  /** The API's base URL, with the stage and a trailing slash: https://{id}.execute-api.{region}.{suffix}/api/ */
  get url(): string {
    return this.api.url;
  }

  /** The API's host name (for the console's Content-Security-Policy). */
  get domain(): string {
    const { region, urlSuffix } = Stack.of(this);
    return `${this.api.restApiId}.execute-api.${region}.${urlSuffix}`;
  }

  /** The base URL the console puts routes after (`${apiUrl}/applications`): no trailing slash. */
  get consoleApiUrl(): string {
    return `https://${this.domain}/${API_STAGE}`;
  }
}
