import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Stack } from 'aws-cdk-lib';
import type { Need } from './functions';

export interface GrantTargets {
  table: Table;
  stateMachine?: StateMachine;
  senderEmail: string;
  publicBaseUrl: string;
}

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
    case 'workflow:start':
      if (!targets.stateMachine) throw new Error(`${fn.node.id} needs the state machine before it exists`);
      fn.addEnvironment('STATE_MACHINE_ARN', targets.stateMachine.stateMachineArn);
      targets.stateMachine.grantStartExecution(fn);
      return;
    case 'workflow:answer':
      if (!targets.stateMachine) throw new Error(`${fn.node.id} needs the state machine before it exists`);
      targets.stateMachine.grantTaskResponse(fn);
      // Answering a task whose execution is gone needs to see whether it is still running.
      targets.stateMachine.grantExecution(fn, 'states:DescribeExecution');
      return;
    case 'email:send': {
      fn.addEnvironment('SENDER_EMAIL', targets.senderEmail);
      const identity = Stack.of(fn).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
      fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identity] }));
      return;
    }
    case 'links':
      fn.addEnvironment('PUBLIC_BASE_URL', targets.publicBaseUrl);
      return;
  }
}
