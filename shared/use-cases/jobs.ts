import { randomUUID } from 'node:crypto';
import { toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import {
  isJobIdShaped,
  jobDone,
  jobView,
  MAX_JOB_ERRORS,
  type JobKind,
  type JobRecord,
  type JobView,
} from '@shared/domain/jobs';
import { createJob, finishJob, getJob, recordBatchDone, recordJobError } from '@shared/adapters/dynamodb/job-items';
import { logger } from '@shared/adapters/logger';

/**
 * Call-level jobs as staff follow them (`GET /jobs/{jobId}`), and the bookkeeping every job's
 * batches do: a batch done counts once, a batch that fails says so in the job's errors (and runs
 * again at the next sweep, as every batch cut short does), the last batch ends the job.
 */

/** A new job id: the kind and the call, readable in logs, and a random part no two starts share. */
export const newJobId = (kind: JobKind, callId: string) => `${kind}.${callId}.${randomUUID().slice(0, 13)}`;

/** Stores a job about to run `total` batches (one with none is done at once) and answers it. */
export async function startJob(
  job: Pick<JobRecord, 'jobId' | 'kind' | 'callId' | 'total' | 'startedBy' | 'result'>,
  at: Date,
): Promise<JobRecord> {
  const when = toBeijingIso(at);
  const record: JobRecord = {
    ...job,
    state: job.total === 0 ? 'DONE' : 'RUNNING',
    startedAt: when,
    updatedAt: when,
    ...(job.total === 0 ? { finishedAt: when } : {}),
  };
  if (!(await createJob(record))) return (await getJob(job.jobId)) ?? record;
  return record;
}

/** `GET /jobs/{jobId}` (staff): the job's state and progress. */
export async function readJob(jobId: string, caller: Caller): Promise<JobView> {
  requireStaff(caller);
  const job = isJobIdShaped(jobId) ? await getJob(jobId) : undefined;
  if (!job) throw notFound(`Job ${jobId}`);
  return jobView(job);
}

/** The job as staff see it, if it exists. */
export async function jobViewOf(jobId: string | undefined): Promise<JobView | undefined> {
  const job = jobId ? await getJob(jobId) : undefined;
  return job ? jobView(job) : undefined;
}

/** A batch of the job is done: counted once; the last one ends the job. */
export async function batchDone(jobId: string, index: number, at: Date): Promise<void> {
  const job = await recordBatchDone(jobId, index, toBeijingIso(at));
  if (job?.state === 'RUNNING' && jobDone(job) >= job.total) await finishJob(jobId, 'DONE', toBeijingIso(at));
}

/** A batch of the job failed: staff see it in the job's errors while the sweep runs it again. */
export async function batchFailed(jobId: string, index: number, error: unknown, at: Date): Promise<void> {
  const message = error instanceof DomainError || error instanceof Error ? error.message : String(error);
  await recordJobError(jobId, `b${index}`, { item: `batch ${index}`, message }, toBeijingIso(at)).catch((failed) =>
    logger.error('a job error could not be recorded', { jobId, error: failed as Error }),
  );
}

/** The items a job failed on, each named in its errors: the first MAX_JOB_ERRORS (the job's result says how many in all). */
export async function recordItemErrors(jobId: string, failed: { item: string; message: string }[], at: Date) {
  for (const { item, message } of failed.slice(0, MAX_JOB_ERRORS))
    await recordJobError(jobId, item, { item, message }, toBeijingIso(at));
}
