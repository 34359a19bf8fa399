import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { RouteDef } from '../shared/http/routes.ts';
import type { Limit, StageSettings } from './stage-settings.ts';

export interface ApiFirewallProps {
  readonly settings: StageSettings;
  /** The API's routes: the public write routes' paths come from here. */
  readonly routes: readonly RouteDef[];
  /** The REST API's stage: every request to it, by any host name, passes the web ACL first. */
  readonly stage: Stage;
  /** The console's origin: the 429 answers carry it, so the console can read them. */
  readonly consoleOrigin: string | undefined;
}

/** Where the problem types live (as in shared/http/respond.ts). */
const PROBLEM_BASE = 'https://eia.liling.gov.cn/problems/';

/** The routes anyone may call without a token (routes.ts `auth: false`). */
export function publicRoutes(routes: readonly RouteDef[]): RouteDef[] {
  return routes.filter((route) => !route.auth);
}

/** The routes anyone may POST to without a token: comments and hearing requests. */
export function publicWriteRoutes(routes: readonly RouteDef[]): RouteDef[] {
  return publicRoutes(routes).filter((route) => route.method === 'POST');
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One regular expression that matches the URI path of a request to any of these routes, as AWS
 * WAF sees it after URL-decoding and lower-casing (pathOf): with or without the stage's prefix
 * (`/api/…` on the execute-api host), doubled slashes, a trailing slash, a path parameter that
 * holds an encoded slash, and letters in any case.
 * It may match more than the route (a longer prefix): that only counts more requests, never fewer.
 */
export function routePathPattern(routes: readonly RouteDef[]): string {
  if (routes.length === 0) throw new Error('no routes to match');
  const one = (route: RouteDef) =>
    route.path
      .split('/')
      .filter(Boolean)
      .map((segment) => (/^\{\w+\}$/.test(segment) ? '.+' : escapeRegex(segment.toLowerCase())))
      .map((segment) => `/+${segment}`)
      .join('');
  return `(?:${routes.map(one).join('|')})/*$`;
}

const NONE = [{ priority: 0, type: 'NONE' }];
/** singleHeader is untyped in CDK: written as CloudFormation spells it. */
const header = (name: string) => ({ singleHeader: { Name: name } });
/** The request carries an Authorization header (whatever its value: the authorizer judges it). */
const hasToken: CfnWebACL.StatementProperty = {
  sizeConstraintStatement: {
    fieldToMatch: header('authorization'),
    comparisonOperator: 'GT',
    size: 0,
    textTransformations: NONE,
  },
};
/**
 * The request's method is this one, whatever its case: should API Gateway ever take `post` for
 * POST, a lower-case method must not leave the rules that count POSTs.
 */
const method = (name: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { method: {} },
    positionalConstraint: 'EXACTLY',
    searchString: name.toLowerCase(),
    textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
  },
});
/**
 * The request's path is one of these routes' (routePathPattern), on any host name; decoded once,
 * as API Gateway does, and lower-cased, so that no spelling of a route leaves the rule.
 */
const pathOf = (routes: readonly RouteDef[]): CfnWebACL.StatementProperty => ({
  regexMatchStatement: {
    fieldToMatch: { uriPath: {} },
    regexString: routePathPattern(routes),
    textTransformations: [
      { priority: 0, type: 'URL_DECODE' },
      { priority: 1, type: 'LOWERCASE' },
    ],
  },
});
/**
 * The token as a rate key: lower-cased and with runs of white space made one, so that
 * `Bearer x`, `bearer x` and `BEARER  x` (one token to the authorizer) are one key, not three.
 * Two real tokens never differ by case alone (their signatures would).
 */
export const TOKEN_KEY_TRANSFORMATIONS = [
  { priority: 0, type: 'LOWERCASE' },
  { priority: 1, type: 'COMPRESS_WHITE_SPACE' },
];
const not = (statement: CfnWebACL.StatementProperty): CfnWebACL.StatementProperty => ({
  notStatement: { statement },
});
const all = (...statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty => ({
  andStatement: { statements },
});
const anyOf = (...statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty => ({
  orStatement: { statements },
});

interface RateRule {
  readonly name: string;
  readonly limit: Limit;
  /** Per token (the Authorization header) or per source address. */
  readonly key: 'token' | 'address';
  /** Which requests the rule counts; undefined: all of them. */
  readonly scope?: CfnWebACL.StatementProperty;
  readonly problemType: string;
  readonly english: (limit: Limit) => string;
  readonly chinese: (limit: Limit) => string;
}

/** The rate-based rules, in the order WAF evaluates them (the first that blocks answers). */
export function rateRules(settings: StageSettings, routes: readonly RouteDef[]): RateRule[] {
  const limits = settings.callerLimits;
  return [
    {
      name: 'public-writes-per-address',
      limit: limits.publicWrites,
      key: 'address',
      // By method and path only: an Authorization header (made up or not) changes nothing.
      scope: all(method('POST'), pathOf(publicWriteRoutes(routes))),
      problemType: 'too-many-requests',
      english: (l) =>
        `Too many comments and hearing requests from this address: at most ${l.requests} in ${l.windowSeconds} seconds`,
      chinese: (l) => `此地址提交的意见和听证申请过多（每 ${l.windowSeconds} 秒最多 ${l.requests} 次）`,
    },
    {
      name: 'public-reads-per-address',
      limit: limits.publicReads,
      key: 'address',
      // Every request to a public route, by its path, whether or not it carries an Authorization
      // header (the routes have no authorizer, so a made-up one would otherwise leave this rule for
      // a fresh per-token key each time); and every other request without a token. Preflights are
      // answered by API Gateway itself; perAddress counts them.
      scope: all(not(method('OPTIONS')), anyOf(not(hasToken), pathOf(publicRoutes(routes)))),
      problemType: 'rate-limited',
      english: (l) =>
        `Too many requests to the public pages or without sign-in from this address: at most ${l.requests} in ${l.windowSeconds} seconds`,
      chinese: (l) =>
        `此地址对公开页面或未登录的请求过于频繁（每 ${l.windowSeconds} 秒最多 ${l.requests} 次）`,
    },
    {
      name: 'signed-in-writes-per-token',
      limit: limits.signedInWrites,
      key: 'token',
      scope: all(hasToken, not(anyOf(method('GET'), method('HEAD'), method('OPTIONS')))),
      problemType: 'rate-limited',
      english: (l) =>
        `Too many changes with this sign-in: at most ${l.requests} in ${l.windowSeconds} seconds`,
      chinese: (l) => `此登录提交的修改过于频繁（每 ${l.windowSeconds} 秒最多 ${l.requests} 次）`,
    },
    {
      name: 'signed-in-per-token',
      limit: limits.signedIn,
      key: 'token',
      scope: hasToken,
      problemType: 'rate-limited',
      english: (l) =>
        `Too many requests with this sign-in: at most ${l.requests} in ${l.windowSeconds} seconds`,
      chinese: (l) => `此登录的请求过于频繁（每 ${l.windowSeconds} 秒最多 ${l.requests} 次）`,
    },
    {
      name: 'all-per-address',
      limit: limits.perAddress,
      key: 'address',
      problemType: 'rate-limited',
      english: (l) =>
        `Too many requests from this address: at most ${l.requests} in ${l.windowSeconds} seconds`,
      chinese: (l) => `此地址的请求过于频繁（每 ${l.windowSeconds} 秒最多 ${l.requests} 次）`,
    },
  ];
}

/** The 429 body of a rule: a problem (RFC 9457) that names the limit, in English and Chinese. */
export function blockedBody(rule: RateRule): string {
  const { windowSeconds } = rule.limit;
  return JSON.stringify({
    type: `${PROBLEM_BASE}${rule.problemType}`,
    title: 'Too many requests',
    status: 429,
    detail: `${rule.english(rule.limit)}; try again in ${windowSeconds} seconds. ${rule.chinese(rule.limit)}，请 ${windowSeconds} 秒后再试。`,
  });
}

/**
 * The API's firewall: a regional AWS WAF web ACL on the REST API's stage, so that it sees every
 * request before API Gateway authorizes it or runs a function, whichever host name it came by.
 * Rate-based rules hold each caller (a token; an address for the public routes, whatever header it
 * sends, and for anything without a token) to settings.callerLimits
 * and answer 429 problem+json with Retry-After; anything else is allowed. Blocked requests are
 * logged (the Authorization header redacted) to a log group of their own.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly association: CfnWebACLAssociation;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const { settings, routes, stage, consoleOrigin } = props;
    const metricPrefix = `eia-${settings.stage}`;
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${metricPrefix}-${name}`,
      sampledRequestsEnabled: true,
    });
    const rules = rateRules(settings, routes);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `eia-${settings.stage}-api`,
      description: `eia ${settings.stage}: per-caller limits of the API`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      customResponseBodies: Object.fromEntries(
        rules.map((rule) => [rule.name, { contentType: 'APPLICATION_JSON', content: blockedBody(rule) }]),
      ),
      rules: rules.map((rule, priority) => ({
        name: rule.name,
        priority,
        action: {
          block: {
            customResponse: {
              responseCode: 429,
              customResponseBodyKey: rule.name,
              responseHeaders: [
                { name: 'Retry-After', value: String(rule.limit.windowSeconds) },
                { name: 'Cache-Control', value: 'no-store' },
                ...(consoleOrigin === undefined
                  ? []
                  : [
                      { name: 'Access-Control-Allow-Origin', value: consoleOrigin },
                      { name: 'Access-Control-Expose-Headers', value: 'retry-after' },
                      { name: 'Vary', value: 'Origin' },
                    ]),
              ],
            },
          },
        },
        statement: {
          rateBasedStatement: {
            limit: rule.limit.requests,
            evaluationWindowSec: rule.limit.windowSeconds,
            ...(rule.key === 'token'
              ? {
                  aggregateKeyType: 'CUSTOM_KEYS',
                  customKeys: [
                    { header: { name: 'authorization', textTransformations: TOKEN_KEY_TRANSFORMATIONS } },
                  ],
                }
              : { aggregateKeyType: 'IP' }),
            ...(rule.scope ? { scopeDownStatement: rule.scope } : {}),
          },
        },
        visibilityConfig: visibility(rule.name),
      })),
    });

    this.association = new CfnWebACLAssociation(this, 'Association', {
      resourceArn: stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    // The stage's ARN is built from its name: without this, CloudFormation could associate first.
    this.association.node.addDependency(stage);

    // WAF writes only to log groups named aws-waf-logs-…; only blocked requests are kept.
    this.logs = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-eia-${settings.stage}-api`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logs.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [header('authorization')],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }],
          },
        ],
      },
    });
  }
}
