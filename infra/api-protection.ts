import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  Cors,
  LogGroupLogDestination,
  MockIntegration,
  PassthroughBehavior,
  type IResource,
  type RestApi,
  type StageOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { disallowedOriginStatement, FORBIDDEN_ORIGIN_BODY, originsRegex, type StringOps } from './origin-rule';

/** CloudFormation's join and split, for the stack parameter of allowed origins (known only at deploy time). */
const cloudFormationStrings: StringOps = {
  join: (separator, parts) => Fn.join(separator, parts),
  split: (separator, text) => Fn.split(separator, text),
};

/**
 * The API's protections around the handlers: who may call it from a browser (CORS), what it logs
 * (access logs), and what never reaches it (the web ACL).
 *
 * CORS. The stack parameter `AllowedOrigins` (comma-separated origins, no path; default the local
 * origins), with the web app's own origin after it (`allowedOriginsWith`), is the one list of browser
 * origins the API answers cross-origin, in three places:
 * - the preflight (an OPTIONS mock per resource, `addPreflights`) answers
 *   `Access-Control-Allow-Origin` with the request's Origin when the list holds it;
 * - the handlers' answers (functions/lib/http.ts) do the same, from `ALLOWED_ORIGINS`, which the
 *   stack sets on every API function to this parameter;
 * - API Gateway's own refusals (401, 403, 404, 413, 429: `gatewayResponseCorsHeaders`) echo the
 *   request's Origin. A gateway response cannot compare (its templates are not run through VTL),
 *   so the web ACL does it first: a request whose Origin is neither an allowed origin nor the API's
 *   own (its task pages post their forms to it) is blocked there, 403 (infra/origin-rule.ts, the
 *   one definition of that rule, which the local gateway applies too). Whatever Origin reaches API
 *   Gateway is therefore one it may echo.
 */

/** What a browser at the local API (`npm start`) is: the parameter's default. */
export const LOCAL_ORIGINS = 'http://127.0.0.1:3000,http://localhost:3000';
/** Origins are scheme://host[:port], lower case, no path: also what keeps them safe inside the VTL and the regex below. */
const ORIGIN = 'https?://[a-z0-9.-]+(:[0-9]{1,5})?';
/** Requests per IP address in any 5 minutes before the web ACL answers 429 (a unit's whole session is far fewer). */
export const REQUESTS_PER_IP_PER_5_MIN = 1000;
/**
 * Bodies from this size are refused by the web ACL (413), well below Lambda's 6 MB synchronous
 * payload (above which API Gateway would answer 5xx). An application form is at most 250 KB (the
 * handlers refuse more with the field details); files go to S3 by presigned URL, never through the API.
 */
export const MAX_BODY_BYTES = 1_000_000;
/** How long API access logs are kept (who called what, from where, with which answer). */
export const ACCESS_LOG_RETENTION = RetentionDays.ONE_YEAR;

/**
 * The one list of browser origins the API answers (the preflights, the handlers' ALLOWED_ORIGINS,
 * the web ACL's origin rule): the AllowedOrigins parameter's, then the web app's own origin
 * (https://<its CloudFront domain>, infra/web-app.ts). Both are deploy-time values, so they are
 * joined by CloudFormation (Fn::Join), never by a JavaScript string operation on their tokens;
 * everything downstream splits the list on commas the same way.
 */
export function allowedOriginsWith(parameter: string, appOrigins: string[]): string {
  return Fn.join(',', [parameter, ...appOrigins]);
}

export function allowedOriginsParameter(scope: Construct): CfnParameter {
  return new CfnParameter(scope, 'AllowedOrigins', {
    type: 'String',
    default: LOCAL_ORIGINS,
    description:
      'Browser origins the API answers cross-origin (CORS), comma-separated, each scheme://host[:port] in lower case, e.g. https://apply.example.org',
    allowedPattern: `^${ORIGIN}(,${ORIGIN})*$`,
    constraintDescription:
      'comma-separated origins such as https://apply.example.org,http://localhost:3000 (lower case, no path, no spaces)',
    // The web ACL's regex of these origins (escaped, with the API's own and the web app's
    // https://dXXXXXXXXXXXXX.cloudfront.net) must stay under WAF's 512 characters.
    maxLength: 300,
  });
}

/** The stage's access logs: one JSON line per request, to a log group with a retention. */
export function accessLogging(scope: Construct): Pick<StageOptions, 'accessLogDestination' | 'accessLogFormat'> {
  const logGroup = new LogGroup(scope, 'ApiAccessLogs', { retention: ACCESS_LOG_RETENTION });
  return {
    accessLogDestination: new LogGroupLogDestination(logGroup),
    // The resource path is the route's template (/tasks/{taskId}), so no task link's signature is logged.
    accessLogFormat: AccessLogFormat.custom(
      JSON.stringify({
        requestId: AccessLogField.contextRequestId(),
        ip: AccessLogField.contextIdentitySourceIp(),
        userAgent: AccessLogField.contextIdentityUserAgent(),
        requestTime: AccessLogField.contextRequestTime(),
        method: AccessLogField.contextHttpMethod(),
        resourcePath: AccessLogField.contextResourcePath(),
        status: AccessLogField.contextStatus(),
        responseLength: AccessLogField.contextResponseLength(),
        latencyMs: AccessLogField.contextResponseLatency(),
        integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
        error: AccessLogField.contextErrorResponseType(),
        waf: AccessLogField.contextWafResponseCode(),
        user: AccessLogField.contextAuthorizerClaims('sub'),
        traceId: AccessLogField.contextXrayTraceId(),
      }),
    ),
  };
}

/** The headers every gateway response (API Gateway's own refusals) carries: see the module comment. */
export const gatewayResponseCorsHeaders = (): Record<string, string> => ({
  'Access-Control-Allow-Origin': 'method.request.header.Origin',
  Vary: "'Origin'",
});

const ALLOW_HEADERS = [...Cors.DEFAULT_HEADERS, 'Idempotency-Key'];

/**
 * A preflight (OPTIONS, answered by API Gateway itself) on every resource that has a method: it
 * allows that resource's methods, and names the request's Origin when `allowedOrigins` holds it.
 * (CDK's `defaultCorsPreflightOptions` needs the origins as a list known at synth time.)
 */
export function addPreflights(api: RestApi, allowedOrigins: string): void {
  const methodsOf = new Map<IResource, Set<string>>();
  for (const method of api.methods) {
    if (method.httpMethod === 'OPTIONS') continue;
    methodsOf.set(method.resource, (methodsOf.get(method.resource) ?? new Set()).add(method.httpMethod));
  }
  // Without a match the static value (the first allowed origin) stands, which the browser refuses for any other origin.
  const fallbackOrigin = Fn.select(0, Fn.split(',', allowedOrigins));
  const template = [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if("$!origin" != "" && ",${allowedOrigins},".contains(",$origin,"))`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
  for (const [resource, methods] of methodsOf) {
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': `'${fallbackOrigin}'`,
      'Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].join(',')}'`,
      'Access-Control-Allow-Headers': `'${ALLOW_HEADERS.join(',')}'`,
      'Access-Control-Max-Age': "'600'",
      Vary: "'Origin'",
    };
    resource.addMethod(
      'OPTIONS',
      new MockIntegration({
        requestTemplates: { 'application/json': '{ "statusCode": 204 }' },
        passthroughBehavior: PassthroughBehavior.WHEN_NO_MATCH,
        integrationResponses: [
          {
            statusCode: '204',
            responseParameters: Object.fromEntries(
              Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, value]),
            ),
            responseTemplates: { 'application/json': template },
          },
        ],
      }),
      {
        methodResponses: [
          {
            statusCode: '204',
            responseParameters: Object.fromEntries(
              Object.keys(headers).map((name) => [`method.response.header.${name}`, true]),
            ),
          },
        ],
      },
    );
  }
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message, details: [] } });

/**
 * A WAFv2 web ACL on the API's stage. In order: a per-IP rate limit (429); a request from a browser
 * origin the API does not serve (403, see the module comment); a body of MAX_BODY_BYTES or more, by
 * its Content-Length (413: WAF inspects only a body's first 16 KB, so the header is what can be
 * measured; a chunked body without it is still bounded by Lambda's 6 MB); then AWS's managed common
 * rule set, except its 8 KB body limit, which counts instead of blocking since a form may be 250 KB.
 * Refusals are in the API's error contract.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: { api: RestApi; allowedOrigins: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    const apiOrigin = `https://${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    const originsAllowed = originsRegex(apiOrigin, props.allowedOrigins, cloudFormationStrings);
    const none = [{ priority: 0, type: 'NONE' }];
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${stack.stackName}-${metricName}`,
    });
    const block = (responseCode: number, customResponseBodyKey: string): CfnWebACL.RuleActionProperty => ({
      block: { customResponse: { responseCode, customResponseBodyKey } },
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'In front of the funding call API: rate per IP, browser origins, body size, AWS common rules',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      customResponseBodies: {
        THROTTLED: {
          contentType: 'APPLICATION_JSON',
          content: errorBody('THROTTLED', 'Too many requests from this address; retry in a few minutes'),
        },
        FORBIDDEN_ORIGIN: { contentType: 'APPLICATION_JSON', content: FORBIDDEN_ORIGIN_BODY },
        PAYLOAD_TOO_LARGE: {
          contentType: 'APPLICATION_JSON',
          content: errorBody('PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES} bytes`),
        },
      },
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: block(429, 'THROTTLED'),
          statement: {
            rateBasedStatement: { limit: REQUESTS_PER_IP_PER_5_MIN, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility('rate-per-ip'),
        },
        {
          name: 'DisallowedOrigin',
          priority: 1,
          action: block(403, 'FORBIDDEN_ORIGIN'),
          statement: disallowedOriginStatement(originsAllowed),
          visibilityConfig: visibility('disallowed-origin'),
        },
        {
          name: 'BodyTooLarge',
          priority: 2,
          action: block(413, 'PAYLOAD_TOO_LARGE'),
          statement: {
            regexMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              // MAX_BODY_BYTES is 1,000,000: a Content-Length of seven digits or more, leading zeros aside.
              regexString: '^0*[1-9][0-9]{6,}$',
              textTransformations: none,
            },
          },
          visibilityConfig: visibility('body-too-large'),
        },
        {
          name: 'AwsCommonRules',
          priority: 3,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility('aws-common'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
