import { type Call, requireCall, submissionOpen } from '@shared/domain/catalogue';
import { APPLICATION_STATUSES, type ApplicationStatus } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { kindTitle } from '@shared/domain/tasks/pages/kinds/registry';
import { countCallApplications, type StatusCount } from '@shared/adapters/dynamodb/application-listing';
import { listCallObligationsDueBefore } from '@shared/adapters/dynamodb/obligation-items';
import { publicBase } from '@shared/adapters/env';
import { listStaffTasks } from '@shared/use-cases/tasks/answer-by-link';

const DUE_WITHIN_MS = 7 * 24 * 3600_000;
const DECIDED: readonly ApplicationStatus[] = ['AWARDED', 'NOT_AWARDED'];

/**
 * `GET /calls/{callId}/overview` (staff): the call's dates, its applications counted per status and
 * per project type, and what falls due within a week.
 *
 * Why counting by reading is fine here, and what it costs: it reads every application's entry of
 * the status index once (12 statuses × 16 shards, each shard's pages in turn), keeping two small
 * attributes of each. For a province's call (a few hundred to a few thousand applications) that is
 * a few hundred Query pages at most and well under a second. The index projects whole items, so the
 * read units follow the items' size, not the projection: at 300,000 applications of some 30 KB it
 * would be about 9 GB read (over a million read units, and longer than API Gateway's 29 s).
 * If it must be cheaper at that size: counters per status and type, kept by the same updates that
 * move the status index (or a stream), read with one GetItem.
 */
export async function getCallOverview(callId: string, caller: Caller) {
  const staff = requireStaff(caller);
  const call = requireCall(callId);
  const at = now();
  const until = new Date(at.getTime() + DUE_WITHIN_MS);
  const [counts, overdue, tasks] = await Promise.all([
    countCallApplications(callId, APPLICATION_STATUSES),
    listCallObligationsDueBefore(callId, at),
    // Tasks are found by the signed-in address; a sign-in without one has none to show.
    staff.email ? listStaffTasks(caller, publicBase(), until) : Promise.resolve([]),
  ]);
  const byStatus = statusTotals(counts, (count) => count.total);
  return {
    callId,
    now: toBeijingIso(at),
    submission: submissionOpen(call, at),
    dates: datesOf(call),
    total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
    byStatus,
    types: typesOf(call, counts),
    due: {
      until: toBeijingIso(until),
      myTasks: tasks.map((task) => ({ ...task, kindTitle: kindTitle(task.kind), dueAt: toBeijingIso(task.dueAt) })),
      paperCopiesMissing: counts.FORMAL_CHECK_PASSED?.withoutPaperCopy ?? 0,
      paperCopyDueAt: call.paperCopyDeadline,
      shortOfScores: byStatus.SHORT_OF_SCORES,
      overdueReports: overdue.length,
    },
  };
}

/** The call's dates as its data gives them: the submission window, the paper copy, the expert review. */
const datesOf = (call: Call) => ({
  issuedOn: call.issuedOn,
  opensAt: call.opensAt,
  submissionDeadline: call.submissionDeadline,
  paperCopyDeadline: call.paperCopyDeadline,
  reviewOpensAt: call.review.opensAt,
  reviewDeadline: call.review.deadline,
});

/** Every status (zero included), by what `pick` counts of it. */
function statusTotals(counts: Record<string, StatusCount>, pick: (count: StatusCount) => number) {
  return Object.fromEntries(
    APPLICATION_STATUSES.map((status) => [status, counts[status] ? pick(counts[status]) : 0]),
  ) as Record<ApplicationStatus, number>;
}

/** Per type: its quota, its applications per status, and, once the award is decided, the places left. */
function typesOf(call: Call, counts: Record<string, StatusCount>) {
  const decided = DECIDED.some((status) => (counts[status]?.total ?? 0) > 0);
  return call.projectTypes.map((type) => {
    const byStatus = statusTotals(counts, (count) => count.byType[type.typeId] ?? 0);
    const awarded = byStatus.AWARDED;
    return {
      projectTypeId: type.typeId,
      typeName: type.name,
      quota: type.quota,
      total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
      byStatus,
      awarded,
      ...(decided ? { unfilled: Math.max(0, type.quota - awarded) } : {}),
    };
  });
}
