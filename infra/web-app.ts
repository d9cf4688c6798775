import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  ManagedLoginVersion,
  OAuthScope,
  UserPoolClientIdentityProvider,
  CfnManagedLoginBranding,
  type UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FunctionLogging } from './function-logs';
import { nagSpelling } from './nag';
import { buildWebApp } from './local/web-app';
import {
  FRAME_OPTION,
  HSTS_INCLUDE_SUBDOMAINS,
  HSTS_MAX_AGE_SECONDS,
  REFERRER_POLICY,
  webContentSecurityPolicy,
  type WebAppOrigins,
} from './web-headers';

/** The app's key prefix in the bucket and its path on the distribution (Vite's base, /app/). */
export const WEB_APP_PREFIX = 'app/';

/**
 * Routing at the edge, a CloudFront Function on viewer requests (cloudfront-js-2.0):
 * - `/` and `/app` redirect (302) to `/app/`, where the app lives;
 * - under /app/, a path whose last segment has no dot is one of the app's pages (/app/,
 *   /app/callback, /app/drafts/…): it is answered with /app/index.html, which routes in the browser;
 *   a path with a dot (/app/assets/index-….js, /app/config.json) is a file, fetched as it is.
 *
 * Chosen over CloudFront's custom error responses (403/404 → /app/index.html, 200): those apply to
 * the whole distribution, so a missing script or a stale chunk after a deploy would be answered with
 * the HTML page and a 200 rather than an error, and S3's own refusals would be hidden; they cannot
 * redirect `/` either. The function decides by the path alone, before the cache, costs no origin
 * request, and is the same rule as the local gateway's (infra/local/web-app.ts), page routes having
 * no dot in them (web/src/app.tsx: ids are [\w-]+).
 */
export const EDGE_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/app') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/app/' } } };
  }
  if (uri.indexOf('/app/') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '/app/index.html';
  }
  return request;
}`;

/** What the app reads at /app/config.json on AWS (web/src/config.ts, the `cognito` variant). */
export interface CognitoAppConfig {
  signIn: 'cognito';
  /** the API's stage URL, no trailing slash (the app appends /calls, /units/me/…) */
  apiBase: string;
  /** the user pool's issuer, https://cognito-idp.<region>.amazonaws.com/<poolId> */
  authority: string;
  clientId: string;
  /** the managed login's domain, https://<prefix>.auth.<region>.amazoncognito.com */
  loginDomain: string;
}

export interface WebAppProps {
  api: RestApi;
  userPool: UserPool;
  /** the report files bucket: the browser uploads to it with presigned PUTs (connect-src) */
  filesBucket: IBucket;
  /**
   * The managed login's domain prefix (<prefix>.auth.<region>.amazoncognito.com), unique among all
   * Cognito domains of the region; may be a deploy-time value.
   */
  loginDomainPrefix: string;
  /** The built app's folder; `buildWebApp()` (cached by the sources' digest) when not given. */
  webRoot?: string;
}

/**
 * The societies' web app on AWS: its built files in a private bucket, served under /app/ by
 * CloudFront (origin access control, HTTPS only, the security headers of infra/web-headers.ts),
 * `config.json` beside them naming the API and the sign-in; and the sign-in itself, the user pool's
 * managed login (a Cognito domain and a public app client: authorization code with PKCE).
 */
export class WebApp extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headersPolicy: ResponseHeadersPolicy;
  readonly loginDomain: UserPoolDomain;
  readonly client: UserPoolClient;
  /** https://<distribution domain>: the browser origin of the app (for the API's CORS and web ACL). */
  readonly origin: string;
  /** https://<distribution domain>/app/ */
  readonly url: string;
  /** The CSP's origins on AWS (the local gateway gives the same policy its own). */
  readonly origins: WebAppOrigins;
  readonly config: CognitoAppConfig;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { api, userPool } = props;

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Built from the repository on every deploy: nothing in it needs keeping. The deployment below
      // deletes its files when it is deleted (retainOnDelete: false), so the bucket is empty by then.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket holds only the web app's built files, the same for everyone and rebuilt from the repository on each deploy; it is " +
        'private and read by CloudFront alone (origin access control), whose requests are the ones worth recording. No user data is in it.',
    });

    this.loginDomain = userPool.addDomain('LoginDomain', {
      cognitoDomain: { domainPrefix: props.loginDomainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    const apiOrigin = `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    // The pool's issuer (the ID token's iss, where oidc-client-ts finds the discovery document and
    // keys). CloudFormation's ProviderURL attribute has no scheme, so it is spelled out.
    const issuerOrigin = `https://cognito-idp.${stack.region}.${stack.urlSuffix}`;
    this.origins = {
      api: [apiOrigin],
      // The managed login (authorize, token, logout) and the issuer (discovery, JWKS) oidc-client-ts reads.
      signIn: [this.loginDomain.baseUrl(), issuerOrigin],
      // The presigned PUT's origin: the SDK addresses the bucket virtual-hosted at its region.
      uploads: [`https://${props.filesBucket.bucketRegionalDomainName}`],
    };
    this.headersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: "The web app's security headers (infra/web-headers.ts, as the local gateway sends them)",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: webContentSecurityPolicy(this.origins), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: HSTS_INCLUDE_SUBDOMAINS,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: enumValue(HeadersFrameOption, FRAME_OPTION), override: true },
        referrerPolicy: { referrerPolicy: enumValue(HeadersReferrerPolicy, REFERRER_POLICY), override: true },
      },
    });

    const routing = new CloudFrontFunction(this, 'Routing', {
      comment: 'Redirects / to /app/ and answers the app pages with /app/index.html',
      code: FunctionCode.fromInline(EDGE_ROUTING_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: "The societies' web app",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Honours the files' own Cache-Control (set by the deployment below).
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headersPolicy,
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: routing }],
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America, Europe, Asia (Hong Kong and Guangzhou's neighbours among them), Middle East, Africa.
      priceClass: PriceClass.PRICE_CLASS_200,
    });
    this.acknowledgeDistributionFindings();
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/${WEB_APP_PREFIX}`;

    // A public client (no secret: the code is exchanged by the browser, with PKCE, as oidc-client-ts does).
    this.client = userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        callbackUrls: [`${this.url}callback`],
        logoutUrls: [this.url],
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      },
    });
    // The newer managed login shows a client's pages only once it has a style: Cognito's own here.
    new CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.config = {
      signIn: 'cognito',
      apiBase: `${apiOrigin}/${api.deploymentStage.stageName}`,
      authority: `${issuerOrigin}/${userPool.userPoolId}`,
      clientId: this.client.userPoolClientId,
      loginDomain: this.loginDomain.baseUrl(),
    };
    this.deploy(props.webRoot ?? buildWebApp());
  }

  /**
   * One deployment of the built app and config.json under app/, every file revalidated on each load
   * (Cache-Control: no-cache; CloudFront and the browser answer 304 by ETag while it is unchanged).
   * Not pruned: the previous build's hashed chunks stay, so a page loaded before a deploy still
   * finds the chunk it loads later (oidc-client-ts); index.html and config.json are overwritten.
   *
   * One deployment rather than two (assets cached for a year, pages revalidated): each
   * BucketDeployment adds a custom resource and its own AWS CLI layer, and the stack is close to
   * CloudFormation's 500 resources; the assets' revalidation is a 304 of a few hundred bytes each.
   */
  private deploy(webRoot: string): void {
    // CDK's deployment function gets what ours get: its own log group with a retention, and a role
    // that may write to that group only (infra/function-logs.ts), in place of the AWS managed
    // AWSLambdaBasicExecutionRole; the deployment adds its S3 grants to that role.
    const { role, logGroup } = new FunctionLogging(this, 'DeployLogging', { tracing: false });
    const deployment = new BucketDeployment(this, 'Deploy', {
      role,
      logGroup,
      memoryLimit: 256,
      destinationBucket: this.bucket,
      destinationKeyPrefix: WEB_APP_PREFIX,
      sources: [Source.asset(webRoot), Source.jsonData('config.json', this.config)],
      prune: false,
      retainOnDelete: false,
      cacheControl: [CacheControl.noCache()],
    });
    acknowledgeDeploymentHandler(deployment);
  }

  private acknowledgeDistributionFindings(): void {
    const acknowledge = (id: string, reason: string) => Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'No geographic restriction: the member societies are in Guangdong, but their secretaries travel and the call is open to any ' +
        'society of the association wherever it signs in from; the app is static files, and sign-in and the API enforce who may do what.',
    );
    acknowledge(
      'AwsSolutions-CFR2',
      'The distribution serves only static files (GET and HEAD, from a private bucket); every request that reads or changes data goes ' +
        "to the API, which has its own web ACL (rate per IP, origins, body size, AWS common rules). A CloudFront web ACL must live in us-east-1, a second stack's worth for files that hold no data.",
    );
    acknowledge(
      'AwsSolutions-CFR3',
      'No CloudFront access logs: the distribution serves the same public files to everyone; who did what is recorded by the API (its ' +
        'access logs, one line per request with the caller) and by the workflow, and CloudFront metrics remain for traffic.',
    );
    acknowledge(
      'AwsSolutions-CFR4',
      "The distribution uses CloudFront's default *.cloudfront.net certificate, for which CloudFront fixes the security policy " +
        '(TLSv1 is still accepted by it); a deployer with the association’s own domain adds its ACM certificate and TLSv1.2_2021.',
    );
  }
}

/**
 * CDK's BucketDeployment runs one function of CDK's own (a singleton per stack and memory size):
 * its findings are acknowledged on it, each value it is granted named.
 */
function acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
  const role = deployment.handlerRole;
  const handler = Stack.of(deployment)
    .node.findAll()
    .find((construct) => construct instanceof LambdaFunction && construct.role === role);
  if (!handler) throw new Error(`${deployment.node.path}: no deployment function with its role`);
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      "The function is CDK's own BucketDeployment handler (Python, with the AWS CLI layer): CDK chooses and updates its runtime with " +
      'aws-cdk-lib, which this repository pins; it runs only during deployments, to copy the built app into its bucket.',
  });
  const policy = role.node.tryFindChild('DefaultPolicy') as Policy;
  const statements = policy.document.toJSON().Statement as { Action: string | string[]; Resource: string | string[] }[];
  const wildcards = new Set<string>();
  for (const statement of statements) {
    for (const action of [statement.Action].flat()) if (action.includes('*')) wildcards.add(`Action::${action}`);
    for (const resource of [statement.Resource].flat()) {
      const spelled = nagSpelling(role, resource);
      if (spelled.includes('*')) wildcards.add(`Resource::${spelled}`);
    }
  }
  for (const value of wildcards)
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[${value}]`,
      reason:
        "CDK's BucketDeployment grants its handler read (s3:GetObject*, GetBucket*, List*) on the CDK assets bucket's objects, the " +
        "zipped app it copies, and read, write and delete (DeleteObject*, Abort*) on the web app bucket's objects, which it syncs and prunes.",
    });
}

/** A CDK enum member by its value, so the header's value is the one defined in infra/web-headers.ts. */
function enumValue<T extends string>(members: Record<string, T>, value: string): T {
  const found = Object.values(members).find((member) => member === value);
  if (found === undefined) throw new Error(`CloudFront has no header value ${value}`);
  return found;
}
