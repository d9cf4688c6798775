/** The execution actions: StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution. */
import { randomUUID } from 'node:crypto';
import { executionArnFor } from '@shared/domain/ids';
import type { ApiContext } from './api-context';
import { CORAL_NS, invalidToken, SfnApiError, validationError } from './errors';
import { renderEvent } from './history';
import { machineByArn } from './machines';
import {
  decodeCursor,
  encodeCursor,
  optionalString,
  pageAfterArn,
  pageSize,
  parseJson,
  requireString,
} from './request';
import { STATUSES, type Execution, type JsonObject, type JsonValue, type MachineEntry } from './types';
import { seconds } from './util';

/** AWS's execution-name rule: 1–80 characters, no whitespace, brackets, wildcards, most punctuation or control characters. */
function isValidExecutionName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name);
}

function newExecution(machine: MachineEntry, arn: string, name: string, input: string): Execution {
  return {
    arn,
    name,
    stateMachineArn: machine.arn,
    status: 'RUNNING',
    input,
    startDate: Date.now(),
    history: [],
    machine,
    openTasks: new Set(),
    freshTokens: [],
    pendingAttempts: new Map(),
    activeAttempts: new Map(),
    failedContainers: new Set(),
  };
}

export function startExecution(ctx: ApiContext, request: JsonObject): JsonObject {
  if (ctx.isStopping())
    throw new SfnApiError('ServiceUnavailable', 'The local Step Functions server is stopping', CORAL_NS, 503);
  const machine = machineByArn(ctx.machines, requireString(request, 'stateMachineArn'));
  const name = optionalString(request, 'name') ?? randomUUID();
  if (!isValidExecutionName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
  const input = optionalString(request, 'input') ?? '{}';
  const parsedInput = parseJson(
    input,
    (message) => new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${message}'`),
  );
  const arn = executionArnFor(machine.arn, name);
  const existing = ctx.executions.get(arn);
  if (existing) {
    // AWS (Standard) answers an identical re-start of a still-running execution with that execution.
    if (existing.status === 'RUNNING' && existing.input === input) {
      return { executionArn: existing.arn, startDate: seconds(existing.startDate) };
    }
    throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
  const exec = newExecution(machine, arn, name, input);
  // Registered before the run starts: the first Task runs synchronously inside run(), and its
  // handler may already call back into this API about its own execution.
  ctx.executions.add(exec);
  ctx.runner.launch(exec, machine, parsedInput as JsonValue);
  return { executionArn: arn, startDate: seconds(exec.startDate) };
}

export function describeExecution(ctx: ApiContext, request: JsonObject): JsonObject {
  const exec = ctx.executions.byArn(requireString(request, 'executionArn'));
  const out: JsonObject = {
    executionArn: exec.arn,
    stateMachineArn: exec.stateMachineArn,
    name: exec.name,
    status: exec.status,
    startDate: seconds(exec.startDate),
    input: exec.input,
    inputDetails: { included: true },
    redriveCount: 0,
  };
  if (exec.stopDate !== undefined) out.stopDate = seconds(exec.stopDate);
  if (exec.output !== undefined) {
    out.output = exec.output;
    out.outputDetails = { included: true };
  }
  if (exec.error !== undefined) out.error = exec.error;
  if (exec.cause !== undefined) out.cause = exec.cause;
  return out;
}

function statusFilterOf(request: JsonObject): string | undefined {
  const statusFilter = optionalString(request, 'statusFilter');
  if (statusFilter !== undefined && !(STATUSES as readonly string[]).includes(statusFilter)) {
    throw validationError(
      `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`,
    );
  }
  return statusFilter;
}

function listItem(e: Execution): JsonObject {
  const item: JsonObject = {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
  };
  if (e.stopDate !== undefined) item.stopDate = seconds(e.stopDate);
  return item;
}

/** Newest first; executions started in the same millisecond by ARN. */
function newestFirst(a: Execution, b: Execution): number {
  return b.startDate - a.startDate || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
}

export function listExecutions(ctx: ApiContext, request: JsonObject): JsonObject {
  const machine = machineByArn(ctx.machines, requireString(request, 'stateMachineArn'));
  const statusFilter = statusFilterOf(request);
  const limit = pageSize(request);
  const all = ctx.executions
    .all()
    .filter((e) => e.stateMachineArn === machine.arn && (statusFilter === undefined || e.status === statusFilter))
    .sort(newestFirst);
  const { page, nextToken } = pageAfterArn(all, request, limit, { sm: machine.arn, status: statusFilter ?? null });
  const out: JsonObject = { executions: page.map(listItem) };
  if (nextToken !== undefined) out.nextToken = nextToken;
  return out;
}

export function getExecutionHistory(ctx: ApiContext, request: JsonObject): JsonObject {
  const exec = ctx.executions.byArn(requireString(request, 'executionArn'));
  const reverse = request.reverseOrder === true;
  const includeData = request.includeExecutionData !== false;
  const limit = pageSize(request);
  let events = reverse ? [...exec.history].reverse() : exec.history;
  const nextToken = optionalString(request, 'nextToken');
  if (nextToken !== undefined) {
    const cursor = decodeCursor(nextToken);
    if (cursor.exec !== exec.arn || cursor.reverse !== reverse || typeof cursor.id !== 'number') throw invalidToken();
    const lastId = cursor.id;
    events = events.filter((e) => (reverse ? e.id < lastId : e.id > lastId));
  }
  const page = events.slice(0, limit);
  const out: JsonObject = { events: page.map((e) => renderEvent(e, includeData)) };
  if (events.length > limit) out.nextToken = encodeCursor({ exec: exec.arn, reverse, id: page[page.length - 1].id });
  return out;
}

export async function stopExecution(ctx: ApiContext, request: JsonObject): Promise<JsonObject> {
  const exec = ctx.executions.byArn(requireString(request, 'executionArn'));
  if (exec.status === 'RUNNING') {
    ctx.runner.abort(exec, optionalString(request, 'error'), optionalString(request, 'cause'));
    // Let the run wind down so the history already ends with ExecutionAborted when we answer.
    await exec.done;
  }
  return { stopDate: seconds(exec.stopDate ?? Date.now()) };
}
