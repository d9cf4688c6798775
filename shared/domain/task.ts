/**
 * A human step the workflow waits on (a `.waitForTaskToken` task): the token Step Functions gave us,
 * what the step is, and when it stops being answerable.
 *
 * A task is answered in two moves so that no answer is ever lost: whoever claims it (OPEN →
 * CLOSING, a conditional write only one caller can win) records the answer it means to give; the
 * answer is then delivered to Step Functions and the task finished. A claimed task stays in the
 * sweep's index until delivery succeeds, so a delivery cut short by a fault is retried by the sweep.
 */
/** amendment: the unit's correction; recovery: a failed workflow to re-drive (no token, no human). */
export type TaskKind = 'amendment' | 'recovery';
export type TaskState = 'OPEN' | 'CLOSING' | 'DONE' | 'EXPIRED' | 'CANCELLED';

export type TaskSignal = { kind: 'success'; output: Record<string, unknown> } | { kind: 'failure'; error: string; cause: string };

export interface TaskClosing {
  outcome: Exclude<TaskState, 'OPEN' | 'CLOSING'>;
  signal: TaskSignal;
  claimedAt: string; // UTC ISO
}

export interface TaskRecord {
  taskId: string;
  kind: TaskKind;
  applicationId: string;
  token: string;
  state: TaskState;
  dueAt: string; // UTC ISO, so it sorts
  createdAt: string;
  closing?: TaskClosing;
  closedAt?: string;
  /** recovery: the stage whose failure it recovers from */
  failedStage?: string;
}

/** A task whose answer has been claimed and is being delivered. */
export type ClaimedTask = TaskRecord & { closing: TaskClosing };
