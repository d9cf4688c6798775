import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Need } from './functions';
import { PENDING_PREFIX, REPORTS_PREFIX } from './files-bucket';

export interface GrantTargets {
  table: Table;
  stateMachine?: StateMachine;
  /** The state machine's name is fixed before it exists, so its own steps can be allowed to answer its tasks. */
  stateMachineName: string;
  senderEmail: string;
  publicBaseUrl: string;
  linkKey: ISecret;
  /** Report attachments. */
  filesBucket: IBucket;
}

const machineArn = (fn: NodejsFunction, name: string) =>
  Stack.of(fn).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/**
 * Gives a function one need: the environment variable its code reads and the permission that goes
 * with it, always together, so no function can know a resource it may not touch or vice versa.
 */
export function grantNeed(fn: NodejsFunction, need: Need, targets: GrantTargets): void {
  switch (need) {
    case 'table:read':
      fn.addEnvironment('TABLE_NAME', targets.table.tableName);
      targets.table.grantReadData(fn);
      return;
    case 'table:write':
      fn.addEnvironment('TABLE_NAME', targets.table.tableName);
      targets.table.grantReadWriteData(fn);
      return;
    case 'workflow:start': {
      if (targets.stateMachine) {
        fn.addEnvironment('STATE_MACHINE_ARN', targets.stateMachine.stateMachineArn);
        targets.stateMachine.grantStartExecution(fn);
        return;
      }
      // A step of the machine itself (the review's steps start a lost execution again, or resume one
      // at its stage): by the ARN built from the machine's fixed name, as for workflow:answer.
      const machine = machineArn(fn, targets.stateMachineName);
      fn.addEnvironment('STATE_MACHINE_ARN', machine);
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['states:StartExecution'], resources: [machine] }));
      return;
    }
    case 'workflow:answer': {
      // By the machine's ARN built from its fixed name: the steps that answer tasks of their own
      // execution (a task answered before it was waited on) exist before the machine does.
      const machine = machineArn(fn, targets.stateMachineName);
      const executions = Stack.of(fn).formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${targets.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: [machine],
        }),
      );
      // Answering a task whose execution is gone needs to see whether it is still running.
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['states:DescribeExecution'], resources: [executions] }));
      return;
    }
    case 'email:send': {
      fn.addEnvironment('SENDER_EMAIL', targets.senderEmail);
      const identity = Stack.of(fn).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identity] }));
      return;
    }
    case 'links':
      fn.addEnvironment('PUBLIC_BASE_URL', targets.publicBaseUrl);
      return;
    case 'links:sign':
      fn.addEnvironment('LINK_KEY_SECRET_ARN', targets.linkKey.secretArn);
      targets.linkKey.grantRead(fn);
      return;
    case 'files:upload': {
      const { filesBucket: bucket } = targets;
      fn.addEnvironment('FILES_BUCKET', bucket.bucketName);
      // A presigned URL acts with the signer's permissions: PutObject on pending/ is what lets the
      // browser's upload in. The copy to reports/ reads pending/ and writes reports/.
      const pending = bucket.arnForObjects(`${PENDING_PREFIX}*`);
      const reports = bucket.arnForObjects(`${REPORTS_PREFIX}*`);
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [pending, reports] }));
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [pending, reports] }));
      // Without ListBucket, S3 answers a HeadObject of a missing key 403 instead of 404, and
      // headUpload could not tell "not uploaded (yet)" from a fault.
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      return;
    }
    case 'files:read':
      fn.addEnvironment('FILES_BUCKET', targets.filesBucket.bucketName);
      fn.addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [targets.filesBucket.arnForObjects(`${REPORTS_PREFIX}*`)] }),
      );
      return;
  }
}
