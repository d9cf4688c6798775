import type { AwardDecision } from '@shared/domain/application-record';
import { beijingDate, toBeijingIso } from '@shared/domain/clock';
import { expertRoundBlockedEmail } from '@shared/domain/email-texts';
import { DomainError } from '@shared/domain/errors';
import { getCall } from '@shared/domain/catalogue';
import { callEmailKeys } from '@shared/domain/ids';
import { sendEmailOnce } from '@shared/use-cases/email-once';
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
import { assignPanel, emailExpertDigest, startReviewRound, type ReviewRound } from '@shared/use-cases/expert-review';

/**
 * The call-level jobs and what each batch of them does. A request that starts a job works through
 * its batches for up to REQUEST_BUDGET_MS (the API answers within 29 s); the sweep does the rest.
 */
const REQUEST_BUDGET_MS = 15_000;

const runJob: BatchRunner = async (task, at) => {
  // A round's batches do something only for the plan the round names (see startReviewRound).
  if (task.batch.planId) {
    const round = await getCallRecord<ReviewRound>(task.callId ?? '', 'round');
    if (round?.planId !== task.batch.planId) return 'done';
  }
  switch (task.batch.job) {
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
 * `POST /calls/{callId}/expert-assignments`: starts the round (or finds it started) and carries out
 * as much of it as fits in the request; answers the round's job as it then stands.
 */
export async function startReviewRoundNow(callId: string, caller: Caller) {
  const at = now();
  const { round, started } = await startReviewRound(callId, caller, at);
  const progress = await runBatchesFor(round.batches, REQUEST_BUDGET_MS, at, runJob);
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

/** The department head answers the award proposal; a confirmation's decisions are carried out as far as the request allows. */
export async function answerAwardConfirmationNow(taskId: string, sig: unknown, body: unknown, postUrl: string) {
  const answered = await answerAwardConfirmation(taskId, sig, body, postUrl);
  if (answered.batches.length) await runBatchesFor(answered.batches, REQUEST_BUDGET_MS, now(), runJob);
  return answered;
}

/** The sweep at the review opening: starts the round by itself; if the pool falls short, staff hear why, once a day. */
/**
 * Calls whose round this Lambda was refused today (earlier stages still open, or a pool too small):
 * every waiting application's task comes due at the opening, and each would otherwise plan the whole
 * call again only to be refused again. Staff still start it at once with the API.
 */
const refusedOn = new Map<string, string>();

export async function startRoundBySweep(callId: string, at: Date): Promise<boolean> {
  const day = beijingDate(at);
  if (refusedOn.get(callId) === day) return false;
  try {
    const { round, started } = await startReviewRound(callId, 'sweep', at);
    await runBatchesFor(round.batches, REQUEST_BUDGET_MS, at, runJob);
    return started;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refusedOn.set(callId, day);
    if (error.code === 'POOL_INSUFFICIENT') {
      const call = getCall(callId);
      if (!call) return false;
      const head = call.staffReview.departmentHead;
      const unserved = error.details.map((d) => ({
        applicationId: d.path.replace(/^applications\./, ''),
        reason: d.message,
      }));
      await sendEmailOnce(
        callEmailKeys.roundBlocked(callId, beijingDate(at)),
        expertRoundBlockedEmail(head, call, unserved),
        toBeijingIso(at),
      );
    }
    return false;
  }
}
