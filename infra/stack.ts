import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  Aws,
  CfnOutput,
  CustomResource,
  Duration,
  Fn,
  Stack,
  Validations,
  type CfnElement,
  type StackProps,
} from 'aws-cdk-lib';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { listSeedUnits } from '@shared/domain/catalogue';
import { listSeedExperts } from '@shared/domain/experts';
import {
  CognitoUserPoolsAuthorizer,
  ResponseType,
  LambdaIntegration,
  MethodLoggingLevel,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { ApplicationWorkflow, applicationStateMachineName } from '@workflows/application-workflow';
import { RECONCILE_EVERY_MS } from '@shared/use-cases/stalled-workflows';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { constructId, functionSpecs, memoryMbOf, type AnyFunctionName, type FunctionSpec } from './functions';
import { grantNeed, type GrantTargets } from './grants';
import { SES_DEFAULT_SEND_RATE } from './context';
import { routes } from './routes';
import { ApplicationTable } from './table';
import { ReportFilesBucket } from './files-bucket';
import {
  accessLogging,
  addPreflights,
  allowedOriginsParameter,
  allowedOriginsWith,
  ApiFirewall,
  gatewayResponseCorsHeaders,
} from './api-protection';
import { FunctionLogging } from './function-logs';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET, bundleAliasArgs } from './bundling';
import { ObservabilityStack } from './observability';
import { EmailSending } from './email';
import { WebApp } from './web-app';

const ROOT = path.resolve(__dirname, '..');
export const API_STAGE = 'v1';

/** Workflow steps are built first: the state machine is built from them, the API functions from it. */
const STEP_NAMES: readonly AnyFunctionName[] = [
  'send-receipt',
  'formal-check',
  'return-for-correction',
  'record-rejection',
  'record-failure',
  'open-link-task',
  'record-review-outcome',
  'open-review-wait',
  'open-expert-review',
  'collect-scores',
  'record-award',
];

/**
 * API Gateway's own refusals speak the same error contract as the handlers. (Its body limit is
 * 10 MB, but Lambda takes at most 6 MB per synchronous invocation: between the two, Lambda refuses
 * and the gateway answers 5xx. On AWS the web ACL answers 413 from 1 MB by Content-Length
 * (infra/api-protection.ts); the local gateway answers 413 from 6 MB; forms are capped at 250 KB.)
 */
const GATEWAY_ERRORS: [ResponseType, string, string, string][] = [
  [ResponseType.UNAUTHORIZED, '401', 'UNAUTHENTICATED', 'A valid bearer token is required'],
  [ResponseType.ACCESS_DENIED, '403', 'FORBIDDEN', 'Not allowed'],
  [ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'NOT_FOUND', 'No such route'],
  [ResponseType.REQUEST_TOO_LARGE, '413', 'PAYLOAD_TOO_LARGE', 'The request body exceeds 10 MB'],
  [ResponseType.THROTTLED, '429', 'THROTTLED', 'Too many requests; retry shortly'],
];

/** Why each route without the Cognito authorizer is public (cdk-nag AwsSolutions-APIG4 and COG4). */
const PUBLIC_ROUTES: Partial<Record<AnyFunctionName, string>> = {
  'list-calls':
    'The open calls and their rules are public information, published for every member society to read before signing in.',
  'get-call':
    'One open call and its rules: public information, published for every member society to read before signing in.',
  'task-link':
    'Staff and experts open the task links they are emailed without an account: each link carries an HMAC signature (a key in Secrets Manager) ' +
    'that names the task and its one recipient, checked by the handler before anything is shown or recorded; the link stops working once ' +
    'the task is answered, expires or is withdrawn.',
  'get-results':
    'The results of a call, once staff publish them, are public by the call rules; before publication the handler answers 404.',
};

export interface FundingCallStackProps extends StackProps {
  /** The address the association sends from: an SES email identity of the stack, verified by following SES's link (CDK context `senderEmail`). */
  senderEmail: string;
  /** Where operators' alarms go (CDK context `alarmEmail`). */
  alarmEmail: string;
  /** The account's SES quota, emails a second (CDK context `sesSendRate`; 14, SES's first quota, if absent). */
  sesSendRate?: number;
}

/** The whole product on AWS: the table, the report files bucket, one Lambda per handler, the workflow, the API and identity. */
export class FundingCallStack extends Stack {
  readonly functions = new Map<AnyFunctionName, NodejsFunction>();
  /** The AllowedOrigins stack parameter (infra/api-protection.ts): the browser origins the API answers. */
  private allowedOrigins = '';
  /** The sender identity, the configuration set every send names, and its events topic. */
  readonly email: EmailSending;
  /** The societies' web app: its bucket, distribution, headers, and the managed login (infra/web-app.ts). */
  readonly webApp: WebApp;
  /** The operators' alarms, topic and dashboard: a nested stack (infra/observability.ts). */
  readonly observability: ObservabilityStack;

  constructor(scope: Construct, id: string, props: FundingCallStackProps) {
    super(scope, id, props);
    const { table } = new ApplicationTable(this, 'Applications');
    const { bucket: filesBucket } = new ReportFilesBucket(this, 'ReportFiles');
    const api = this.addApi();
    const userPool = this.addIdentity();
    this.webApp = this.addWebApp(api, userPool, filesBucket);
    this.protectApi(api, this.webApp);
    this.email = new EmailSending(this, 'Email', { senderEmail: props.senderEmail });
    const targets = this.grantTargets(api, table, filesBucket, {
      ...this.email.targets,
      webAppUrl: this.webApp.url,
      sendRate: props.sesSendRate ?? SES_DEFAULT_SEND_RATE,
    });
    this.addFunctions(
      functionSpecs.filter((s) => STEP_NAMES.includes(s.name)),
      targets,
    );
    const workflow = this.addWorkflow();
    targets.stateMachine = workflow.stateMachine;
    this.addFunctions(
      functionSpecs.filter((s) => !STEP_NAMES.includes(s.name)),
      targets,
    );
    this.email.recordEventsWith(this.fn('record-email-event'));
    this.addRoutes(api, userPool);
    this.addDeadlineSweep();
    const stalledEventsDlq = this.addStalledWorkflowRules(workflow);
    this.addUnitSeed();
    this.observability = this.addAlarms(workflow, api, table, props.alarmEmail, stalledEventsDlq);
    this.addOutputs({ api, workflow, userPool, table, filesBucket, webApp: this.webApp });
  }

  /**
   * The REST API, its stage (access logs), and its gateway responses in the handlers' error
   * contract, with CORS headers (infra/api-protection.ts; the web ACL is added by `protectApi`
   * once the web app's origin exists, the preflights with the routes).
   */
  private addApi(): RestApi {
    const api = new RestApi(this, 'Api', {
      restApiName: 'funding-call',
      description: 'Applications to the association society academic projects call',
      deployOptions: {
        stageName: API_STAGE,
        loggingLevel: MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        ...accessLogging(this),
      },
      cloudWatchRole: true,
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "The role API Gateway uses account-wide (AWS::ApiGateway::Account) to write execution and access logs; AWS's managed policy for it " +
        'grants CloudWatch Logs actions only, and the log groups API Gateway creates per API and stage cannot be named in advance.',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Every handler validates its path, query and body itself (the zod schemas of shared/domain) and answers 400 VALIDATION_FAILED ' +
        'with per-field details in the API error contract; a gateway validator would need the schemas duplicated as JSON Schema models ' +
        'and would refuse in another format. The web ACL bounds body size before the handlers.',
    });
    for (const [type, statusCode, code, message] of GATEWAY_ERRORS) {
      api.addGatewayResponse(`${code}Response`, {
        type,
        statusCode,
        responseHeaders: gatewayResponseCorsHeaders(),
        templates: { 'application/json': JSON.stringify({ error: { code, message, details: [] } }) },
      });
    }
    return api;
  }

  /**
   * The societies' web app (infra/web-app.ts). Its managed-login domain prefix is the CDK context
   * value `loginDomainPrefix` when given, else `funding-call-` and the first part of this stack's
   * id (a UUID CloudFormation gives the stack when it is created): unique among the region's Cognito
   * domains without a deployer choosing, stable for the stack's life, and no account id in a public URL.
   */
  private addWebApp(api: RestApi, userPool: UserPool, filesBucket: IBucket): WebApp {
    const chosen: unknown = this.node.tryGetContext('loginDomainPrefix');
    const stackUuidStart = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
    const loginDomainPrefix =
      typeof chosen === 'string' && chosen ? chosen : Fn.join('-', ['funding-call', stackUuidStart]);
    return new WebApp(this, 'WebApp', { api, userPool, filesBucket, loginDomainPrefix });
  }

  /**
   * The browser origins the API answers (the AllowedOrigins parameter's and the web app's: see
   * `allowedOriginsWith`) and the web ACL in front of the stage, which refuses any other.
   */
  private protectApi(api: RestApi, webApp: WebApp): void {
    this.allowedOrigins = allowedOriginsWith(allowedOriginsParameter(this).valueAsString, [webApp.origin]);
    new ApiFirewall(this, 'ApiFirewall', { api, allowedOrigins: this.allowedOrigins });
  }

  private grantTargets(api: RestApi, table: Table, filesBucket: IBucket, email: GrantTargets['email']): GrantTargets {
    // Built from the API's id, not its deployment, so the workflow's email links do not make the
    // API depend on itself through the state machine.
    const publicBaseUrl = `https://${api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${API_STAGE}/`;
    // Derives task ids and signs task links: generated here, never in code or in a template.
    const linkKey = new Secret(this, 'TaskLinkKey', {
      description: 'Key that derives task ids and signs the task links in staff and reviewer emails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(linkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs task links already emailed to staff and experts, valid for weeks (a review period); rotating it would invalidate ' +
        'every open link at once. It is generated by Secrets Manager, never leaves it except to the functions granted links:sign, ' +
        'and can be rotated by hand between calls.',
    });
    return {
      table,
      filesBucket,
      email,
      publicBaseUrl,
      linkKey,
      stateMachineName: applicationStateMachineName(this),
      functions: this.functions,
    };
  }

  /** One Lambda per spec, each given its needs (environment and grants together). */
  private addFunctions(specs: readonly FunctionSpec[], targets: GrantTargets): void {
    for (const spec of specs) {
      const fn = this.makeFunction(spec);
      spec.needs.forEach((need) => grantNeed(fn, need, targets));
    }
  }

  private makeFunction(spec: FunctionSpec): NodejsFunction {
    // Its own log group with a retention, and a role that may write to it only (infra/function-logs.ts).
    const logging = new FunctionLogging(this, `${constructId(spec.name)}Logging`, { tracing: true });
    const fn = new NodejsFunction(this, constructId(spec.name), {
      role: logging.role,
      logGroup: logging.logGroup,
      entry: path.join(ROOT, 'functions', `${spec.name}.ts`),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: memoryMbOf(spec),
      timeout: Duration.seconds(spec.timeoutSeconds ?? 29),
      reservedConcurrentExecutions: spec.reservedConcurrency,
      tracing: Tracing.ACTIVE,
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'funding-call',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      bundling: {
        format: OutputFormat.CJS,
        target: BUNDLE_TARGET,
        mainFields: BUNDLE_MAIN_FIELDS,
        minify: true,
        sourceMap: true,
        tsconfig: path.join(ROOT, 'tsconfig.json'),
        // The pinned SDK is bundled rather than taken from the runtime: the code runs with the versions it was
        // tested with, and its ES modules tree-shaken load faster than the runtime's whole packages (`npm run bench`).
        externalModules: BUNDLE_EXTERNALS,
        esbuildArgs: bundleAliasArgs(),
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is a current Lambda runtime (Node.js 22 LTS, in standard support), the runtime the bundles are built for (target node22) ' +
        'and tested against; moving to nodejs24.x is a deliberate upgrade of its own, not a side effect of a rule.',
    });
    this.functions.set(spec.name, fn);
    return fn;
  }

  private fn(name: AnyFunctionName): NodejsFunction {
    return this.functions.get(name) as NodejsFunction;
  }

  private addWorkflow(): ApplicationWorkflow {
    const workflow = new ApplicationWorkflow(this, 'ApplicationWorkflow', {
      sendReceipt: this.fn('send-receipt'),
      formalCheck: this.fn('formal-check'),
      returnForCorrection: this.fn('return-for-correction'),
      recordRejection: this.fn('record-rejection'),
      recordFailure: this.fn('record-failure'),
      openLinkTask: this.fn('open-link-task'),
      recordReviewOutcome: this.fn('record-review-outcome'),
      openReviewWait: this.fn('open-review-wait'),
      openExpertReview: this.fn('open-expert-review'),
      collectScores: this.fn('collect-scores'),
      recordAward: this.fn('record-award'),
    });
    Validations.of(workflow.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'What Step Functions needs to deliver execution logs to its log group (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, ' +
        'DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and to trace (xray:PutTraceSegments, ' +
        'PutTelemetryRecords, GetSamplingRules, GetSamplingTargets): none of these actions supports resource-level permissions.',
    });
    // CDK's LambdaInvoke grants lambda:InvokeFunction on each step's ARN and on ARN:* (its versions and aliases).
    for (const name of STEP_NAMES) {
      Validations.of(workflow.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.fn(name).node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: `The wildcard is the qualifier of one named function (${name}): its versions and aliases, which a Lambda task may invoke; no other function.`,
      });
    }
    return workflow;
  }

  /**
   * Identity: units sign in with their unit id as a custom attribute; staff and admins are groups.
   *
   * MFA is required for everyone, TOTP only. Cognito's MFA setting is pool-wide: staff and admins
   * alone could be held to it only with MFA optional plus a trigger that refuses their tokens until
   * they have set up TOTP, code that would be the one thing between a staff password and the staff
   * routes. A unit's account commits the society's application slots and reads its applications,
   * so TOTP for units too is the simpler and the stronger choice. SMS is off (no SIM-swap, no SNS
   * spending). Users created by staff set up TOTP at their first sign-in (Cognito's MFA_SETUP challenge).
   */
  private addIdentity(): UserPool {
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // A user may change their own address, but the old one stays in force (and in the token) until
      // the new one is verified: a staff member's address is what finds their tasks (shared/domain/identity.ts).
      autoVerify: { email: true },
      keepOriginal: { email: true },
      customAttributes: { unitId: new StringAttribute({ minLen: 2, maxLen: 64, mutable: false }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // A forgotten password is reset by email only (CDK's default would try a phone number first).
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, adaptive authentication) enforced: Cognito's Plus plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
    });
    // Programs and the command line sign in with SRP or user-password, no OAuth flow and no callback URL;
    // the web app has its own client, through the managed login (infra/web-app.ts).
    userPool.addClient('ApiClient', {
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });
    for (const group of ['staff', 'admin']) {
      new CfnUserPoolGroup(this, `${group}Group`, { userPoolId: userPool.userPoolId, groupName: group });
    }
    return userPool;
  }

  /** Every route of routes.ts as a method on its resource; user routes behind the Cognito authorizer. */
  private addRoutes(api: RestApi, userPool: UserPool): void {
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [userPool] });
    const resourceFor = (routePath: string): IResource =>
      routePath
        .split('/')
        .filter(Boolean)
        .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), api.root);
    for (const route of routes) {
      const fn = this.fn(route.fn);
      // The handlers' CORS headers (functions/lib/http.ts) answer the same origins as the preflight.
      fn.addEnvironment('ALLOWED_ORIGINS', this.allowedOrigins);
      // One invoke permission per function (for this API), not one per method and stage: the stack
      // stays well below CloudFormation's 500 resources (each permission is a resource).
      const integration = new LambdaIntegration(fn, { scopePermissionToMethod: false });
      const method = resourceFor(route.path).addMethod(
        route.method,
        integration,
        route.auth === 'user' ? { authorizer } : {},
      );
      if (route.auth === 'none') {
        const reason = PUBLIC_ROUTES[route.fn];
        if (!reason) throw new Error(`${route.method} ${route.path} has no authorizer and no reason in PUBLIC_ROUTES`);
        for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4'])
          Validations.of(method).acknowledge({ id, reason });
      }
    }
    addPreflights(api, this.allowedOrigins);
  }

  /**
   * Deadlines are enforced by a sweep, not by long timers inside executions. Its workers are not
   * retried by Lambda: a retry would overlap the next minute's worker of the same shard (adding up
   * their email rates), which takes over whatever was left anyway. An event not run within a minute
   * is dropped for the same reason.
   */
  private addDeadlineSweep(): void {
    new Rule(this, 'DeadlineSweep', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.fn('sweep-deadlines'))],
    });
    this.fn('sweep-shard').configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
  }

  /**
   * No application stalls (functions/resume-stalled.ts): the state machine's executions that end
   * ABORTED, TIMED_OUT or FAILED are sent to resume-stalled at once, and a schedule runs its
   * reconciliation every RECONCILE_EVERY_MS for whatever an event missed.
   *
   * EventBridge invokes Lambda asynchronously, so an event can be lost in two places, and both keep
   * it in one encrypted queue (alarmed in infra/observability.ts): EventBridge could not hand it to
   * Lambda (the target's retry policy, then its dead-letter queue), or the function failed on it
   * (Lambda's own retries, then its on-failure destination). The reconciliation only looks at
   * applications whose record changed lately, so one that waited weeks on a person when its
   * execution was stopped is found by the event alone (or by the person's answer): a lost event
   * must not be silent. Sending a kept event to resume-stalled again is safe (the rule checks first).
   */
  private addStalledWorkflowRules(workflow: ApplicationWorkflow): IQueue {
    const resume = this.fn('resume-stalled');
    const deadLetters = new Queue(this, 'StalledEventsDlq', {
      // SQS-managed keys: EventBridge may send to the queue without a KMS grant (it cannot use the AWS-managed SQS key).
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: it keeps the Execution Status Change events EventBridge could not deliver to resume-stalled ' +
        'and the invocations resume-stalled failed on after its retries, for operators to read (its visible messages are alarmed).',
    });
    resume.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(deadLetters),
    });
    new Rule(this, 'StalledExecutionEnded', {
      description:
        'An application workflow execution ended ABORTED, TIMED_OUT or FAILED: resume-stalled resumes its application if that left it stalled',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
          stateMachineArn: [workflow.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new LambdaFunction(resume, { retryAttempts: 24, maxEventAge: Duration.hours(6), deadLetterQueue: deadLetters }),
      ],
    });
    new Rule(this, 'StalledReconciliation', {
      description: 'The reconciliation of stalled applications, for whatever an Execution Status Change event missed',
      schedule: Schedule.rate(Duration.millis(RECONCILE_EVERY_MS)),
      targets: [new LambdaFunction(resume)],
    });
    return deadLetters;
  }

  /**
   * The member units and their standing, and the expert pool, from seeds/: new ones are added on deploy;
   * a standing staff have set since is never overwritten.
   */
  private addUnitSeed(): void {
    // The provider's own function gets a log group with a retention and a role limited to it, as ours do.
    const logging = new FunctionLogging(this, 'UnitSeederLogging', { tracing: false });
    const unitSeeder = new Provider(this, 'UnitSeeder', {
      onEventHandler: this.fn('seed-units'),
      logGroup: logging.logGroup,
      frameworkOnEventRole: logging.role,
    });
    Validations.of(logging.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.fn('seed-units').node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        "CDK's provider framework may invoke the seed-units function and its versions and aliases (ARN:*): that one function only.",
    });
    new CustomResource(this, 'UnitSeed', {
      serviceToken: unitSeeder.serviceToken,
      // A change to either seed file runs the seeding again (new units and experts are added).
      properties: {
        seedHash: createHash('sha256')
          .update(JSON.stringify([listSeedUnits(), listSeedExperts()]))
          .digest('hex'),
      },
    });
  }

  /**
   * Operators' alarms (an SNS topic, its email subscriber) and the dashboard, in a nested stack for
   * resource headroom (infra/observability.ts says what a deployer sees): it refers to this stack's
   * resources, never the other way round.
   */
  private addAlarms(
    workflow: ApplicationWorkflow,
    api: RestApi,
    table: Table,
    alarmEmail: string | undefined,
    stalledEventsDlq: IQueue,
  ): ObservabilityStack {
    return new ObservabilityStack(this, 'Observability', {
      alarmEmail,
      stateMachine: workflow.stateMachine,
      functions: this.functions,
      apiStage: api.deploymentStage,
      table,
      stalledEventsDlq,
    });
  }

  private addOutputs(parts: {
    api: RestApi;
    workflow: ApplicationWorkflow;
    userPool: UserPool;
    table: Table;
    filesBucket: IBucket;
    webApp: WebApp;
  }): void {
    new CfnOutput(this, 'ApiUrl', { value: parts.api.url });
    new CfnOutput(this, 'StateMachineArn', { value: parts.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'UserPoolId', { value: parts.userPool.userPoolId });
    new CfnOutput(this, 'TableName', { value: parts.table.tableName });
    new CfnOutput(this, 'FilesBucketName', { value: parts.filesBucket.bucketName });
    new CfnOutput(this, 'WebAppUrl', {
      description: "The societies' web app (sign-in through the user pool's managed login)",
      value: parts.webApp.url,
    });
  }
}
