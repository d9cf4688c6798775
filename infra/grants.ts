import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { AnyFunctionName, Need } from './functions';
import { PENDING_PREFIX, REPORTS_PREFIX } from './files-bucket';
import type { EmailSendingTargets } from './email';
import { TABLE_INDEXES } from './table';
import { acknowledgeOnRole, nagSpelling } from './nag';

export interface GrantTargets {
  table: Table;
  stateMachine?: StateMachine;
  /** The state machine's name is fixed before it exists, so its own steps can be allowed to answer its tasks. */
  stateMachineName: string;
  /** the sender identity and the configuration set every send names (infra/email.ts), the web app the emails link, and SES's quota (emails/s) */
  email: EmailSendingTargets & { webAppUrl: string; sendRate: number };
  publicBaseUrl: string;
  linkKey: ISecret;
  /** Report attachments. */
  filesBucket: IBucket;
  /** The functions made so far (sweep:fan-out names the sweep's worker, listed before the sweep). */
  functions?: ReadonlyMap<AnyFunctionName, NodejsFunction>;
}

/**
 * The DynamoDB actions of each table need, spelled out rather than CDK's grantReadData and
 * grantReadWriteData, which also give Scan, BatchGetItem, BatchWriteItem, DeleteItem, the stream
 * actions and DescribeTable. No request path scans or batches (test/infra/function-env.test.ts checks
 * each function's grant against the commands its bundle sends):
 * - read: GetItem on the table; Query on the table and on each index by name.
 * - write: read and PutItem, UpdateItem, ConditionCheckItem. TransactWriteItems is no IAM action of
 *   its own: DynamoDB authorises each item of a transaction as the single-item call it performs
 *   (Put as PutItem, Update as UpdateItem, ConditionCheck as ConditionCheckItem). ConditionCheckItem
 *   reveals no more than GetItem, which a writer has anyway.
 * - delete: DeleteItem alone, for the functions whose code deletes (a workflow start once seen, an
 *   email claim given back when SES refused the send).
 */
function tableGrants(need: 'table:read' | 'table:write' | 'table:delete', table: Table): [string[], string[]][] {
  const indexes = TABLE_INDEXES.map((name) => `${table.tableArn}/index/${name}`);
  const read: [string[], string[]][] = [
    [['dynamodb:GetItem'], [table.tableArn]],
    [['dynamodb:Query'], [table.tableArn, ...indexes]],
  ];
  if (need === 'table:read') return read;
  if (need === 'table:delete') return [[['dynamodb:DeleteItem'], [table.tableArn]]];
  return [...read, [['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], [table.tableArn]]];
}

/** cdk-nag AwsSolutions-IAM5 on the objects under one prefix of the bucket (acknowledged with OBJECT_KEYS_REASON). */
const objectsFinding = (bucket: IBucket, prefix: string) =>
  `AwsSolutions-IAM5[Resource::${nagSpelling(bucket, bucket.arnForObjects(`${prefix}*`))}]`;
const OBJECT_KEYS_REASON =
  'Object keys are made per upload at run time (pending/<application>/<obligation>/…, copied to reports/v<n>-<hand-in>/… on submission), so the ' +
  "grant names one prefix of the one report files bucket, not keys; the use case checks that a key is under the caller's own " +
  "application's prefix before presigning or copying it.";

const machineArn = (fn: NodejsFunction, name: string) =>
  Stack.of(fn).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

/** states:DescribeExecution on the executions of the stack's one state machine (whether one still runs). */
function grantDescribeExecutions(fn: NodejsFunction, stateMachineName: string): void {
  const executions = Stack.of(fn).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['states:DescribeExecution'], resources: [executions] }),
  );
  acknowledgeOnRole(
    fn,
    `AwsSolutions-IAM5[Resource::${nagSpelling(fn, executions)}]`,
    "states:DescribeExecution on the executions of this stack's one state machine (execution:<machine name>:*): executions are named " +
      'per application at run time, so they cannot be listed in advance; the action reads an execution status and nothing else.',
  );
}

/**
 * Gives a function one need: the environment variable its code reads and the permission that goes
 * with it, always together, so no function can know a resource it may not touch or vice versa.
 */
export function grantNeed(fn: NodejsFunction, need: Need, targets: GrantTargets): void {
  switch (need) {
    case 'table:read':
    case 'table:write':
    case 'table:delete':
      return grantTable(fn, need, targets.table);
    case 'workflow:start':
      return grantWorkflowStart(fn, targets);
    case 'workflow:answer':
      return grantWorkflowAnswer(fn, targets.stateMachineName);
    case 'workflow:read':
      return grantDescribeExecutions(fn, targets.stateMachineName);
    case 'email:send':
      return grantEmailSend(fn, targets.email);
    case 'links':
      fn.addEnvironment('PUBLIC_BASE_URL', targets.publicBaseUrl);
      return;
    case 'links:sign':
      fn.addEnvironment('LINK_KEY_SECRET_ARN', targets.linkKey.secretArn);
      targets.linkKey.grantRead(fn);
      return;
    case 'files:presign-upload':
      return grantPresignUpload(fn, targets.filesBucket);
    case 'files:upload':
      return grantReportUpload(fn, targets.filesBucket);
    case 'files:read':
      return grantReportRead(fn, targets.filesBucket);
    case 'sweep:fan-out':
      return grantSweepFanOut(fn, targets.functions?.get('sweep-shard'));
  }
}

const allow = (fn: NodejsFunction, actions: string[], resources: string[]) =>
  fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));

function grantTable(fn: NodejsFunction, need: 'table:read' | 'table:write' | 'table:delete', table: Table): void {
  fn.addEnvironment('TABLE_NAME', table.tableName);
  for (const [actions, resources] of tableGrants(need, table)) allow(fn, actions, resources);
}

function grantWorkflowStart(fn: NodejsFunction, targets: GrantTargets): void {
  if (targets.stateMachine) {
    fn.addEnvironment('STATE_MACHINE_ARN', targets.stateMachine.stateMachineArn);
    targets.stateMachine.grantStartExecution(fn);
    return;
  }
  // A step of the machine itself (the review's steps start a lost execution again, or resume one
  // at its stage): by the ARN built from the machine's fixed name, as for workflow:answer.
  const machine = machineArn(fn, targets.stateMachineName);
  fn.addEnvironment('STATE_MACHINE_ARN', machine);
  allow(fn, ['states:StartExecution'], [machine]);
}

/**
 * By the machine's ARN built from its fixed name: the steps that answer tasks of their own
 * execution (a task answered before it was waited on) exist before the machine does.
 */
function grantWorkflowAnswer(fn: NodejsFunction, stateMachineName: string): void {
  allow(
    fn,
    ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
    [machineArn(fn, stateMachineName)],
  );
  // Answering a task whose execution is gone needs to see whether it is still running.
  grantDescribeExecutions(fn, stateMachineName);
}

/** Invoking the sweep's worker, by its ARN alone (InvokeFunction on no version or alias: no wildcard). */
function grantSweepFanOut(fn: NodejsFunction, worker: NodejsFunction | undefined): void {
  if (!worker) throw new Error('sweep:fan-out: sweep-shard must come before the sweep in infra/functions.ts');
  fn.addEnvironment('SWEEP_SHARD_FUNCTION', worker.functionName);
  allow(fn, ['lambda:InvokeFunction'], [worker.functionArn]);
}

function grantEmailSend(fn: NodejsFunction, email: GrantTargets['email']): void {
  fn.addEnvironment('SENDER_EMAIL', email.senderEmail);
  // The units' emails link the web app's pages (amend, print, hand in a report).
  fn.addEnvironment('WEB_APP_URL', email.webAppUrl);
  fn.addEnvironment('SES_CONFIGURATION_SET', email.configurationSetName);
  // The account's quota, which the sweep's workers pace their sends by (shared/domain/sweep-plan.ts).
  fn.addEnvironment('SES_SEND_RATE', String(email.sendRate));
  // Only as the stack's sender: SES authorizes a send on the From identity and on the
  // configuration set it names, and the condition pins the From address itself.
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [email.identityArn, email.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': email.senderEmail } },
    }),
  );
}

/**
 * A presigned URL acts with the signer's permissions: PutObject on pending/ is what lets the
 * browser's upload in, and all the signer needs (it reads nothing, lists nothing).
 */
function grantPresignUpload(fn: NodejsFunction, bucket: IBucket): void {
  fn.addEnvironment('FILES_BUCKET', bucket.bucketName);
  allow(fn, ['s3:PutObject'], [bucket.arnForObjects(`${PENDING_PREFIX}*`)]);
  acknowledgeOnRole(fn, objectsFinding(bucket, PENDING_PREFIX), OBJECT_KEYS_REASON);
}

/** Handing a report in: each upload checked (HeadObject) and copied from pending/ to reports/. */
function grantReportUpload(fn: NodejsFunction, bucket: IBucket): void {
  fn.addEnvironment('FILES_BUCKET', bucket.bucketName);
  const pending = bucket.arnForObjects(`${PENDING_PREFIX}*`);
  const reports = bucket.arnForObjects(`${REPORTS_PREFIX}*`);
  // An upload is read (HeadObject, and CopyObject's source) under pending/ and written under reports/, nothing more.
  allow(fn, ['s3:GetObject'], [pending]);
  allow(fn, ['s3:PutObject'], [reports]);
  // A hand-in that fails after its copies were made deletes them (nothing expires under reports/).
  // No more than PutObject there could already do to a report's file: overwrite it.
  allow(fn, ['s3:DeleteObject'], [reports]);
  // Without ListBucket, S3 answers a HeadObject of a missing key 403 instead of 404, and
  // headUpload could not tell "not uploaded (yet)" from a fault.
  allow(fn, ['s3:ListBucket'], [bucket.bucketArn]);
  for (const prefix of [PENDING_PREFIX, REPORTS_PREFIX])
    acknowledgeOnRole(fn, objectsFinding(bucket, prefix), OBJECT_KEYS_REASON);
}

function grantReportRead(fn: NodejsFunction, bucket: IBucket): void {
  fn.addEnvironment('FILES_BUCKET', bucket.bucketName);
  allow(fn, ['s3:GetObject'], [bucket.arnForObjects(`${REPORTS_PREFIX}*`)]);
  acknowledgeOnRole(fn, objectsFinding(bucket, REPORTS_PREFIX), OBJECT_KEYS_REASON);
}
