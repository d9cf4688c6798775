/**
 * Maps aws-local-stepfunctions' event log onto AWS's history events, one small mapper per library
 * event type.
 */
import {
  beginAttempt,
  errorDetails,
  inputDetails,
  outputDetails,
  push,
  pushTaskFailure,
  pushTaskSuccess,
  takeActive,
} from './history';
import type { Execution, JsonObject, LibraryEvent, Log } from './types';
import { simplePath } from './util';

/** What the mappers need from the run: releasing the held tasks inside a failed Map/Parallel. */
export interface MapperHooks {
  releaseInside(exec: Execution, containerName: string): void;
}

type EventType = LibraryEvent['type'];
type EventOf<T extends EventType> = LibraryEvent & { type: T };
type Mapper<T extends EventType> = (exec: Execution, event: EventOf<T>, hooks: MapperHooks) => void;
type StateEvent = EventOf<'StateEntered' | 'StateExited' | 'StateFailed' | 'StateRetried' | 'StateCaught'>;
type MapIterationEvent = EventOf<'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed'>;

/** Feeds every library event of the run to its mapper; a mapping failure is logged and ends the mapping. */
export async function consumeEvents(
  exec: Execution,
  events: AsyncGenerator<LibraryEvent>,
  hooks: MapperHooks & { log: Log },
): Promise<void> {
  try {
    for await (const event of events) mapEvent(exec, event, hooks);
  } catch (e) {
    hooks.log(`[sfn] ${exec.name}: history mapping failed: ${(e as Error)?.stack ?? String(e)}`);
  }
}

function mapEvent(exec: Execution, event: LibraryEvent, hooks: MapperHooks): void {
  const mapper = MAPPERS[event.type] as
    ((exec: Execution, event: LibraryEvent, hooks: MapperHooks) => void) | undefined;
  mapper?.(exec, event, hooks);
}

/** Events AWS has no counterpart for. */
const ignore = (): void => undefined;

const MAPPERS: { [T in EventType]: Mapper<T> } = {
  ExecutionStarted: (exec, event) =>
    push(
      exec,
      'ExecutionStarted',
      { executionStartedEventDetails: { ...inputDetails(exec.input), roleArn: exec.machine?.roleArn } },
      event.timestamp,
    ),
  ExecutionSucceeded: (exec, event) =>
    push(exec, 'ExecutionSucceeded', { executionSucceededEventDetails: outputDetails(event.output) }, event.timestamp),
  ExecutionFailed: (exec, event) =>
    push(
      exec,
      'ExecutionFailed',
      { executionFailedEventDetails: errorDetails(event.Error, event.Cause) },
      event.timestamp,
    ),
  ExecutionAborted: (exec, event) =>
    push(
      exec,
      'ExecutionAborted',
      { executionAbortedEventDetails: errorDetails(exec.stopError, exec.stopCause) },
      event.timestamp,
    ),
  ExecutionTimeout: (exec, event) =>
    push(
      exec,
      'ExecutionTimedOut',
      {
        executionTimedOutEventDetails: {
          error: 'States.Timeout',
          cause: 'The execution ran longer than its TimeoutSeconds',
        },
      },
      event.timestamp,
    ),
  MapIterationStarted: mapIteration,
  MapIterationSucceeded: mapIteration,
  MapIterationFailed: mapIteration,
  // AWS has no per-branch events
  ParallelBranchStarted: ignore,
  ParallelBranchSucceeded: ignore,
  ParallelBranchFailed: ignore,
  StateEntered: stateEntered,
  StateRetried: startState,
  StateFailed: stateFailed,
  // AWS shows a caught failure as the failure event followed by the state's exit
  StateCaught: ignore,
  StateExited: stateExited,
};

function mapIteration(exec: Execution, event: MapIterationEvent): void {
  const field = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
  push(exec, event.type, { [field]: { name: event.parentState.name, index: event.index } }, event.timestamp);
}

/** Tells apart runs of one state in different Map iterations. */
function stateKey(event: StateEvent): string {
  return `${event.state.name}#${event.index ?? ''}`;
}

function isContainer(type: string): type is 'Map' | 'Parallel' {
  return type === 'Map' || type === 'Parallel';
}

function stateEntered(exec: Execution, event: StateEvent): void {
  const { name, type, input } = event.state;
  push(
    exec,
    `${type}StateEntered`,
    { stateEnteredEventDetails: { name, ...inputDetails(JSON.stringify(input ?? null)) } },
    event.timestamp,
  );
  startState(exec, event);
}

/** A state starts (entered or retried): a Task's run begins, a Map/Parallel starts over. */
function startState(exec: Execution, event: StateEvent): void {
  const { name, type, input } = event.state;
  const key = stateKey(event);
  if (type === 'Task') beginAttempt(exec, name, key, event.timestamp);
  if (!isContainer(type)) return;
  exec.failedContainers?.delete(key);
  if (type === 'Map')
    push(exec, 'MapStateStarted', { mapStateStartedEventDetails: mapLength(exec, name, input) }, event.timestamp);
  else push(exec, 'ParallelStateStarted', undefined, event.timestamp);
}

function stateFailed(exec: Execution, event: EventOf<'StateFailed'>, hooks: MapperHooks): void {
  const { name, type } = event.state;
  const key = stateKey(event);
  if (type === 'Task') {
    const attempt = takeActive(exec, key);
    const task = attempt?.task ?? exec.machine?.tasks.get(name);
    if (task) pushTaskFailure(exec, task, event.Error, event.Cause, event.timestamp);
  } else if (isContainer(type)) {
    exec.failedContainers?.add(key);
    push(exec, `${type}StateFailed`, undefined, event.timestamp);
    hooks.releaseInside(exec, name);
  }
}

function stateExited(exec: Execution, event: StateEvent): void {
  const { name, type, output } = event.state;
  const key = stateKey(event);
  if (type === 'Task') {
    const attempt = takeActive(exec, key);
    if (attempt) pushTaskSuccess(exec, attempt, event.timestamp);
  }
  if (isContainer(type) && !exec.failedContainers?.delete(key))
    push(exec, `${type}StateSucceeded`, undefined, event.timestamp);
  push(exec, `${type}StateExited`, { stateExitedEventDetails: { name, ...outputDetails(output) } }, event.timestamp);
}

/** `{length}` of the items a Map state iterates over, when its paths can be followed here. */
function mapLength(exec: Execution, mapName: string, rawInput: unknown): JsonObject {
  const state = exec.machine?.states.get(mapName);
  if (!state) return {};
  let value = rawInput;
  if (typeof state.InputPath === 'string') value = simplePath(state.InputPath, value);
  if (typeof state.ItemsPath === 'string') value = simplePath(state.ItemsPath, value);
  return Array.isArray(value) ? { length: value.length } : {};
}
