import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { CfnOutput, CustomResource, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { listSeedUnits } from '@shared/domain/catalogue';
import { listSeedExperts } from '@shared/domain/experts';
import { Cors, CognitoUserPoolsAuthorizer, ResponseType, LambdaIntegration, MethodLoggingLevel, RestApi, type IResource } from 'aws-cdk-lib/aws-apigateway';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnUserPoolGroup, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { ApplicationWorkflow, applicationStateMachineName } from '@workflows/application-workflow';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { constructId, functionSpecs, type AnyFunctionName, type FunctionSpec } from './functions';
import { grantNeed, type GrantTargets } from './grants';
import { routes } from './routes';
import { ApplicationTable } from './table';
import { ReportFilesBucket } from './files-bucket';

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
 * and the gateway answers 5xx. The local gateway answers 413 from 6 MB; forms are capped at 250 KB.)
 */
const GATEWAY_ERRORS: [ResponseType, string, string, string][] = [
  [ResponseType.UNAUTHORIZED, '401', 'UNAUTHENTICATED', 'A valid bearer token is required'],
  [ResponseType.ACCESS_DENIED, '403', 'FORBIDDEN', 'Not allowed'],
  [ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'NOT_FOUND', 'No such route'],
  [ResponseType.REQUEST_TOO_LARGE, '413', 'PAYLOAD_TOO_LARGE', 'The request body exceeds 10 MB'],
  [ResponseType.THROTTLED, '429', 'THROTTLED', 'Too many requests; retry shortly'],
];

export interface FundingCallStackProps extends StackProps {
  /** A verified SES identity the association sends from. */
  senderEmail: string;
}

/** The whole product on AWS: the table, the report files bucket, one Lambda per handler, the workflow, the API and identity. */
export class FundingCallStack extends Stack {
  readonly functions = new Map<AnyFunctionName, NodejsFunction>();

  constructor(scope: Construct, id: string, props: FundingCallStackProps) {
    super(scope, id, props);
    const { table } = new ApplicationTable(this, 'Applications');
    const { bucket: filesBucket } = new ReportFilesBucket(this, 'ReportFiles');
    const api = this.addApi();
    const targets = this.grantTargets(api, table, filesBucket, props.senderEmail);
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
    const userPool = this.addIdentity();
    this.addRoutes(api, userPool);
    this.addDeadlineSweep();
    this.addUnitSeed();
    this.addAlarms(workflow);
    this.addOutputs({ api, workflow, userPool, table, filesBucket });
  }

  /** The REST API, its stage, and its gateway responses in the handlers' error contract. */
  private addApi(): RestApi {
    const api = new RestApi(this, 'Api', {
      restApiName: 'funding-call',
      description: 'Applications to the association society academic projects call',
      deployOptions: { stageName: API_STAGE, loggingLevel: MethodLoggingLevel.ERROR, tracingEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      defaultCorsPreflightOptions: { allowOrigins: Cors.ALL_ORIGINS, allowHeaders: [...Cors.DEFAULT_HEADERS, 'Idempotency-Key'] },
      cloudWatchRole: true,
    });
    for (const [type, statusCode, code, message] of GATEWAY_ERRORS) {
      api.addGatewayResponse(`${code}Response`, {
        type,
        statusCode,
        templates: { 'application/json': JSON.stringify({ error: { code, message, details: [] } }) },
      });
    }
    return api;
  }

  private grantTargets(api: RestApi, table: Table, filesBucket: IBucket, senderEmail: string): GrantTargets {
    // Built from the API's id, not its deployment, so the workflow's email links do not make the
    // API depend on itself through the state machine.
    const publicBaseUrl = `https://${api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${API_STAGE}/`;
    // Derives task ids and signs task links: generated here, never in code or in a template.
    const linkKey = new Secret(this, 'TaskLinkKey', {
      description: 'Key that derives task ids and signs the task links in staff and reviewer emails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    return { table, filesBucket, senderEmail, publicBaseUrl, linkKey, stateMachineName: applicationStateMachineName(this) };
  }

  /** One Lambda per spec, each given its needs (environment and grants together). */
  private addFunctions(specs: readonly FunctionSpec[], targets: GrantTargets): void {
    for (const spec of specs) {
      const fn = this.makeFunction(spec);
      spec.needs.forEach((need) => grantNeed(fn, need, targets));
    }
  }

  private makeFunction(spec: FunctionSpec): NodejsFunction {
    const fn = new NodejsFunction(this, constructId(spec.name), {
      entry: path.join(ROOT, 'functions', `${spec.name}.ts`),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(29),
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
        target: 'node22',
        minify: true,
        sourceMap: true,
        tsconfig: path.join(ROOT, 'tsconfig.json'),
        // Bundle the pinned SDK rather than use the runtime's: the code runs with the versions it was tested with.
        externalModules: [],
      },
    });
    this.functions.set(spec.name, fn);
    return fn;
  }

  private fn(name: AnyFunctionName): NodejsFunction {
    return this.functions.get(name) as NodejsFunction;
  }

  private addWorkflow(): ApplicationWorkflow {
    return new ApplicationWorkflow(this, 'ApplicationWorkflow', {
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
  }

  /** Identity: units sign in with their unit id as a custom attribute; staff and admins are groups. */
  private addIdentity(): UserPool {
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { unitId: new StringAttribute({ minLen: 2, maxLen: 64, mutable: false }) },
    });
    userPool.addClient('ApiClient', { authFlows: { userPassword: true, userSrp: true } });
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
      resourceFor(route.path).addMethod(route.method, new LambdaIntegration(this.fn(route.fn)), route.auth === 'user' ? { authorizer } : {});
    }
  }

  /** Deadlines are enforced by a sweep, not by long timers inside executions. */
  private addDeadlineSweep(): void {
    new Rule(this, 'DeadlineSweep', { schedule: Schedule.rate(Duration.minutes(1)), targets: [new LambdaFunction(this.fn('sweep-deadlines'))] });
  }

  /**
   * The member units and their standing, and the expert pool, from seeds/: new ones are added on deploy;
   * a standing staff have set since is never overwritten.
   */
  private addUnitSeed(): void {
    const unitSeeder = new Provider(this, 'UnitSeeder', { onEventHandler: this.fn('seed-units') });
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

  private addAlarms(workflow: ApplicationWorkflow): void {
    new Alarm(this, 'WorkflowFailures', {
      metric: workflow.stateMachine.metricFailed({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'An application workflow execution failed',
    });
  }

  private addOutputs(parts: { api: RestApi; workflow: ApplicationWorkflow; userPool: UserPool; table: Table; filesBucket: IBucket }): void {
    new CfnOutput(this, 'ApiUrl', { value: parts.api.url });
    new CfnOutput(this, 'StateMachineArn', { value: parts.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'UserPoolId', { value: parts.userPool.userPoolId });
    new CfnOutput(this, 'TableName', { value: parts.table.tableName });
    new CfnOutput(this, 'FilesBucketName', { value: parts.filesBucket.bucketName });
  }
}
