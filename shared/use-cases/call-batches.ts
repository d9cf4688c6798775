import { now, toBeijingIso } from '@shared/domain/clock';
import { batchTaskId } from '@shared/domain/ids';
import { CLAIM_GRACE_MS, PENDING_TOKEN, type ClaimedTask, type TaskRecord } from '@shared/domain/tasks/record';
import { claimTask, createTask, finishTask, getTask, renewClaim } from '@shared/adapters/dynamodb/task-items';
import { batchDone, batchFailed } from '@shared/use-cases/jobs';
import { inParallel } from '@shared/use-cases/in-parallel';

/**
 * Call-level work too big for one Lambda at a national funder's scale (the round's 300,000 panels,
 * 100,000 experts' emails, the award's decisions), cut into batches. Each batch is a task in the
 * sweep's index, due at once: the request that started the job works through as many as fit in its
 * time, and the sweep (every minute, several at a time) does the rest. A batch is claimed before it
 * runs and finished after, and everything it does is idempotent, so a batch cut short runs again.
 * Each batch counts in its job (shared/use-cases/jobs.ts): done once, or its failure shown.
 */
export type BatchJob = 'plan-round' | 'assign' | 'notify-experts' | 'decide' | 'reporting-round' | 'propose';

/**
 * How much longer than the sweep's minute of grace a batch's claim keeps the sweep from running it
 * again (a batch found claimed for longer is taken as cut short: its Lambda ended). Every claim is
 * renewed while its batch runs (whileClaimed), so only a batch whose Lambda ended is run again; the
 * round's plan and a part of the proposal read the whole call first, so a run of theirs cut short
 * is given a minute more before another starts the same long read.
 */
export const LONG_CLAIM_LEASE_MS = 60_000;
/** While a batch runs, its claim is renewed this often: well within the sweep's grace. */
const RENEW_CLAIM_MS = 20_000;
const CLAIM_LEASE_MS: Partial<Record<BatchJob, number>> = {
  propose: LONG_CLAIM_LEASE_MS,
  'plan-round': LONG_CLAIM_LEASE_MS,
};

/**
 * When a batch that found its work not ready yet (the experts' emails before the panels they link to,
 * which another worker is still writing) is run again: at the next sweep or so, not after a whole grace.
 */
export const LATER_RETRY_MS = 5_000;

export interface BatchOptions {
  /** a round's plan: batches of any other plan do nothing */
  planId?: string;
  /** makes the batches' ids unique to one request (a job that may be asked for twice) */
  tag?: string;
  /** the job the batches count in, and the index of the first of them there */
  jobId?: string;
  firstIndex?: number;
}

/** The id of a job's batch: its call, its kind, its plan or tag, its place (stored twice, it is the one batch). */
export const batchIdOf = (callId: string, job: BatchJob, { planId, tag }: BatchOptions, index: number) =>
  batchTaskId(callId, [job, planId, tag].filter(Boolean).join('-'), index);

/** Batches stored at once: a national round's 5,000 are written in seconds, not one after another. */
const ENQUEUE_CONCURRENCY = 16;

/** Stores the batches of a job (one task each, again harmlessly: a batch stored already is kept); answers their ids, in order. */
export async function enqueueBatches(
  callId: string,
  job: BatchJob,
  slices: unknown[][],
  at: Date,
  { planId, tag, jobId, firstIndex = 0 }: BatchOptions = {},
): Promise<string[]> {
  const tasks = slices.map((items, index): TaskRecord => ({
    taskId: batchTaskId(callId, [job, planId, tag].filter(Boolean).join('-'), index),
    kind: 'batch',
    applicationId: '',
    callId,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: at.toISOString(),
    createdAt: toBeijingIso(at),
    batch: { job, items, ...(planId ? { planId } : {}), ...(jobId ? { jobId, index: firstIndex + index } : {}) },
  }));
  await inParallel(tasks, ENQUEUE_CONCURRENCY, async (task) => {
    await createTask(task);
  });
  return tasks.map((task) => task.taskId);
}

export type BatchRunner = (
  task: ClaimedTask & { batch: NonNullable<TaskRecord['batch']> },
  at: Date,
) => Promise<'done' | 'later'>;

/**
 * Runs one batch: claims it (unless the caller holds its claim already), runs it and finishes it.
 * A runner answering 'later' (it found work not ready yet) leaves the batch claimed for the sweep.
 */
export async function runBatch(task: TaskRecord, at: Date, run: BatchRunner): Promise<boolean> {
  const batch = task.batch;
  if (!batch) return false;
  const lease = CLAIM_LEASE_MS[batch.job as BatchJob] ?? 0;
  const claimed: ClaimedTask | undefined =
    task.state === 'CLOSING' && task.closing
      ? { ...task, closing: task.closing }
      : task.state === 'OPEN'
        ? await claimTask(task, {
            outcome: 'DONE',
            signal: { kind: 'success', output: {} },
            // Dated when claimed, not when the request or sweep began: the grace counts from here.
            claimedAt: new Date(now().getTime() + lease).toISOString(),
          })
        : undefined;
  if (!claimed) return false;
  const ran = await whileClaimed(claimed.taskId, lease, () => run({ ...claimed, batch }, at)).catch(
    async (error: unknown) => {
      if (batch.jobId) await batchFailed(batch.jobId, batch.index ?? 0, error, at);
      throw error;
    },
  );
  if (ran === 'later') {
    // Still claimed, so no other worker runs it meanwhile; dated so that the sweep takes it up again soon.
    await renewClaim(claimed.taskId, new Date(now().getTime() - CLAIM_GRACE_MS + LATER_RETRY_MS).toISOString());
    return false;
  }
  await finishTask(claimed, toBeijingIso(at));
  if (batch.jobId) await batchDone(batch.jobId, batch.index ?? 0, at);
  return true;
}

/** Runs the given batches in order until `budgetMs` has passed; the sweep runs whatever is left. */
export async function runBatchesFor(
  taskIds: readonly string[],
  budgetMs: number,
  at: Date,
  run: BatchRunner,
): Promise<{ done: number; left: number }> {
  const stopAt = Date.now() + budgetMs;
  let done = 0;
  for (const taskId of taskIds) {
    if (Date.now() > stopAt) break;
    const task = await getTask(taskId);
    if (task?.state === 'DONE') {
      done++;
      continue;
    }
    // A batch another request or the sweep has claimed is theirs to finish, and so are the ones after
    // it: batches run in order (the experts' emails link to tasks the assignment batches create).
    if (task?.state !== 'OPEN') break;
    if (await runBatch(task, at, run)) done++;
    else break;
  }
  return { done, left: taskIds.length - done };
}

/**
 * A batch's work, its claim renewed meanwhile: the sweep sees it alive however long it takes (a read
 * of the whole call on a busy machine), and does not start the same work again beside it.
 */
async function whileClaimed<T>(taskId: string, leaseMs: number, work: () => Promise<T>): Promise<T> {
  const renewal = setInterval(
    // A renewal that fails (DynamoDB throttled it) is tried again at the next tick, well within the grace.
    () => void renewClaim(taskId, new Date(now().getTime() + leaseMs).toISOString()).catch(() => undefined),
    RENEW_CLAIM_MS,
  );
  try {
    return await work();
  } finally {
    clearInterval(renewal);
  }
}
