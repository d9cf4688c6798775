import type { AwardDecision } from '@shared/domain/application-record';
import { beijingDate, toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import type { Caller } from '@shared/domain/identity';
import { now } from '@shared/domain/clock';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { getCallRecord, updateCallRecord } from '@shared/adapters/dynamodb/review-items';
import { answerAwardConfirmation } from '@shared/use-cases/award';
import { decideApplication } from '@shared/use-cases/award';
import { runReportingRoundBatch } from '@shared/use-cases/obligations';
import { runBatch, runBatchesFor, type BatchRunner } from '@shared/use-cases/call-batches';
import { jobViewOf } from '@shared/use-cases/jobs';
import { runProposalJob } from '@shared/use-cases/award-proposal-job';
import {
  assignPanel,
  emailExpertDigest,
  planRound,
  startReviewRound,
  type ReviewRound,
} from '@shared/use-cases/expert-review';

/**
 * The call-level jobs and what each batch of them does. A request that starts a job works through
 * its batches for up to REQUEST_BUDGET_MS (the API answers within 29 s); the sweep does the rest.
 */
const REQUEST_BUDGET_MS = 10_000;

const runJob: BatchRunner = async (task, at) => {
  // A round's batches do something only for the plan the round names (see startReviewRound).
  if (task.batch.planId) {
    const round = await getCallRecord<ReviewRound>(task.callId ?? '', 'round');
    if (round?.planId !== task.batch.planId) return 'done';
  }
  switch (task.batch.job) {
    case 'plan-round':
      await planRound(task.callId ?? '', task.batch.planId ?? '', at);
      return 'done';
    case 'assign':
      for (const item of task.batch.items as { applicationId: string; expertIds: string[] }[])
        await assignPanel(item.applicationId, item.expertIds, at);
      return 'done';
    case 'notify-experts': {
      for (const item of task.batch.items as { expertId: string; applicationIds: string[] }[]) {
        if (!(await emailExpertDigest(task.callId ?? '', item.expertId, item.applicationIds, at))) return 'later';
      }
      const round = await getCallRecord<ReviewRound>(task.callId ?? '', 'round');
      if (round?.state === 'ASSIGNING')
        await updateCallRecord(task.callId ?? '', 'round', { state: 'ASSIGNED' }, { state: 'ASSIGNING' });
      return 'done';
    }
    case 'reporting-round':
      return runReportingRoundBatch(task, at);
    case 'propose':
      return runProposalJob(task, at);
    case 'decide':
      for (const item of task.batch.items as { applicationId: string; decision: AwardDecision }[])
        await decideApplication(item.applicationId, item.decision, at);
      return 'done';
    default:
      throw new Error(`Unknown batch job ${task.batch.job}`);
  }
};

/** The sweep runs a due (or interrupted) batch. */
export const runCallBatch = (task: TaskRecord, at: Date) => runBatch(task, at, runJob);

/**
 * `POST /calls/{callId}/expert-assignments`: starts the round (or finds it started), carries out as
 * much of a small one as fits in the request, and answers the round's job as it then stands.
 */
export async function startReviewRoundNow(callId: string, caller: Caller) {
  const at = now();
  const { round, started } = await startReviewRound(callId, caller, at);
  const progress = await carryOutRound(callId, round, at);
  // A round started before jobs were recorded is shown in the same shape, from its batches.
  const job = (await jobViewOf(round.jobId)) ?? {
    jobId: '',
    kind: 'review-round' as const,
    callId,
    state: progress.left ? ('RUNNING' as const) : ('DONE' as const),
    done: progress.done,
    total: round.batches.length,
    errors: [],
    startedAt: round.startedAt,
    updatedAt: toBeijingIso(at),
  };
  return { started, round, job };
}

/** The round's batches in order, for up to REQUEST_BUDGET_MS: its plan first, then what the plan stored. */
async function carryOutRound(callId: string, round: ReviewRound, at: Date) {
  if (round.inRequest === false) return { done: 0, left: round.batches.length };
  const stopAt = Date.now() + REQUEST_BUDGET_MS;
  let progress = await runBatchesFor(round.batches, REQUEST_BUDGET_MS, at, runJob);
  if (round.state !== 'PLANNING' || progress.left) return progress;
  const planned = await getCallRecord<ReviewRound>(callId, 'round');
  if (planned?.planId === round.planId && planned.batches.length > round.batches.length)
    progress = await runBatchesFor(planned.batches, stopAt - Date.now(), at, runJob);
  return progress;
}

/** The department head answers the award proposal; a confirmation's decisions are carried out as far as the request allows. */
export async function answerAwardConfirmationNow(taskId: string, sig: unknown, body: unknown, postUrl: string) {
  const answered = await answerAwardConfirmation(taskId, sig, body, postUrl);
  if (answered.batches.length) await runBatchesFor(answered.batches, REQUEST_BUDGET_MS, now(), runJob);
  return answered;
}

/**
 * Calls whose round this Lambda was refused today (earlier stages still open): every waiting
 * application's task comes due at the opening, and each would otherwise be refused again. A round the
 * pool could not serve is remembered on the round itself (startReviewRound: the sweep starts it once a
 * day, and the department head hears why). Staff still start it at once with the API.
 */
const refusedOn = new Map<string, string>();

/** The sweep at the review opening: starts the round by itself. */
export async function startRoundBySweep(callId: string, at: Date): Promise<boolean> {
  const day = beijingDate(at);
  if (refusedOn.get(callId) === day) return false;
  try {
    const { round, started } = await startReviewRound(callId, 'sweep', at);
    if (started) await carryOutRound(callId, round, at);
    return started;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refusedOn.set(callId, day);
    return false;
  }
}
