/**
 * A call-level job (the review round, the award proposal, the award's decisions, the reporting
 * round) as staff follow it: one shape for all, whatever carries the work. A job is done in batches
 * (tasks of kind `batch` the sweep runs, shared/use-cases/call-batches.ts); its record counts the
 * batches done, never the applications, so at a national funder's 300,000 applications it is written
 * once per batch of 100–200, not once per application.
 */
export type JobKind = 'review-round' | 'award-proposal' | 'award-decisions' | 'reporting-round';
export type JobState = 'RUNNING' | 'DONE' | 'FAILED';

export interface JobError {
  /** what failed: an application id, or `batch <n>` */
  item?: string;
  message: string;
}

/** The job's stored record (adapters/dynamodb/job-items.ts). */
export interface JobRecord {
  jobId: string;
  kind: JobKind;
  callId: string;
  state: JobState;
  /** how many steps the job has: its batches (or, for the proposal, its pages and the steps around them) */
  total: number;
  /** the batches done, by index: a set, so a batch run twice counts once */
  batchesDone?: Set<number>;
  /** progress set as a whole (a job that is one long step, such as the proposal) */
  done?: number;
  /** at most MAX_JOB_ERRORS, by item: a batch that fails again replaces its own entry */
  errors?: Record<string, JobError>;
  startedAt: string;
  startedBy: string;
  updatedAt: string;
  finishedAt?: string;
  result?: Record<string, unknown>;
  /** the award proposal's version once claimed, its ranking's fingerprint and its pages written so far: the next part goes on from them */
  version?: number;
  fingerprint?: string;
  pagesWritten?: number;
}

/** The errors a job keeps: enough to act on, bounded so a job's item never grows towards 400 KB. */
export const MAX_JOB_ERRORS = 50;

/** A job id: what `GET /jobs/{jobId}` accepts (ids are made by the product, never typed). */
export const isJobIdShaped = (jobId: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(jobId);

/** How much of the job is done: its batches' count, or the progress it set. */
export const jobDone = (job: JobRecord): number =>
  Math.min(job.total, job.batchesDone ? job.batchesDone.size : (job.done ?? 0));

/** The job as `GET /jobs/{jobId}` answers it (times Beijing ISO, as stored). */
export function jobView(job: JobRecord) {
  return {
    jobId: job.jobId,
    kind: job.kind,
    callId: job.callId,
    state: job.state,
    done: job.state === 'DONE' ? job.total : jobDone(job),
    total: job.total,
    errors: Object.values(job.errors ?? {}),
    startedAt: job.startedAt,
    updatedAt: job.updatedAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(job.result ? { result: job.result } : {}),
  };
}
export type JobView = ReturnType<typeof jobView>;
