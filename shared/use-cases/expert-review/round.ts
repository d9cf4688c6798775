/**
 * The expert review (专家评审): the call's round assigns every application waiting for it a panel of
 * experts (conflict-free, within caps, disciplines matched where possible); each expert gets one
 * email with a link per application; a decline or a declared conflict hands the place to the
 * next-best eligible expert at once; staff add an expert or extend the deadline for one application.
 *
 * The round is call-level work sized for a national funder, a job (`GET /jobs/{jobId}`) of batches
 * (call-batches.ts): the request checks what is cheap to know (earlier stages still open, nobody
 * waiting) and names the round's plan; the first batch reads every waiting application and plans
 * every panel in one pass (the pure assignment), or finds the pool short and says what to fix; the
 * next ones create the panels, then email each expert. The request runs what fits in its time and
 * the sweep the rest, so no request waits on 300,000 applications.
 *
 * This module starts and plans the round; the others carry it out (panels.ts, emails.ts) and change
 * one application's review afterwards (replacement.ts, staff-changes.ts).
 */
import { randomUUID } from 'node:crypto';
import { IN_PROGRESS_STATUSES } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { beijingDate, now, toBeijingIso } from '@shared/domain/clock';
import { expertRoundBlockedEmail } from '@shared/domain/email-texts';
import { DomainError } from '@shared/domain/errors';
import { assignExperts, type AssignmentSummary, type ReviewCandidate } from '@shared/domain/expert-assignment';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { callEmailKeys } from '@shared/domain/ids';
import {
  allApplicationsInStatus,
  countApplicationsUpTo,
  getApplication,
} from '@shared/adapters/dynamodb/application-items';
import { finishJob, updateRunningJob } from '@shared/adapters/dynamodb/job-items';
import {
  getCallRecord,
  listExpertLoads,
  putCallRecordOnce,
  updateCallRecord,
} from '@shared/adapters/dynamodb/review-items';
import { batchIdOf, enqueueBatches } from '@shared/use-cases/call-batches';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { newJobId, recordItemErrors, startJob } from '@shared/use-cases/jobs';
import { candidateOf, loadExpertPool } from './common';

/** The round's record on the call. */
export interface ReviewRound {
  /**
   * PLANNING until its first batch has planned every panel; then ASSIGNING while the panels are
   * created and the experts emailed, ASSIGNED once they are. REFUSED when the pool could not serve
   * every application (nothing assigned; the job says what to fix): the round may be started again.
   */
  state: 'PLANNING' | 'ASSIGNING' | 'ASSIGNED' | 'REFUSED';
  /** the plan whose batches carry the round out (batches of any other plan do nothing) */
  planId: string;
  startedAt: string;
  startedBy: string;
  dueAt: string;
  /**
   * Few enough applications waiting that the request starting the round plans and carries it out
   * as far as its time allows; a larger round is left to the sweep from the start (call-jobs.ts).
   */
  inRequest?: boolean;
  /** once planned */
  summary?: AssignmentSummary;
  /** the round's batches in order: its plan, then (once planned) its panels and its emails */
  batches: string[];
  /** the job staff follow (`GET /jobs/{jobId}`); absent on a round started before jobs were recorded */
  jobId?: string;
}

/** Is the round under way (a refused one is not: staff fix the pool and start it again)? */
export const roundUnderWay = (round: ReviewRound | undefined): boolean => !!round && round.state !== 'REFUSED';

/**
 * A round over at most this many applications is planned and carried out by the request that starts
 * it, as far as its time allows (a province's call: its answer already shows the round planned, or
 * refused with what to fix); a larger one is left to the sweep from the start, whose workers have
 * the time (3,000 read and planned took most of API Gateway's 29 s on a busy machine).
 */
export const ROUND_IN_REQUEST_MAX = 500;

/** Applications per batch of the round's assignment, and experts per batch of its emails. */
const ASSIGN_BATCH = 100;
const NOTIFY_BATCH = 50;

/**
 * `POST /calls/{callId}/expert-assignments` (staff), or the sweep at the call's review opening:
 * starts the round over every application at READY_FOR_EXPERT_REVIEW, as a job whose first batch
 * plans it (planRound). Refused at once while applications are still in the earlier stages, or
 * when none is waiting. Once per call: a second start answers the round under way (and stores its
 * plan's batch again if a start was cut short before it). A refused round is started afresh; by
 * the sweep only once a day (staff are emailed why, and start it themselves once the pool is fixed).
 */
export async function startReviewRound(
  callId: string,
  by: Caller | 'sweep',
  at: Date = now(),
): Promise<{ round: ReviewRound; started: boolean }> {
  const startedBy = by === 'sweep' ? 'sweep' : requireStaff(by).subject;
  const call = requireCall(callId);
  const existing = await getCallRecord<ReviewRound>(callId, 'round');
  if (existing && roundUnderWay(existing)) {
    if (existing.state === 'PLANNING') await enqueuePlan(existing, callId, at);
    return { round: existing, started: false };
  }
  if (existing && by === 'sweep' && refusedToday(existing, at)) return { round: existing, started: false };
  await refuseWhileEarlierStagesOpen(callId);
  const waiting = await countApplicationsUpTo(callId, 'READY_FOR_EXPERT_REVIEW', ROUND_IN_REQUEST_MAX + 1);
  if (!waiting) {
    throw new DomainError('STAGE_NOT_READY', 'No application is waiting for the expert review', [
      { path: 'applications', code: 'NONE_READY', message: 'no application is at READY_FOR_EXPERT_REVIEW' },
    ]);
  }
  const planId = randomUUID().slice(0, 8);
  const jobId = newJobId('review-round', callId);
  // One step until the plan knows how many panels and emails there are (planRound adds them).
  await startJob({ jobId, kind: 'review-round', callId, total: 1, startedBy }, at);
  const round: ReviewRound = {
    state: 'PLANNING',
    planId,
    startedAt: toBeijingIso(at),
    startedBy,
    dueAt: new Date(call.review.deadline).toISOString(),
    inRequest: waiting <= ROUND_IN_REQUEST_MAX,
    batches: [planBatchId(callId, planId)],
    jobId,
  };
  // Of two starts at once one names the round; the other's job ends at once and it answers the winner's.
  const named = existing
    ? await updateCallRecord(callId, 'round', { ...round }, { planId: existing.planId, state: 'REFUSED' })
    : await putCallRecordOnce(callId, 'round', round);
  if (!named) {
    await finishJob(jobId, 'FAILED', toBeijingIso(at), { reason: 'another start of the round won' });
    const raced = await getCallRecord<ReviewRound>(callId, 'round');
    if (raced) return { round: raced, started: false };
    throw new DomainError('BUSY', 'The round is being started at this moment; try again');
  }
  await enqueuePlan(round, callId, at);
  return { round, started: true };
}

const planBatchId = (callId: string, planId: string) => batchIdOf(callId, 'plan-round', { planId }, 0);

/** The plan's batch (stored again harmlessly: the id is the plan's). */
async function enqueuePlan(round: ReviewRound, callId: string, at: Date): Promise<void> {
  await enqueueBatches(callId, 'plan-round', [[{}]], at, { planId: round.planId, ...jobOf(round) });
}

const jobOf = (round: ReviewRound) => (round.jobId ? { jobId: round.jobId } : {});

const refusedToday = (round: ReviewRound, at: Date) =>
  round.state === 'REFUSED' &&
  round.startedBy === 'sweep' &&
  beijingDate(new Date(round.startedAt)) === beijingDate(at);

/**
 * The round's first batch: reads every waiting application's review candidate, plans every panel
 * from the whole pool, and stores the batches that carry the plan out (the job grows by them), then
 * the round as ASSIGNING. When the pool cannot serve every application, nothing is assigned: the
 * round is REFUSED and its job FAILED naming each application and why (the first MAX_JOB_ERRORS;
 * how many in its result), and, when the sweep started it, the department head hears why.
 */
export async function planRound(callId: string, planId: string, at: Date): Promise<void> {
  const round = await getCallRecord<ReviewRound>(callId, 'round');
  if (round?.planId !== planId || round.state !== 'PLANNING') return;
  const call = requireCall(callId);
  const candidates = await readyCandidates(callId);
  const result = assignExperts(candidates, await loadExpertPool(), {
    perApplication: call.review.expertsPerApplication,
    load: await listExpertLoads(call.callId),
  });
  if (!result.ok) {
    await refuseRound(call, round, candidates.length, result.unserved, at);
    return;
  }
  const batches = await enqueueRound(callId, result.assignments, at, round);
  if (round.jobId)
    await updateRunningJob(round.jobId, {
      total: 1 + batches.length,
      result: { waiting: candidates.length, summary: result.summary },
      updatedAt: toBeijingIso(at),
    });
  await updateCallRecord(
    callId,
    'round',
    { state: 'ASSIGNING', summary: result.summary, batches: [...round.batches, ...batches] },
    { planId, state: 'PLANNING' },
  );
}

async function refuseRound(
  call: Call,
  round: ReviewRound,
  waiting: number,
  unserved: { applicationId: string; reason: string }[],
  at: Date,
): Promise<void> {
  const when = toBeijingIso(at);
  const message = `The expert pool cannot give ${unserved.length} application(s) ${call.review.expertsPerApplication} conflict-free experts within their caps; nothing was assigned. Add experts (PUT /experts/{expertId}) and start the round again.`;
  if (round.jobId) {
    await recordItemErrors(
      round.jobId,
      unserved.map(({ applicationId, reason }) => ({ item: applicationId, message: reason })),
      at,
    );
    await finishJob(round.jobId, 'FAILED', when, {
      waiting,
      code: 'POOL_INSUFFICIENT',
      message,
      unserved: unserved.length,
    });
  }
  await updateCallRecord(call.callId, 'round', { state: 'REFUSED' }, { planId: round.planId, state: 'PLANNING' });
  if (round.startedBy === 'sweep') {
    await sendEmailOnce(
      callEmailKeys.roundBlocked(call.callId, beijingDate(at)),
      expertRoundBlockedEmail(call.staffReview.departmentHead, call, unserved),
      when,
    );
  }
}

/** Applications counted per earlier status when refusing: enough to say how far off the round is. */
const COUNT_AT_MOST = 1_000;

async function refuseWhileEarlierStagesOpen(callId: string): Promise<void> {
  const earlier = await Promise.all(
    IN_PROGRESS_STATUSES.map(
      async (status) => [status, await countApplicationsUpTo(callId, status, COUNT_AT_MOST)] as const,
    ),
  );
  const open = earlier.filter(([, n]) => n > 0);
  if (open.length) {
    throw new DomainError(
      'STAGE_NOT_READY',
      'Applications are still in the earlier stages: the review round starts once every one has passed or left them',
      open.map(([status, n]) => ({
        path: `statuses.${status}`,
        code: 'STILL_OPEN',
        message: `${n >= COUNT_AT_MOST ? `at least ${n}` : n} application(s) still ${status}`,
      })),
    );
  }
}

/** The review candidates of every application at READY_FOR_EXPERT_REVIEW. */
async function readyCandidates(callId: string): Promise<ReviewCandidate[]> {
  const candidates: ReviewCandidate[] = [];
  // What assignment reads, kept when each became ready (not the forms); one read back whole otherwise.
  for (const ready of await allApplicationsInStatus(callId, 'READY_FOR_EXPERT_REVIEW', [
    'applicationId',
    'unitId',
    'reviewCandidate',
  ])) {
    if (ready.reviewCandidate) candidates.push(ready.reviewCandidate);
    else {
      const app = await getApplication(ready.applicationId);
      if (app) candidates.push(candidateOf(app));
    }
  }
  return candidates;
}

const slices = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The batches that carry the plan out, under its plan id: the panels, then one email per expert. A
 * plan cut short before the round names them leaves batches that do nothing once the plan runs
 * again (their ids are the plan's: stored again, not twice). Loads are counted as each review task
 * is created.
 */
async function enqueueRound(
  callId: string,
  assignments: Map<string, string[]>,
  at: Date,
  round: ReviewRound,
): Promise<string[]> {
  const plan = [...assignments.entries()].map(([applicationId, expertIds]) => ({ applicationId, expertIds }));
  const byExpert = new Map<string, string[]>();
  for (const { applicationId, expertIds } of plan)
    for (const id of expertIds) byExpert.set(id, [...(byExpert.get(id) ?? []), applicationId]);
  const experts = [...byExpert.entries()].map(([expertId, applicationIds]) => ({ expertId, applicationIds }));
  const panels = slices(plan, ASSIGN_BATCH);
  const digests = slices(experts, NOTIFY_BATCH);
  const options = { planId: round.planId, ...jobOf(round) };
  const assign = await enqueueBatches(callId, 'assign', panels, at, { ...options, firstIndex: 1 });
  // The experts' emails come after the assignment batches (their links open tasks those create).
  const emails = await enqueueBatches(callId, 'notify-experts', digests, new Date(at.getTime() + 1000), {
    ...options,
    firstIndex: 1 + panels.length,
  });
  return [...assign, ...emails];
}
