/** The state-machine actions: DescribeStateMachine, DescribeStateMachineForExecution, ListStateMachines. */
import type { ApiContext } from './api-context';
import { machineByArn } from './machines';
import { pageAfterArn, pageSize, requireString } from './request';
import type { JsonObject, MachineEntry } from './types';
import { seconds } from './util';

function describeMachine(machine: MachineEntry): JsonObject {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: JSON.stringify(machine.definition),
    roleArn: machine.roleArn,
    type: 'STANDARD',
    creationDate: seconds(machine.creationDate),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

export function describeStateMachine(ctx: ApiContext, request: JsonObject): JsonObject {
  return describeMachine(machineByArn(ctx.machines, requireString(request, 'stateMachineArn')));
}

export function describeStateMachineForExecution(ctx: ApiContext, request: JsonObject): JsonObject {
  const exec = ctx.executions.byArn(requireString(request, 'executionArn'));
  const machine = machineByArn(ctx.machines, exec.stateMachineArn);
  const { status: _status, creationDate, ...rest } = describeMachine(machine);
  return { ...rest, updateDate: creationDate };
}

export function listStateMachines(ctx: ApiContext, request: JsonObject): JsonObject {
  const limit = pageSize(request);
  const all = [...ctx.machines.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, nextToken } = pageAfterArn(all, request, limit);
  const out: JsonObject = {
    stateMachines: page.map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: 'STANDARD',
      creationDate: seconds(m.creationDate),
    })),
  };
  if (nextToken !== undefined) out.nextToken = nextToken;
  return out;
}
