/**
 * The expert review (专家评审): the call's round assigns every application waiting for it a panel of
 * experts (conflict-free, within caps, disciplines matched where possible); each expert gets one
 * email with a link per application; a decline or a declared conflict hands the place to the
 * next-best eligible expert at once; staff add an expert or extend the deadline for one application.
 *
 * The round is call-level work sized for a national funder: the plan is computed in one pass (the
 * pure assignment), then carried out in batches (call-batches.ts) that the request starts and the
 * sweep finishes, so nothing depends on one Lambda getting through 300,000 applications.
 *
 * This module starts the round; the others carry it out (panels.ts, emails.ts) and change one
 * application's review afterwards (replacement.ts, staff-changes.ts).
 */
import { randomUUID } from 'node:crypto';
import { IN_PROGRESS_STATUSES } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import { assignExperts, type AssignmentSummary, type ReviewCandidate } from '@shared/domain/expert-assignment';
import { requireStaff, type Caller } from '@shared/domain/identity';
import {
  allApplicationsInStatus,
  countApplicationsInStatus,
  getApplication,
} from '@shared/adapters/dynamodb/application-items';
import { getCallRecord, listExpertLoads, putCallRecordOnce } from '@shared/adapters/dynamodb/review-items';
import { enqueueBatches } from '@shared/use-cases/call-batches';
import { newJobId, startJob } from '@shared/use-cases/jobs';
import { candidateOf, loadExpertPool } from './common';

/** The round's record on the call. */
export interface ReviewRound {
  state: 'ASSIGNING' | 'ASSIGNED';
  /** the plan whose batches carry the round out (batches of any other plan do nothing) */
  planId: string;
  startedAt: string;
  startedBy: string;
  dueAt: string;
  summary: AssignmentSummary;
  batches: string[];
  /** the job staff follow (`GET /jobs/{jobId}`); absent on a round started before jobs were recorded */
  jobId?: string;
}

/** Applications per batch of the round's assignment, and experts per batch of its emails. */
const ASSIGN_BATCH = 100;
const NOTIFY_BATCH = 50;

/**
 * `POST /calls/{callId}/expert-assignments` (staff), or the sweep at the call's review opening:
 * assigns every application at READY_FOR_EXPERT_REVIEW its panel, or, when the pool cannot serve
 * them all, answers POOL_INSUFFICIENT naming each application that cannot be served and why, and
 * assigns nothing. Once per call: a second start answers the round already under way.
 */
export async function startReviewRound(
  callId: string,
  by: Caller | 'sweep',
  at: Date = now(),
): Promise<{ round: ReviewRound; started: boolean }> {
  const startedBy = by === 'sweep' ? 'sweep' : requireStaff(by).subject;
  const call = requireCall(callId);
  const existing = await getCallRecord<ReviewRound>(callId, 'round');
  if (existing) return { round: existing, started: false };
  await refuseWhileEarlierStagesOpen(callId);
  const result = await planPanels(call, await readyCandidates(callId));
  const planId = randomUUID().slice(0, 8);
  const jobId = newJobId('review-round', callId);
  const batches = await enqueueRound(callId, result.assignments, at, planId, {
    jobId,
    startedBy,
    summary: result.summary,
  });
  const round: ReviewRound = {
    state: 'ASSIGNING',
    planId,
    startedAt: toBeijingIso(at),
    startedBy,
    dueAt: new Date(call.review.deadline).toISOString(),
    summary: result.summary,
    batches,
    jobId,
  };
  if (!(await putCallRecordOnce(callId, 'round', round))) {
    const raced = await getCallRecord<ReviewRound>(callId, 'round');
    if (raced) return { round: raced, started: false };
  }
  return { round, started: true };
}

async function refuseWhileEarlierStagesOpen(callId: string): Promise<void> {
  const earlier = await countApplicationsInStatus(callId, IN_PROGRESS_STATUSES);
  const open = Object.entries(earlier).filter(([, n]) => n > 0);
  if (open.length) {
    throw new DomainError(
      'STAGE_NOT_READY',
      'Applications are still in the earlier stages: the review round starts once every one has passed or left them',
      open.map(([status, n]) => ({
        path: `statuses.${status}`,
        code: 'STILL_OPEN',
        message: `${n} application(s) still ${status}`,
      })),
    );
  }
}

/** The review candidates of every application at READY_FOR_EXPERT_REVIEW (at least one). */
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
  if (!candidates.length) {
    throw new DomainError('STAGE_NOT_READY', 'No application is waiting for the expert review', [
      { path: 'applications', code: 'NONE_READY', message: 'no application is at READY_FOR_EXPERT_REVIEW' },
    ]);
  }
  return candidates;
}

/** Every candidate's panel from the whole pool, or POOL_INSUFFICIENT naming those it cannot serve. */
async function planPanels(call: Call, candidates: ReviewCandidate[]) {
  const pool = await loadExpertPool();
  const result = assignExperts(candidates, pool, {
    perApplication: call.review.expertsPerApplication,
    load: await listExpertLoads(call.callId),
  });
  if (!result.ok) {
    throw new DomainError(
      'POOL_INSUFFICIENT',
      `The expert pool cannot give ${result.unserved.length} application(s) ${call.review.expertsPerApplication} conflict-free experts within their caps; nothing was assigned. Add experts (PUT /experts/{expertId}) and try again.`,
      result.unserved.map(({ applicationId, reason }) => ({
        path: `applications.${applicationId}`,
        code: 'UNSERVED',
        message: reason,
      })),
    );
  }
  return result;
}

const slices = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The round's batches, under a plan id of their own: the panels, then one email per expert. The
 * round naming that plan is written after them, once: a start cut short before the round is
 * written leaves batches no round names, which do nothing when the sweep reaches them, and a new
 * start plans afresh; of two racing starts one round wins and the other's batches likewise do
 * nothing. Loads are counted as each review task is created.
 */
async function enqueueRound(
  callId: string,
  assignments: Map<string, string[]>,
  at: Date,
  planId: string,
  job: { jobId: string; startedBy: string; summary: AssignmentSummary },
): Promise<string[]> {
  const plan = [...assignments.entries()].map(([applicationId, expertIds]) => ({ applicationId, expertIds }));
  const byExpert = new Map<string, string[]>();
  for (const { applicationId, expertIds } of plan)
    for (const id of expertIds) byExpert.set(id, [...(byExpert.get(id) ?? []), applicationId]);
  const experts = [...byExpert.entries()].map(([expertId, applicationIds]) => ({ expertId, applicationIds }));
  const panels = slices(plan, ASSIGN_BATCH);
  const digests = slices(experts, NOTIFY_BATCH);
  // The job exists before its first batch can run and count in it.
  await startJob(
    {
      jobId: job.jobId,
      kind: 'review-round',
      callId,
      total: panels.length + digests.length,
      startedBy: job.startedBy,
      result: { summary: job.summary },
    },
    at,
  );
  const assign = await enqueueBatches(callId, 'assign', panels, at, { planId, jobId: job.jobId });
  // The experts' emails come after the assignment batches (their links open tasks those create).
  const emails = await enqueueBatches(callId, 'notify-experts', digests, new Date(at.getTime() + 1000), {
    planId,
    jobId: job.jobId,
    firstIndex: panels.length,
  });
  return [...assign, ...emails];
}
