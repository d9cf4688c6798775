/** Timeouts as setTimeout can honour them, and as a Task's definition sets them. */
import { walkStates, type AslDefinition, type TaskStateInfo } from '../state-machine-template';
import type { JsonValue } from './types';
import { simplePath } from './util';

/** setTimeout overflows above 2^31-1 ms and then fires at once, so longer timeouts are capped here. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Copy of a definition with every timer setTimeout can honour: see MAX_TIMER_SECONDS and STACK.md. */
export function withLocalTimeouts(definition: AslDefinition): AslDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;
  if (typeof copy.TimeoutSeconds === 'number' && copy.TimeoutSeconds > MAX_TIMER_SECONDS)
    copy.TimeoutSeconds = MAX_TIMER_SECONDS;
  walkStates(copy, (_name, state) => {
    if (state.Type === 'Task') {
      // The library gives a Task without TimeoutSeconds 60 s; AWS lets it run (up to a year).
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
      else if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > MAX_TIMER_SECONDS)
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
    if (state.Type === 'Wait' && typeof state.Seconds === 'number' && state.Seconds > MAX_TIMER_SECONDS)
      state.Seconds = MAX_TIMER_SECONDS;
  });
  return copy;
}

/** The timeout of one run of a task, from its TimeoutSeconds or its TimeoutSecondsPath into `input`. */
export function taskTimeoutSeconds(task: TaskStateInfo, input: JsonValue): number | undefined {
  if (task.timeoutSeconds !== undefined) return Math.min(task.timeoutSeconds, MAX_TIMER_SECONDS);
  if (task.timeoutSecondsPath !== undefined) {
    const value = simplePath(task.timeoutSecondsPath, input);
    if (typeof value === 'number' && value >= 1) return Math.min(value, MAX_TIMER_SECONDS);
  }
  return undefined;
}
