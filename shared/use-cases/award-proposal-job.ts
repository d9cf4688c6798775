import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { jobView, type JobView } from '@shared/domain/jobs';
import { finishJob, getJob, recordJobError, updateRunningJob } from '@shared/adapters/dynamodb/job-items';
import { getCallRecord, updateCallRecord } from '@shared/adapters/dynamodb/review-items';
import { logger } from '@shared/adapters/logger';
import { enqueueBatches, type BatchRunner } from '@shared/use-cases/call-batches';
import { jobViewOf, newJobId, recordItemErrors, startJob } from '@shared/use-cases/jobs';
import { makeProposal, requireProposalCanStart, UnreadableCandidates } from '@shared/use-cases/award-proposal';
import type { AwardRecord } from '@shared/use-cases/award-records';

/**
 * The award proposal as a job. The request checks what is cheap to know and answers 202 with the
 * job; the sweep makes the proposal (award-proposal.ts, makeProposal) in parts, each a batch of its
 * own, so no request waits on it: over 300,000 it outlasts API Gateway's 29 s.
 * One proposal job runs per call at a time: a second request while it runs answers the same job.
 */

/** `POST /calls/{callId}/award-proposal` (staff): starts the proposal job, or answers the one running. */
export async function requestAwardProposal(
  callId: string,
  caller: Caller,
  at: Date = now(),
): Promise<{ job: JobView; started: boolean }> {
  const staff = requireStaff(caller);
  const award = await requireProposalCanStart(callId, at);
  const running = await runningJob(award.proposalJob);
  if (running) return { job: running, started: false };
  const jobId = newJobId('award-proposal', callId);
  const job = await startJob({ jobId, kind: 'award-proposal', callId, total: 2, startedBy: staff.subject }, at);
  // The award names one proposal job: of two requests at once, one names its job, the other answers it.
  if (!(await updateCallRecord(callId, 'award', { proposalJob: jobId }, { proposalJob: award.proposalJob }))) {
    await finishJob(jobId, 'FAILED', toBeijingIso(at), { reason: 'another proposal job started at the same moment' });
    const raced = (await getCallRecord<AwardRecord>(callId, 'award'))?.proposalJob;
    const other = await jobViewOf(raced);
    if (other) return { job: other, started: false };
    throw new DomainError('BUSY', 'Another proposal is being started at this moment; try again');
  }
  await enqueueProposalPart(callId, jobId, 0, at);
  return { job: jobView(job), started: true };
}

async function runningJob(jobId: string | undefined): Promise<JobView | undefined> {
  const job = await jobViewOf(jobId);
  return job?.state === 'RUNNING' ? job : undefined;
}

/**
 * How long a part of the proposal job writes pages: until PART_MS from its start (a sweep worker's
 * Lambda has 90 s; on DynamoDB the read and the ranking of 300,000 take a second or two), and at
 * least WRITE_MS, and at least as long as its read took, so that however slow the read (DynamoDB
 * Local on a busy machine: minutes) a part spends no more time reading than writing.
 */
const PART_MS = 35_000;
const WRITE_MS = 15_000;

/**
 * The sweep runs a part of the proposal job (makeProposal): the ranking, then pages until the
 * part's time is up; the part that writes the last page asks the department head. What stops it for
 * good (an unreadable application, the award confirmed meanwhile, an application back in review)
 * ends the job FAILED with the reasons in its errors; staff fix it and ask again. Any other error
 * is recorded the same way: asking again is how a proposal is made again.
 */
export const runProposalJob: BatchRunner = async (task, at) => {
  const { jobId, part = 0 } = (task.batch.items[0] ?? {}) as { jobId?: string; part?: number };
  const job = jobId ? await getJob(jobId) : undefined;
  if (!jobId || job?.state !== 'RUNNING') return 'done';
  const startedAt = Date.now();
  try {
    const made = await makeProposal(job, at, {
      stopAt: (rankedAt) => Math.max(startedAt + PART_MS, rankedAt + Math.max(WRITE_MS, rankedAt - startedAt)),
      progress: async (done, fields) => {
        await updateRunningJob(jobId, { ...fields, done, updatedAt: toBeijingIso(now()) });
      },
    });
    if (made === 'more') await enqueueProposalPart(job.callId, jobId, part + 1, at);
    else await finishJob(jobId, 'DONE', toBeijingIso(now()), made);
  } catch (error) {
    logger.error('the award proposal job failed', { jobId, error: error as Error });
    await recordFailure(jobId, error, at);
  }
  return 'done';
};

/** A part of the proposal job: a batch of its own, due at once (the first is queued by the request). */
const enqueueProposalPart = (callId: string, jobId: string, part: number, at: Date) =>
  enqueueBatches(callId, 'propose', [[{ jobId, part }]], at, { tag: `${jobId.slice(-13)}-p${part}` });

/** Why the job failed, in its errors (the first MAX_JOB_ERRORS applications by name; how many in its result). */
async function recordFailure(jobId: string, error: unknown, at: Date): Promise<void> {
  const when = toBeijingIso(at);
  if (error instanceof UnreadableCandidates) {
    await recordItemErrors(
      jobId,
      error.unreadable.map(({ applicationId, message }) => ({ item: applicationId, message })),
      at,
    );
  } else {
    const message = error instanceof DomainError ? `${error.code}: ${error.message}` : String((error as Error).message);
    await recordJobError(jobId, 'proposal', { message }, when);
  }
  const unreadable = error instanceof UnreadableCandidates ? { unreadable: error.unreadable.length } : undefined;
  await finishJob(jobId, 'FAILED', toBeijingIso(now()), unreadable);
}
