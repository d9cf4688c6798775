/** The Step Functions API actions the endpoint answers, by name. */
import {
  describeExecution,
  getExecutionHistory,
  listExecutions,
  startExecution,
  stopExecution,
} from './api-executions';
import { describeStateMachine, describeStateMachineForExecution, listStateMachines } from './api-machines';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './api-tasks';
import { CORAL_NS, SfnApiError } from './errors';
import type { ApiContext } from './api-context';
import type { JsonObject } from './types';

type Action = (ctx: ApiContext, request: JsonObject) => JsonObject | Promise<JsonObject>;

const ACTIONS = new Map<string, Action>([
  ['StartExecution', startExecution],
  ['DescribeExecution', describeExecution],
  ['ListExecutions', listExecutions],
  ['GetExecutionHistory', getExecutionHistory],
  ['StopExecution', stopExecution],
  ['SendTaskSuccess', sendTaskSuccess],
  ['SendTaskFailure', sendTaskFailure],
  ['SendTaskHeartbeat', sendTaskHeartbeat],
  ['DescribeStateMachine', describeStateMachine],
  ['DescribeStateMachineForExecution', describeStateMachineForExecution],
  ['ListStateMachines', listStateMachines],
]);

/** Answers one action; throws SfnApiError for the errors AWS would return. */
export async function handleAction(ctx: ApiContext, action: string, request: JsonObject): Promise<JsonObject> {
  const run = ACTIONS.get(action);
  if (!run) throw new SfnApiError('UnknownOperationException', `Unknown operation ${action}`, CORAL_NS);
  return run(ctx, request);
}
