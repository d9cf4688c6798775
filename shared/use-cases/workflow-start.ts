import {
  AMENDABLE_STATUSES,
  IN_PROGRESS_STATUSES,
  resumeStageOf,
  workflowFailures,
  type ApplicationRecord,
  type ResumeStage,
} from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { executionNameOf, executionNames, marks } from '@shared/domain/ids';
import type { TaskRecord } from '@shared/domain/tasks/record';
import {
  clearPendingStart,
  countFailureRecords,
  getApplication,
  updateApplication,
} from '@shared/adapters/dynamodb/application-items';
import { logger } from '@shared/adapters/logger';
import { countMetric } from '@shared/adapters/metrics';
import {
  firstExecutionArn,
  isExecutionRunning,
  startApplicationWorkflow,
  startNamedWorkflow,
} from '@shared/adapters/workflow-engine';

/**
 * Starts (or finds) the application's execution, records it, and clears the pending-start marker: the
 * sweep's way. A first execution that exists but ended before its first step ran (stopped, or ended
 * with a local stack) is not a start: the workflow is resumed from the start under a name of its own,
 * unless that was done already (its end's event resumed it): then the record names the execution.
 */
export async function ensureWorkflowStarted(applicationId: string): Promise<string> {
  // Already resumed under another name (a restart's or an event's resumption before its first step
  // cleared the marker): starting the first execution now would run the application twice.
  const recorded = (await getApplication(applicationId))?.executionArn;
  if (recorded && (await isExecutionRunning(recorded))) {
    await recordWorkflowRunning(applicationId, recorded);
    return recorded;
  }
  const first = await startApplicationWorkflow({ applicationId }, executionNames.first(applicationId));
  let executionArn = first;
  if (!(await isExecutionRunning(first))) {
    const outcome = await resumeIfStalled(applicationId, 'STARTED');
    executionArn =
      outcome.kind === 'resumed'
        ? outcome.executionArn
        : ((await getApplication(applicationId))?.executionArn ?? first);
  }
  await recordWorkflowRunning(applicationId, executionArn);
  return executionArn;
}

/** The execution is seen to run: the record names it, and the sweep need not start it. */
export async function recordWorkflowRunning(applicationId: string, executionArn: string): Promise<void> {
  await updateApplication(applicationId, { set: { executionArn } });
  await clearPendingStart(applicationId);
}

/**
 * The submission's way: one call, nothing written (the workflow's first step records itself, see
 * recordWorkflowRunning). The application is already stored with a pending-start marker, so a failed
 * start loses nothing: the sweep, or a retry with the same Idempotency-Key, starts the workflow. The
 * unit's answer does not depend on it.
 */
export async function startOrLeaveToSweep(applicationId: string): Promise<void> {
  try {
    await startApplicationWorkflow({ applicationId }, executionNames.first(applicationId));
  } catch (error) {
    logger.error('workflow start failed; the sweep will start it', { applicationId, error: error as Error });
  }
}

/**
 * An amendment answered a task whose execution is gone (lost, stopped or timed out): a new execution
 * resumes at the formal check. A second delivery of an answer the execution already took also finds
 * the token gone, so only a workflow that really is gone is replaced.
 */
export async function restartAfterLostAmendment(applicationId: string): Promise<void> {
  const app = await getApplication(applicationId);
  // The amendment put it back in the check (SUBMITTED); the lost execution was waiting on it.
  if (!app || !AMENDABLE_STATUSES.includes(app.status) || (await isExecutionRunning(app.executionArn))) return;
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, resumeFrom: 'FormalCheck' },
    executionNames.afterAmendment(app.applicationId, app.version),
  );
  await updateApplication(app.applicationId, { set: { executionArn } });
}

/**
 * Starts a failed application's workflow again, at the stage its record says it is in (the receipt
 * from the start). Named after the recovery attempt, so a repeated delivery finds the same execution.
 */
export async function redriveFailedWorkflow(task: TaskRecord): Promise<void> {
  const app = await getApplication(task.applicationId);
  if (!app || !IN_PROGRESS_STATUSES.includes(app.status) || (await isExecutionRunning(app.executionArn))) return;
  const stage = task.failedStage === 'SendReceipt' ? 'Start' : resumeStageOf(app);
  if (!stage) return;
  const executionArn = await startApplicationWorkflow(
    workflowInputAt(app.applicationId, stage),
    executionNames.recovery(app.applicationId, workflowFailures(app, await countFailureRecords(app.applicationId))),
  );
  await updateApplication(app.applicationId, { set: { executionArn }, remove: ['failure'] });
}

/** The input of an execution that starts at `stage` (from the beginning for 'Start'). */
const workflowInputAt = (applicationId: string, stage: ResumeStage | 'Start') =>
  stage === 'Start' ? { applicationId } : { applicationId, resumeFrom: stage };

/**
 * What found the application stalled: its execution ended ABORTED (stopped in the console),
 * TIMED_OUT or FAILED (the Execution Status Change event); the local stack ended while it ran
 * (RESTARTED); the reconciliation found it quiet with no execution (RECONCILED); an answer found
 * its execution gone (ANSWERED); its pending start found its first execution ended (STARTED).
 */
export type StallCause = 'ABORTED' | 'TIMED_OUT' | 'FAILED' | 'RESTARTED' | 'RECONCILED' | 'ANSWERED' | 'STARTED';

export type ResumeOutcome =
  | { kind: 'resumed'; stage: ResumeStage | 'Start'; executionArn: string }
  /** nothing to do: no such application, a final status, its execution runs, a failure already recorded (the recovery's), or an execution it no longer has ended */
  | { kind: 'missing' | 'final' | 'running' | 'failure-recorded' | 'superseded' }
  /** resumed MAX_RESUMES_WITHOUT_PROGRESS times in a row without one step recorded in between: left to people (alarmed) */
  | { kind: 'given-up' };

/**
 * Resumptions in a row, with nothing recorded between them, before the rule stops: an execution that
 * ends again at once (a step that fails without recording its failure, or an administrator who keeps
 * stopping it) would otherwise be resumed for ever. The alarm on WorkflowsResumed has fired by then.
 */
export const MAX_RESUMES_WITHOUT_PROGRESS = 3;

/** Causes that can repeat by themselves; a restart of the local stack or a person acting cannot loop. */
const LOOPING_CAUSES: readonly StallCause[] = ['ABORTED', 'TIMED_OUT', 'FAILED', 'RECONCILED'];

/** The resumptions for a looping cause at the end of the history (none of the workflow's own steps since). */
const resumesInARow = (history: readonly { stage: string; result: string; detail?: unknown }[]) => {
  let count = 0;
  for (let i = history.length - 1; i >= 0 && history[i].stage === 'Workflow' && history[i].result === 'RESUMED'; i--) {
    if (LOOPING_CAUSES.includes((history[i].detail as { cause?: StallCause } | undefined)?.cause as StallCause))
      count++;
  }
  return count;
};

/** Attempts at a fresh execution name, should earlier resumptions have left ended executions under the next names. */
const RESUME_NAME_ATTEMPTS = 5;

/**
 * The one rule for a stalled application, wherever it is noticed: an application in a status that is
 * not final, whose execution is not running, is resumed at the stage its record says (the steps are
 * idempotent and every email is sent once per key), re-opening the same tasks (their links keep
 * working and any answer given meanwhile is passed on). The resumption is recorded on its history,
 * with what found it, and counted (WorkflowsResumed, alarmed).
 *
 * Left alone: an application whose workflow recorded its own failure, unless someone acts on it (its
 * recovery task starts it again, then staff decide), and one whose `ended` execution is not its current one (a superseded
 * execution ending says nothing of the one that replaced it).
 */
export async function resumeIfStalled(
  applicationId: string,
  cause: StallCause,
  ended?: string,
): Promise<ResumeOutcome> {
  const app = await getApplication(applicationId);
  if (!app) return { kind: 'missing' };
  const stage = resumeStageOf(app);
  if (!stage) return { kind: 'final' };
  const leftAlone = await whyLeftAlone(app, cause, ended);
  if (leftAlone) return leftAlone;

  const { executionArn, resumed } = await startResumption(app, stage);
  await recordResumption(app, { stage, cause, executionArn, resumed, ended });
  // By cause, for the dashboard; and once more without the dimension, for the alarm (infra/observability.ts):
  // an alarm cannot SEARCH over the causes, and a sum over those named there would miss a new one.
  countMetric('WorkflowsResumed', 1, { Cause: cause });
  countMetric('WorkflowsResumed');
  logger.warn('stalled workflow resumed', { applicationId, cause, stage, executionArn, ...(ended ? { ended } : {}) });
  return { kind: 'resumed', stage, executionArn };
}

/** Why an application that is not final is not resumed now, if it is not. */
async function whyLeftAlone(
  app: ApplicationRecord,
  cause: StallCause,
  ended: string | undefined,
): Promise<ResumeOutcome | undefined> {
  const { applicationId } = app;
  const current = app.executionArn ?? firstExecutionArn(applicationId);
  if (ended && ended !== current) return { kind: 'superseded' };
  if (await isExecutionRunning(current)) return { kind: 'running' };
  // Noticed from outside (an event, the reconciliation, a restart), a recorded failure is the
  // recovery's to start again. Someone acting on the application (an answer, its start) goes on now.
  const actedOn = cause === 'ANSWERED' || cause === 'STARTED';
  if (app.failure && !actedOn) return { kind: 'failure-recorded' };
  if (LOOPING_CAUSES.includes(cause) && resumesInARow(app.history) >= MAX_RESUMES_WITHOUT_PROGRESS) {
    logger.error(
      'stalled workflow not resumed again: it made no progress since its last resumptions; staff must look at it',
      { applicationId, cause },
    );
    return { kind: 'given-up' };
  }
  return undefined;
}

/** Starts the execution under the next resumption's name, and returns it with that resumption's number. */
async function startResumption(
  app: ApplicationRecord,
  stage: ResumeStage | 'Start',
): Promise<{ executionArn: string; resumed: number }> {
  const { applicationId } = app;
  const input = workflowInputAt(applicationId, stage);
  let resumed = app.history.filter((entry) => entry.stage === 'Workflow' && entry.result === 'RESUMED').length + 1;
  let started = await startNamedWorkflow(input, executionNames.resumed(applicationId, resumed));
  // A name whose execution already ended (a resumption whose record was lost) is not a resumption:
  // the next name is. A running one is another resumer's, racing this one: the same resumption.
  for (
    let attempt = 1;
    attempt < RESUME_NAME_ATTEMPTS && started.existed && !(await isExecutionRunning(started.executionArn));
    attempt++
  ) {
    resumed++;
    started = await startNamedWorkflow(input, executionNames.resumed(applicationId, resumed));
  }
  return { executionArn: started.executionArn, resumed };
}

/** The resumption on the application's history, once per resumption, naming the new execution. */
async function recordResumption(
  app: ApplicationRecord,
  resumption: {
    stage: ResumeStage | 'Start';
    cause: StallCause;
    executionArn: string;
    resumed: number;
    ended?: string;
  },
): Promise<void> {
  const { stage, cause, executionArn, resumed, ended } = resumption;
  await updateApplication(app.applicationId, {
    set: { executionArn },
    ...(app.failure ? { remove: ['failure' as const] } : {}),
    entry: {
      stage: 'Workflow',
      result: 'RESUMED',
      at: toBeijingIso(now()),
      detail: {
        stage,
        cause,
        execution: executionNameOf(executionArn),
        ...(ended ? { ended: executionNameOf(ended) } : {}),
      },
    },
    once: marks.resumed(resumed),
  });
}

/**
 * An application waits on a person, but no execution waits with it (an answer found its token gone,
 * or its first execution ended before its first step): the rule above.
 */
export async function resumeLostWorkflow(
  applicationId: string,
  cause: StallCause = 'ANSWERED',
): Promise<string | undefined> {
  const outcome = await resumeIfStalled(applicationId, cause);
  return outcome.kind === 'resumed' ? outcome.executionArn : undefined;
}
