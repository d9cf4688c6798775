/** What the API actions work on: the machines, the executions, the task tokens and the runs. */
import type { ExecutionRegistry } from './registry';
import type { ExecutionRunner } from './run';
import type { TaskTokens } from './tokens';
import type { MachineEntry } from './types';

export interface ApiContext {
  machines: Map<string, MachineEntry>;
  executions: ExecutionRegistry;
  tokens: TaskTokens;
  runner: ExecutionRunner;
  /** True while the server is stopping: no execution may start then. */
  isStopping(): boolean;
}
