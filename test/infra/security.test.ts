import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LOCAL_ORIGINS, MAX_BODY_BYTES, REQUESTS_PER_IP_PER_5_MIN } from '@infra/api-protection';
import { functionSpecs, type AnyFunctionName } from '@infra/functions';
import { disallowedOriginStatement, matchesStatement, originsRegex } from '@infra/origin-rule';
import { routes } from '@infra/routes';
import { FundingCallStack } from '@infra/stack';

/**
 * The security settings of the synthesized template, as a reviewer would check them: least privilege
 * (IAM), log retention, the API's access logs, web ACL and CORS, Cognito, and deletion protection.
 * (That each function's grants match what its bundled code does is test/infra/function-env.test.ts;
 * cdk-nag's AwsSolutions pack is test/infra/cdk-nag.test.ts.)
 */

// One synthesis for the file; bundling skipped (only asset hashes change).
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FundingCallStack(app, 'FundingCall', {
  senderEmail: 'noreply@example.org',
  alarmEmail: 'alarms@example.org',
});
const template = Template.fromStack(stack);
interface Resource {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
}
const json = template.toJSON() as { Resources: Record<string, Resource>; Parameters: Record<string, any> };
const resources = json.Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const onlyOfType = (type: string) => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return found[0];
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const allStatements = (): { policy: string; statement: Statement }[] => [
  ...ofType('AWS::IAM::Policy').flatMap(([policy, r]) =>
    (r.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ policy, statement })),
  ),
  ...ofType('AWS::IAM::Role').flatMap(([role, r]) =>
    ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
      p.PolicyDocument.Statement.map((statement) => ({ policy: role, statement })),
    ),
  ),
];

const logicalId = (name: AnyFunctionName) =>
  stack.getLogicalId(stack.functions.get(name)!.node.defaultChild as CfnElement);
const roleOf = (name: AnyFunctionName) =>
  (resources[logicalId(name)].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const statementsOf = (name: AnyFunctionName) =>
  ofType('AWS::IAM::Policy')
    .filter(([, r]) => JSON.stringify(r.Properties.Roles).includes(`"${roleOf(name)}"`))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => s.Effect === 'Allow');
const [tableId] = onlyOfType('AWS::DynamoDB::Table');
const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
/** A function's DynamoDB grants, as [actions, resources] pairs. */
const dynamoGrantsOf = (name: AnyFunctionName) =>
  statementsOf(name)
    .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
    .map((s) => [actionsOf(s), resourcesOf(s)]);

/** A small CloudFormation evaluator for the intrinsics these tests read (deploy-time values given). */
function evaluate(value: unknown, refs: Record<string, string>): any {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, refs));
  const node = value as Record<string, any>;
  if ('Ref' in node) {
    if (!(node.Ref in refs)) throw new Error(`no value for Ref ${node.Ref}`);
    return refs[node.Ref];
  }
  if ('Fn::GetAtt' in node) {
    const attribute = (node['Fn::GetAtt'] as string[]).join('.');
    if (!(attribute in refs)) throw new Error(`no value for Fn::GetAtt ${attribute}`);
    return refs[attribute];
  }
  if ('Fn::Join' in node) return (evaluate(node['Fn::Join'][1], refs) as string[]).join(node['Fn::Join'][0]);
  if ('Fn::Split' in node) return (evaluate(node['Fn::Split'][1], refs) as string).split(node['Fn::Split'][0]);
  if ('Fn::Select' in node) return (evaluate(node['Fn::Select'][1], refs) as string[])[Number(node['Fn::Select'][0])];
  if (Object.keys(node).some((key) => key.startsWith('Fn::')))
    throw new Error(`cannot evaluate ${JSON.stringify(value).slice(0, 100)}`);
  return Object.fromEntries(Object.entries(node).map(([key, v]) => [key, evaluate(v, refs)]));
}
const [apiId] = onlyOfType('AWS::ApiGateway::RestApi');
const [distributionId] = onlyOfType('AWS::CloudFront::Distribution');
/** The web app's origin (infra/web-app.ts), which the API allows after the AllowedOrigins parameter's. */
const APP_ORIGIN = 'https://d111111abcdef8.cloudfront.net';
const deployed = (allowedOrigins = LOCAL_ORIGINS) => ({
  AllowedOrigins: allowedOrigins,
  [`${distributionId}.DomainName`]: 'd111111abcdef8.cloudfront.net',
  [apiId]: 'a1b2c3d4e5',
  'AWS::Region': 'ap-east-1',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::Partition': 'aws',
});

describe('IAM: least privilege', () => {
  test('nothing in the template may Scan the table, nor use a DynamoDB wildcard action', () => {
    const dynamo = allStatements().flatMap(({ policy, statement }) =>
      actionsOf(statement)
        .filter((a) => /^dynamodb:/i.test(a))
        .map((action) => ({ policy, action })),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    expect(dynamo.filter(({ action }) => /scan|\*|\?/i.test(action))).toEqual([]);
  });

  test('a reader gets GetItem on the table and Query on the table and each index by name, nothing else', () => {
    expect(dynamoGrantsOf('get-application')).toEqual([
      [['dynamodb:GetItem'], [tableArn]],
      [['dynamodb:Query'], [tableArn, indexArn('GSI1'), indexArn('GSI2')]],
    ]);
  });

  test('submission writes with a transaction (PutItem, UpdateItem, ConditionCheckItem) and deletes nothing; the first step clears its start marker', () => {
    expect(dynamoGrantsOf('submit-application')).toEqual(
      expect.arrayContaining([
        [['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], [tableArn]],
      ]),
    );
    expect(dynamoGrantsOf('submit-application').flatMap(([actions]) => actions)).not.toContain('dynamodb:DeleteItem');
    expect(dynamoGrantsOf('send-receipt')).toEqual(expect.arrayContaining([[['dynamodb:DeleteItem'], [tableArn]]]));
  });

  test('DeleteItem only for the functions that ask for table:delete, only on the table, and never a batch write', () => {
    const deleting = functionSpecs
      .filter((spec) => statementsOf(spec.name).some((s) => actionsOf(s).includes('dynamodb:DeleteItem')))
      .map((s) => s.name);
    expect(deleting.sort()).toEqual(
      functionSpecs
        .filter((spec) => spec.needs.includes('table:delete'))
        .map((s) => s.name)
        .sort(),
    );
    for (const name of ['put-expert', 'put-unit', 'get-application', 'amend-application'] as const)
      expect(deleting).not.toContain(name);
    for (const { statement } of allStatements()) {
      if (actionsOf(statement).includes('dynamodb:DeleteItem')) expect(resourcesOf(statement)).toEqual([tableArn]);
      expect(actionsOf(statement)).not.toContain('dynamodb:BatchWriteItem');
    }
  });

  test("every function's role is its own, with no AWS managed policy, and writes only to its own log group", () => {
    const roles = new Set(functionSpecs.map((spec) => roleOf(spec.name)));
    expect(roles.size).toBe(functionSpecs.length);
    for (const spec of functionSpecs) {
      const role = resources[roleOf(spec.name)];
      expect({ fn: spec.name, managed: role.Properties.ManagedPolicyArns }).toEqual({
        fn: spec.name,
        managed: undefined,
      });
      const logGroup = (resources[logicalId(spec.name)].Properties.LoggingConfig as { LogGroup: { Ref: string } })
        .LogGroup.Ref;
      const logWrites = statementsOf(spec.name).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect({ fn: spec.name, logWrites }).toEqual({
        fn: spec.name,
        logWrites: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
          },
        ],
      });
    }
    // The only managed policy left is API Gateway's account-level logging role (acknowledged: infra/stack.ts addApi).
    const managed = ofType('AWS::IAM::Role').filter(([, r]) => r.Properties.ManagedPolicyArns);
    expect(managed.map(([id]) => id)).toEqual([expect.stringMatching(/^ApiCloudWatchRole/)]);
  });

  test('request-upload may only put objects under pending/ (a presigned PUT acts with its role): no read, no list, nothing under reports/', () => {
    const [bucketId] = ofType('AWS::S3::Bucket').find(([, r]) => r.Properties.CorsConfiguration)!; // the report files (not their access logs)
    const s3 = statementsOf('request-upload').filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => ({ actions: actionsOf(s), resources: resourcesOf(s) }))).toEqual([
      {
        actions: ['s3:PutObject'],
        resources: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/pending/*']] }],
      },
    ]);
  });

  test('the only actions a function may take on any resource (*) are X-Ray tracing', () => {
    for (const spec of functionSpecs) {
      const onAnything = statementsOf(spec.name).filter((s) => resourcesOf(s).includes('*'));
      expect({ fn: spec.name, actions: onAnything.flatMap(actionsOf) }).toEqual({
        fn: spec.name,
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      });
    }
  });
});

describe('logs', () => {
  test('every Lambda function (the provider framework one too) logs to its own log group with a retention', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(functionSpecs.length);
    const groups = new Set<string>();
    for (const [id, fn] of functions) {
      const group = (fn.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
      expect({ id, group: group && resources[group].Type }).toEqual({ id, group: 'AWS::Logs::LogGroup' });
      groups.add(group!);
    }
    expect(groups.size).toBe(functions.length);
  });

  test('every log group of the stack expires', () => {
    for (const [id, group] of ofType('AWS::Logs::LogGroup'))
      expect({ id, days: group.Properties.RetentionInDays }).toEqual({ id, days: expect.any(Number) });
  });

  test('the state machine logs every event, without execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });
});

describe('the API', () => {
  test('writes access logs, one JSON line per request, to a log group with a retention', () => {
    const [, stage] = onlyOfType('AWS::ApiGateway::Stage');
    const destination = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources[destination].Type).toBe('AWS::Logs::LogGroup');
    expect(resources[destination].Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      status: '$context.status',
      resourcePath: '$context.resourcePath',
    });
    // The route template, not the path: a task link's signature (in its query) is never logged.
    expect(JSON.stringify(format)).not.toMatch(/\$context\.path|querystring/);
  });

  test('its stage is behind a regional WAFv2 web ACL', () => {
    const [aclId, acl] = onlyOfType('AWS::WAFv2::WebACL');
    const [, association] = onlyOfType('AWS::WAFv2::WebACLAssociation');
    const [stageId] = onlyOfType('AWS::ApiGateway::Stage');
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(evaluate(association.Properties.ResourceArn, { ...deployed(), [stageId]: 'v1' })).toBe(
      'arn:aws:apigateway:ap-east-1::/restapis/a1b2c3d4e5/stages/v1',
    );
  });

  const rule = (name: string) => {
    const [, acl] = onlyOfType('AWS::WAFv2::WebACL');
    const found = (acl.Properties.Rules as { Name: string }[]).find((r) => r.Name === name) as Record<string, any>;
    expect(found).toBeDefined();
    return found;
  };

  test('the web ACL limits requests per IP address (429 in the error contract)', () => {
    expect(rule('RatePerIp')).toMatchObject({
      Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'THROTTLED' } } },
      Statement: { RateBasedStatement: { Limit: REQUESTS_PER_IP_PER_5_MIN, AggregateKeyType: 'IP' } },
    });
    const [, acl] = onlyOfType('AWS::WAFv2::WebACL');
    expect(JSON.parse(acl.Properties.CustomResponseBodies.THROTTLED.Content)).toEqual({
      error: { code: 'THROTTLED', message: expect.any(String), details: [] },
    });
  });

  test("the web ACL runs AWS's managed common rule set, its 8 KB body limit counted rather than blocking (forms reach 250 KB)", () => {
    expect(rule('AwsCommonRules')).toMatchObject({
      OverrideAction: { None: {} },
      Statement: {
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesCommonRuleSet',
          RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
        },
      },
    });
  });

  test("the web ACL refuses a body from MAX_BODY_BYTES on (413), below Lambda's 6 MB", () => {
    expect(MAX_BODY_BYTES).toBeLessThan(6 * 1024 * 1024);
    const bodyRule = rule('BodyTooLarge');
    expect(bodyRule).toMatchObject({
      Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'PAYLOAD_TOO_LARGE' } } },
      Statement: { RegexMatchStatement: { FieldToMatch: { SingleHeader: { Name: 'content-length' } } } },
    });
    const tooLarge = new RegExp(bodyRule.Statement.RegexMatchStatement.RegexString as string);
    for (const length of [0, 1, 250_000, MAX_BODY_BYTES - 1])
      expect({ length, blocked: tooLarge.test(String(length)) }).toEqual({ length, blocked: false });
    for (const length of [MAX_BODY_BYTES, MAX_BODY_BYTES + 1, 6 * 1024 * 1024, 10 ** 12])
      expect({ length, blocked: tooLarge.test(String(length)) }).toEqual({ length, blocked: true });
    expect(tooLarge.test(`000${MAX_BODY_BYTES}`)).toBe(true);
  });

  test('the web ACL refuses a browser origin that is neither allowed nor the API itself (403), and lets requests without Origin through', () => {
    const originRule = rule('DisallowedOrigin');
    expect(originRule.Action).toEqual({
      Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'FORBIDDEN_ORIGIN' } },
    });
    const [present, notAllowed] = originRule.Statement.AndStatement.Statements;
    expect(present).toEqual({
      SizeConstraintStatement: {
        FieldToMatch: { SingleHeader: { Name: 'origin' } },
        ComparisonOperator: 'GT',
        Size: 0,
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    });
    const regex = notAllowed.NotStatement.Statement.RegexMatchStatement.RegexString;
    const allowed = new RegExp(evaluate(regex, deployed('https://apply.example.org,http://localhost:3000')));
    for (const origin of [
      'https://apply.example.org',
      'http://localhost:3000',
      'https://a1b2c3d4e5.execute-api.ap-east-1.amazonaws.com',
      APP_ORIGIN,
    ])
      expect({ origin, allowed: allowed.test(origin) }).toEqual({ origin, allowed: true });
    for (const origin of [
      'https://evil.example',
      'https://applyxexample.org',
      'https://apply.example.org.evil.example',
      'http://localhost:30000',
      'null',
      'https://apply.example.org/',
    ])
      expect({ origin, allowed: allowed.test(origin) }).toEqual({ origin, allowed: false });
    // WAF's limit on a regex string: the longest parameter value still fits.
    expect(
      evaluate(regex, deployed(`https://${'a'.repeat(200)}.org,http://${'b.'.repeat(40)}x:1`)).length,
    ).toBeLessThanOrEqual(512);
  });

  test("the deployed origin rule is the one the local gateway evaluates (infra/origin-rule.ts): the API's own pages and allowed origins pass, null and foreign ones do not", () => {
    // CloudFormation's keys are PascalCase; the statement as CDK is given it is camelCase (a header's Name stays as written).
    const camelCased = (value: unknown, parent = ''): unknown => {
      if (Array.isArray(value)) return value.map((v) => camelCased(v));
      if (value === null || typeof value !== 'object' || parent === 'SingleHeader') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, v]) => [key[0].toLowerCase() + key.slice(1), camelCased(v, key)]),
      );
    };
    const apiOrigin = 'https://a1b2c3d4e5.execute-api.ap-east-1.amazonaws.com';
    const regex = originsRegex(apiOrigin, `https://apply.example.org,${APP_ORIGIN}`);
    const statement = disallowedOriginStatement(regex);
    expect(camelCased(evaluate(rule('DisallowedOrigin').Statement, deployed('https://apply.example.org')))).toEqual(
      statement,
    );
    const refused = (origin?: string) => matchesStatement(statement, origin === undefined ? {} : { origin });
    expect([refused(apiOrigin), refused('https://apply.example.org'), refused(undefined)]).toEqual([
      false,
      false,
      false,
    ]);
    expect([refused('null'), refused('https://evil.example'), refused(`${apiOrigin}.evil.example`)]).toEqual([
      true,
      true,
      true,
    ]);
  });

  test('the AllowedOrigins parameter: origins only, the local ones by default', () => {
    const parameter = json.Parameters.AllowedOrigins;
    expect(parameter).toMatchObject({ Type: 'String', Default: LOCAL_ORIGINS });
    const pattern = new RegExp(parameter.AllowedPattern as string);
    for (const value of [
      LOCAL_ORIGINS,
      'https://apply.example.org',
      'https://apply.example.org,https://staff.example.org:8443',
    ])
      expect(pattern.test(value)).toBe(true);
    for (const value of [
      '*',
      '',
      'https://apply.example.org/',
      'https://Apply.example.org',
      'https://a.org, https://b.org',
      'https://a.org,',
      'apply.example.org',
      'https://a"b.org',
    ])
      expect({ value, accepted: pattern.test(value) }).toEqual({ value, accepted: false });
  });

  test("API Gateway's own refusals carry CORS headers (the request's Origin, which the web ACL has vetted)", () => {
    const responses = ofType('AWS::ApiGateway::GatewayResponse');
    expect(responses.length).toBeGreaterThanOrEqual(5);
    for (const [, response] of responses) {
      expect(response.Properties.ResponseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'",
      });
    }
  });

  test('every resource with a method has a preflight that names the request origin only when AllowedOrigins holds it', () => {
    const methods = ofType('AWS::ApiGateway::Method');
    const withRoutes = new Set(
      methods
        .filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS')
        .map(([, m]) => JSON.stringify(m.Properties.ResourceId)),
    );
    const preflights = methods.filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    expect(new Set(preflights.map(([, m]) => JSON.stringify(m.Properties.ResourceId)))).toEqual(withRoutes);
    for (const [, preflight] of preflights) {
      const [response] = preflight.Properties.Integration.IntegrationResponses;
      expect(response.StatusCode).toBe('204');
      const template = evaluate(
        response.ResponseTemplates['application/json'],
        deployed('https://apply.example.org,http://localhost:3000'),
      );
      expect(template).toContain(
        `",https://apply.example.org,http://localhost:3000,${APP_ORIGIN},".contains(",$origin,")`,
      );
      expect(template).toContain('#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)');
      const headers = evaluate(
        response.ResponseParameters,
        deployed('https://apply.example.org,http://localhost:3000'),
      );
      expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'https://apply.example.org'");
      expect(headers['method.response.header.Vary']).toBe("'Origin'");
      expect(preflight.Properties.MethodResponses).toEqual([
        {
          StatusCode: '204',
          ResponseParameters: expect.objectContaining({ 'method.response.header.Access-Control-Allow-Origin': true }),
        },
      ]);
    }
    // No wildcard origin anywhere.
    expect(JSON.stringify(json)).not.toMatch(/Access-Control-Allow-Origin[^,]*'\*'/);
  });

  test('every API function, and only those, is told the allowed origins (ALLOWED_ORIGINS, for its CORS headers)', () => {
    const apiFunctions = new Set<AnyFunctionName>(routes.map((route) => route.fn));
    for (const spec of functionSpecs) {
      const variables = resources[logicalId(spec.name)].Properties.Environment.Variables as Record<string, unknown>;
      const told =
        variables.ALLOWED_ORIGINS === undefined ? undefined : evaluate(variables.ALLOWED_ORIGINS, deployed());
      expect({ fn: spec.name, origins: told }).toEqual({
        fn: spec.name,
        origins: apiFunctions.has(spec.name) ? `${LOCAL_ORIGINS},${APP_ORIGIN}` : undefined,
      });
    }
  });
});

describe('Cognito', () => {
  test('a strong password policy, TOTP MFA required, threat protection enforced, deletion protection, email-only recovery', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
        },
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  test('a changed email address takes effect only once verified (the original stays in force and in the token until then)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });

  // The web app's client (authorization code with PKCE, its callback) is test/infra/web-app.test.ts.
  test('the API client has no OAuth flow (no implicit grant, no callback URL) and hides whether a user exists', () => {
    const [, client] = ofType('AWS::Cognito::UserPoolClient').find(([id]) => id.startsWith('UsersApiClient'))!;
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties.CallbackURLs).toBeUndefined();
    expect(client.Properties.GenerateSecret).toBeUndefined();
  });
});

describe('deletion protection and retention of records', () => {
  test('the table cannot be deleted (deletion protection) and is kept when the stack is deleted', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  test('the report files bucket logs every access to its own log bucket, which only S3 log delivery for that bucket may write', () => {
    const files = stack.getLogicalId(
      stack.node.findChild('ReportFiles').node.findChild('Bucket').node.defaultChild as CfnElement,
    );
    const logs = stack.getLogicalId(
      stack.node.findChild('ReportFiles').node.findChild('AccessLogs').node.defaultChild as CfnElement,
    );
    expect(resources[files].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs },
      LogFilePrefix: 'report-files/',
    });
    expect(resources[logs].Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: expect.any(Number), Status: 'Enabled' })],
      },
    });
    expect(resources[logs].Properties.AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [files, 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });
});
