/** Where the call's expert review stands, for staff. */
import { APPLICATION_STATUSES } from '@shared/domain/application-record';
import { requireCall } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { allApplicationsInStatus, countApplicationsInStatus } from '@shared/adapters/dynamodb/application-items';
import { getCallRecord } from '@shared/adapters/dynamodb/review-items';
import { jobViewOf } from '@shared/use-cases/jobs';
import { roundUnderWay, type ReviewRound } from './round';

/** `GET /calls/{callId}/review-status` (staff): where the review stands, its latest start's job, and the applications short of scores. */
export async function reviewStatus(callId: string, caller: Caller) {
  requireStaff(caller);
  const call = requireCall(callId);
  const counts = await countApplicationsInStatus(
    callId,
    APPLICATION_STATUSES.slice(
      APPLICATION_STATUSES.indexOf('READY_FOR_EXPERT_REVIEW'),
      APPLICATION_STATUSES.indexOf('REJECTED'),
    ),
  );
  const round = await getCallRecord<ReviewRound>(callId, 'round');
  const [short, job] = await Promise.all([shortOfScores(callId), jobViewOf(round?.jobId)]);
  return {
    callId,
    reviewOpensAt: call.review.opensAt,
    reviewDeadline: call.review.deadline,
    round:
      round && roundUnderWay(round)
        ? { state: round.state, startedAt: round.startedAt, startedBy: round.startedBy, summary: round.summary }
        : null,
    // The latest start's job: its progress, or, refused, what to fix.
    job: job ?? null,
    counts,
    shortOfScores: short,
  };
}

/** The applications short of scores, each with what staff need to top it up. */
async function shortOfScores(callId: string) {
  const apps = await allApplicationsInStatus(callId, 'SHORT_OF_SCORES', [
    'applicationId',
    'unitId',
    'projectTypeId',
    'form',
    'expertReview',
  ]);
  return apps.map((app) => ({
    applicationId: app.applicationId,
    unitId: app.unitId,
    projectTypeId: app.projectTypeId,
    title: app.form.title,
    validScores: app.expertReview?.scores?.length ?? 0,
    needed: 3,
    panel: app.expertReview?.panel.length ?? 0,
    dueAt: app.expertReview ? toBeijingIso(new Date(app.expertReview.dueAt)) : undefined,
  }));
}
