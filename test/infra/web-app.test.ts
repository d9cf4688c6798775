import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LOCAL_ORIGINS } from '@infra/api-protection';
import { FundingCallStack } from '@infra/stack';
import { EDGE_ROUTING_CODE } from '@infra/web-app';
import { webSecurityHeaders } from '@infra/web-headers';

/**
 * The web app on AWS (infra/web-app.ts), as the synthesized template has it: a private bucket read
 * by CloudFront alone, HTTPS only, the same security headers the local gateway sends (one
 * definition, infra/web-headers.ts), config.json naming the API and the managed login, the edge
 * routing, the PKCE app client, the app's origin among the API's allowed origins, and its URL as
 * an output.
 */

// One synthesis for the file; bundling skipped (only asset hashes change). The web app is built
// (or its cached build reused) as `cdk synth` does.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FundingCallStack(app, 'FundingCall', {
  senderEmail: 'noreply@example.org',
  alarmEmail: 'alarms@example.org',
});
const assembly = app.synth();
const json = assembly.getStackByName(stack.stackName).template as {
  Resources: Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>;
  Outputs: Record<string, { Value: unknown }>;
};
const template = Template.fromJSON(json);
const resources = json.Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);

const web = stack.webApp;
const bucketId = idOf(web.bucket);
const distributionId = idOf(web.distribution);
const [userPoolId] = ofType('AWS::Cognito::UserPool').map(([id]) => id);
const loginDomainId = idOf(web.loginDomain as never);
const clientId = idOf(web.client as never);
const [apiId] = ofType('AWS::ApiGateway::RestApi').map(([id]) => id);
const [stageId] = ofType('AWS::ApiGateway::Stage').map(([id]) => id);
const [filesBucketId] = ofType('AWS::S3::Bucket')
  .filter(([, r]) => r.Properties.CorsConfiguration)
  .map(([id]) => id);

/** Deploy-time values, by Ref name or `LogicalId.Attribute`. */
const DEPLOYED: Record<string, string> = {
  'AWS::Region': 'ap-east-1',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::Partition': 'aws',
  'AWS::AccountId': '123456789012',
  'AWS::StackId':
    'arn:aws:cloudformation:ap-east-1:123456789012:stack/FundingCall/5e1a9c3b-77aa-11ef-9d2b-0a1b2c3d4e5f',
  AllowedOrigins: 'https://apply.example.org,http://localhost:3000',
  [apiId]: 'a1b2c3d4e5',
  [stageId]: 'v1',
  [userPoolId]: 'ap-east-1_AbCdEf123',
  [clientId]: '4p1cl1ent1d',
  [loginDomainId]: 'funding-call-5e1a9c3b',
  [`${distributionId}.DomainName`]: 'd111111abcdef8.cloudfront.net',
  [`${filesBucketId}.RegionalDomainName`]: 'files-1a2b.s3.ap-east-1.amazonaws.com',
};
const APP_ORIGIN = 'https://d111111abcdef8.cloudfront.net';

/** A small CloudFormation evaluator for the intrinsics read here. */
function evaluate(value: unknown, refs: Record<string, string> = DEPLOYED): any {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, refs));
  const node = value as Record<string, any>;
  const known = (key: string) => {
    if (!(key in refs)) throw new Error(`no deployed value for ${key}`);
    return refs[key];
  };
  if ('Ref' in node) return known(node.Ref);
  if ('Fn::GetAtt' in node) return known(`${node['Fn::GetAtt'][0]}.${node['Fn::GetAtt'][1]}`);
  if ('Fn::Join' in node) return (evaluate(node['Fn::Join'][1], refs) as string[]).join(node['Fn::Join'][0]);
  if ('Fn::Split' in node) return (evaluate(node['Fn::Split'][1], refs) as string).split(node['Fn::Split'][0]);
  if ('Fn::Select' in node) return (evaluate(node['Fn::Select'][1], refs) as string[])[Number(node['Fn::Select'][0])];
  if ('Fn::Sub' in node && typeof node['Fn::Sub'] === 'string')
    return (node['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_, key: string) => known(key));
  if (Object.keys(node).some((key) => key.startsWith('Fn::')))
    throw new Error(`cannot evaluate ${JSON.stringify(value).slice(0, 100)}`);
  return Object.fromEntries(Object.entries(node).map(([key, v]) => [key, evaluate(v, refs)]));
}

/** The origins the CSP must name, for the deployed values above. */
const ORIGINS = {
  api: ['https://a1b2c3d4e5.execute-api.ap-east-1.amazonaws.com'],
  signIn: [
    'https://funding-call-5e1a9c3b.auth.ap-east-1.amazoncognito.com',
    'https://cognito-idp.ap-east-1.amazonaws.com',
  ],
  uploads: ['https://files-1a2b.s3.ap-east-1.amazonaws.com'],
};

describe('the bucket', () => {
  const bucket = resources[bucketId];

  test('is private (all public access blocked, no ACLs, no website hosting), encrypted', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
  });

  test('its policy refuses plain HTTP and lets only this distribution read objects (origin access control)', () => {
    const [[, policy]] = ofType('AWS::S3::BucketPolicy').filter(
      ([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const statements = policy.Properties.PolicyDocument.Statement as Record<string, any>[];
    expect(statements.find((s) => s.Effect === 'Deny')).toMatchObject({
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(
      evaluate(allows[0], { ...DEPLOYED, [distributionId]: 'E2QWRUHAPOMQZL', [`${bucketId}.Arn`]: 'arn:b' }),
    ).toEqual({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Resource: 'arn:b/*',
      Condition: {
        StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL' },
      },
    });
  });
});

describe('the distribution', () => {
  const config = resources[distributionId].Properties.DistributionConfig;

  test('reads the bucket through origin access control (SigV4, always), no legacy identity', () => {
    expect(config.Origins).toHaveLength(1);
    const [origin] = config.Origins;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const oacId = origin.OriginAccessControlId['Fn::GetAtt'][0] as string;
    expect(resources[oacId].Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  test('HTTPS only (HTTP redirected), GET and HEAD only, with the headers policy and the routing function', () => {
    const behavior = config.DefaultCacheBehavior;
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: idOf(web.headersPolicy) });
    expect(behavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } },
    ]);
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  test("the response headers policy sends exactly webSecurityHeaders' headers for the same origins (one definition)", () => {
    const policy = resources[idOf(web.headersPolicy)].Properties.ResponseHeadersPolicyConfig;
    expect(policy.CustomHeadersConfig).toBeUndefined();
    const security = evaluate(policy.SecurityHeadersConfig);
    expect(Object.keys(security).sort()).toEqual([
      'ContentSecurityPolicy',
      'ContentTypeOptions',
      'FrameOptions',
      'ReferrerPolicy',
      'StrictTransportSecurity',
    ]);
    const { StrictTransportSecurity: hsts } = security;
    // Each as a browser receives it from CloudFront; every one overrides what the origin might send.
    const sent = {
      'content-security-policy': security.ContentSecurityPolicy.ContentSecurityPolicy,
      'strict-transport-security': `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
      'x-content-type-options': 'nosniff',
      'x-frame-options': security.FrameOptions.FrameOption,
      'referrer-policy': security.ReferrerPolicy.ReferrerPolicy,
    };
    expect(sent).toEqual(webSecurityHeaders(ORIGINS));
    for (const header of Object.values(security)) expect(header).toMatchObject({ Override: true });
    // The CSP names the API, the managed login and the issuer, and the files bucket, nothing more.
    expect(sent['content-security-policy']).toContain(
      "connect-src 'self' https://a1b2c3d4e5.execute-api.ap-east-1.amazonaws.com https://funding-call-5e1a9c3b.auth.ap-east-1.amazoncognito.com https://cognito-idp.ap-east-1.amazonaws.com https://files-1a2b.s3.ap-east-1.amazonaws.com;",
    );
    expect(sent['content-security-policy']).toContain("script-src 'self';");
  });
});

describe('routing at the edge (the CloudFront Function)', () => {
  const [[, fn]] = ofType('AWS::CloudFront::Function');
  // The function as CloudFront runs it (cloudfront-js-2.0 is ECMAScript 5.1 plus some of ES6; this code uses neither more).
  const handler = new Function(`${fn.Properties.FunctionCode as string}; return handler;`)() as (event: {
    request: { uri: string };
  }) => { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
  const answer = (uri: string) => handler({ request: { uri } });

  test('is the code of infra/web-app.ts, on the JS 2.0 runtime', () => {
    expect(fn.Properties.FunctionCode).toBe(EDGE_ROUTING_CODE);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
  });

  test('/ and /app redirect to /app/', () => {
    for (const uri of ['/', '/app'])
      expect(answer(uri)).toEqual({
        statusCode: 302,
        statusDescription: 'Found',
        headers: { location: { value: '/app/' } },
      });
  });

  test("the app's pages are answered with /app/index.html; its files are fetched as they are", () => {
    for (const uri of ['/app/', '/app/callback', '/app/drafts/d-1', '/app/applications/A-1/print'])
      expect({ uri, answer: answer(uri).uri }).toEqual({ uri, answer: '/app/index.html' });
    for (const uri of ['/app/config.json', '/app/assets/index-BGd6JbvW.js', '/app/index.html', '/favicon.ico'])
      expect({ uri, answer: answer(uri).uri }).toEqual({ uri, answer: uri });
  });
});

describe('the deployed files', () => {
  const [deployment, ...others] = ofType('Custom::CDKBucketDeployment').map(([, r]) => r.Properties);
  const assetDir = (key: string) => path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
  const keys = deployment.SourceObjectKeys as string[];

  test('the built app and config.json under app/, revalidated on every load, earlier chunks kept', () => {
    expect(others).toEqual([]);
    expect(deployment).toMatchObject({
      DestinationBucketName: { Ref: bucketId },
      DestinationBucketKeyPrefix: 'app/',
      Prune: false,
      RetainOnDelete: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(keys).toHaveLength(2);
    const [app] = keys.map(assetDir);
    expect(existsSync(path.join(app, 'index.html'))).toBe(true);
    expect(readdirSync(path.join(app, 'assets')).some((name) => /^index-[\w-]+\.js$/.test(name))).toBe(true);
  });

  test('config.json: Cognito sign-in, the API stage URL, the issuer, the web client and the login domain', () => {
    const index = keys.findIndex((key) => existsSync(path.join(assetDir(key), 'config.json')));
    let text = readFileSync(path.join(assetDir(keys[index]), 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(deployment.SourceMarkers[index] as Record<string, unknown>))
      text = text.split(marker).join(evaluate(value) as string);
    expect(JSON.parse(text)).toEqual({
      signIn: 'cognito',
      apiBase: 'https://a1b2c3d4e5.execute-api.ap-east-1.amazonaws.com/v1',
      authority: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_AbCdEf123',
      clientId: '4p1cl1ent1d',
      loginDomain: 'https://funding-call-5e1a9c3b.auth.ap-east-1.amazoncognito.com',
    });
  });

  test("CDK's deployment function logs to its own log group with a retention, with a role that has no AWS managed policy", () => {
    const [[, fn]] = ofType('AWS::Lambda::Function').filter(([, r]) =>
      JSON.stringify(r.Properties.Layers ?? []).includes('AwsCliLayer'),
    );
    const group = fn.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(resources[group].Properties.RetentionInDays).toEqual(expect.any(Number));
    const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
    expect(resources[role].Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('sign-in: the managed login', () => {
  test('the user pool has a managed-login domain (the newer version), prefixed by the stack id when none is chosen', () => {
    const domain = resources[loginDomainId].Properties;
    expect(domain.ManagedLoginVersion).toBe(2);
    expect(domain.UserPoolId).toEqual({ Ref: userPoolId });
    expect(evaluate(domain.Domain)).toBe('funding-call-5e1a9c3b');
  });

  test('the web client: authorization code (PKCE, no secret), openid email profile, callback and sign-out at the app', () => {
    const client = evaluate(resources[clientId].Properties);
    expect(client).toEqual({
      UserPoolId: 'ap-east-1_AbCdEf123',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`${APP_ORIGIN}/app/callback`],
      LogoutURLs: [`${APP_ORIGIN}/app/`],
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  test('its managed login has a style; the pool still requires TOTP and admin-created accounts', () => {
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UserPoolId: { Ref: userPoolId },
      ClientId: { Ref: clientId },
      UseCognitoProvidedValues: true,
    });
    expect(resources[userPoolId].Properties).toMatchObject({
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });
});

describe("the app's origin at the API", () => {
  test('the handlers are told the AllowedOrigins parameter and the app origin (ALLOWED_ORIGINS)', () => {
    const told = new Set(
      ofType('AWS::Lambda::Function')
        .map(([, r]) => r.Properties.Environment?.Variables?.ALLOWED_ORIGINS as unknown)
        .filter((value) => value !== undefined)
        .map((value) => evaluate(value) as string),
    );
    expect([...told]).toEqual([`https://apply.example.org,http://localhost:3000,${APP_ORIGIN}`]);
    // With the parameter's default, the local origins and the app's.
    const [value] = ofType('AWS::Lambda::Function')
      .map(([, r]) => r.Properties.Environment?.Variables?.ALLOWED_ORIGINS as unknown)
      .filter(Boolean);
    expect(evaluate(value, { ...DEPLOYED, AllowedOrigins: LOCAL_ORIGINS })).toBe(`${LOCAL_ORIGINS},${APP_ORIGIN}`);
  });

  test("the web ACL's origin rule lets the app through, and the regex stays within WAF's 512 characters", () => {
    const [[, acl]] = ofType('AWS::WAFv2::WebACL');
    const rule = (acl.Properties.Rules as { Name: string; Statement: any }[]).find(
      (r) => r.Name === 'DisallowedOrigin',
    )!;
    const regex = rule.Statement.AndStatement.Statements[1].NotStatement.Statement.RegexMatchStatement.RegexString;
    const allowed = new RegExp(evaluate(regex));
    for (const origin of [
      APP_ORIGIN,
      'https://apply.example.org',
      'https://a1b2c3d4e5.execute-api.ap-east-1.amazonaws.com',
    ])
      expect({ origin, allowed: allowed.test(origin) }).toEqual({ origin, allowed: true });
    for (const origin of [
      'https://d111111abcdef8xcloudfront.net',
      `${APP_ORIGIN}.evil.example`,
      'https://evil.example',
    ])
      expect({ origin, allowed: allowed.test(origin) }).toEqual({ origin, allowed: false });
    const longest = { ...DEPLOYED, AllowedOrigins: `https://${'a'.repeat(200)}.org,http://${'b.'.repeat(40)}x:1` };
    expect(evaluate(regex, longest).length).toBeLessThanOrEqual(512);
  });

  test('the preflights answer the app origin', () => {
    const [[, preflight]] = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    const vtl = evaluate(
      preflight.Properties.Integration.IntegrationResponses[0].ResponseTemplates['application/json'],
    );
    expect(vtl).toContain(`",https://apply.example.org,http://localhost:3000,${APP_ORIGIN},".contains(",$origin,")`);
  });
});

test("the stack prints the app's URL", () => {
  expect(evaluate(json.Outputs.WebAppUrl.Value)).toBe(`${APP_ORIGIN}/app/`);
});

test('cdk-nag (AwsSolutions) finds nothing unacknowledged in the web app, its deployments or anywhere else', () => {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  const findings = report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
  expect(findings).toEqual([]);
});
