import { getProjectType, requireCall, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { awardConfirmationEmail } from '@shared/domain/email-texts';
import { DomainError } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { awardConfirmationName, callEmailKeys } from '@shared/domain/ids';
import { rankCall, type RankCandidate, type TypeRanking } from '@shared/domain/award-ranking';
import { PENDING_TOKEN, type TaskRecord } from '@shared/domain/tasks/record';
import { linkTaskId } from '@shared/domain/tasks/link-identity';
import {
  allApplicationsInStatus,
  countApplicationsInStatus,
  getApplication,
} from '@shared/adapters/dynamodb/application-items';
import {
  getCallRecord,
  getProposalHeader,
  putProposal,
  updateCallRecord,
} from '@shared/adapters/dynamodb/review-items';
import { cancelOpenTask, createTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkKey } from '@shared/adapters/link-key';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';
import {
  pagesOf,
  proposalAnswer,
  type AwardRecord,
  type ProposalEntry,
  type ProposalHeader,
  type TypeSummary,
} from '@shared/use-cases/award-records';

const DAY_MS = 24 * 3600_000;

const unitNames = new Map<string, string>();
async function unitName(unitId: string): Promise<string> {
  if (!unitNames.has(unitId)) unitNames.set(unitId, (await getUnit(unitId))?.name?.zh ?? unitId);
  return unitNames.get(unitId) ?? unitId;
}

/** `POST /calls/{callId}/award-proposal` (staff): ranks the scored applications and asks the department head to confirm. */
export async function proposeAward(callId: string, caller: Caller, at: Date = now()) {
  const staff = requireStaff(caller);
  const call = requireCall(callId);
  requireReviewOver(call, at);
  await requireNoneInReview(callId);
  const award = await unconfirmedAward(callId);
  const { candidates, names } = await scoredCandidates(callId);
  if (!candidates.length) throw new DomainError('STAGE_NOT_READY', 'No application has been scored', []);
  const rankings = rankCall(call, candidates);

  const version = await claimNextVersion(callId, award);
  const entries = await proposalEntriesOf(rankings, names);
  const types = typeSummaries(call, rankings);
  const dueAt = new Date(at.getTime() + call.staffReview.formalReviewDays * DAY_MS);
  const task = await confirmationTask(call, version, dueAt, at);
  const header: ProposalHeader = {
    callId,
    version,
    proposedAt: toBeijingIso(at),
    proposedBy: staff.subject,
    taskId: task.taskId,
    types,
    totalCny: entries.reduce((sum, e) => sum + e.amountCny, 0),
  };
  await putProposal(callId, version, header, pagesOf(entries));
  await cancelEarlierProposal(callId, award, at);
  await createTask(task);
  await requestConfirmation(call, task, header, entries, dueAt, at);
  return {
    ...proposalAnswer(header, (t) => entries.filter((e) => e.typeId === t.typeId)),
    state: 'PROPOSED' as const,
  };
}

function requireReviewOver(call: Call, at: Date): void {
  if (at.getTime() <= Date.parse(call.review.deadline)) {
    throw new DomainError(
      'STAGE_NOT_READY',
      `The expert review runs until ${toBeijingIso(new Date(call.review.deadline))}; propose the award after it`,
      [{ path: 'review.deadline', code: 'REVIEW_NOT_OVER', message: `the review deadline is ${call.review.deadline}` }],
    );
  }
}

/** A ranking is only fair once every application has all the scores it will get. */
async function requireNoneInReview(callId: string): Promise<void> {
  const open = await countApplicationsInStatus(callId, [
    'READY_FOR_EXPERT_REVIEW',
    'IN_EXPERT_REVIEW',
    'SHORT_OF_SCORES',
  ]);
  const stillOpen = Object.entries(open).filter(([, n]) => n > 0);
  if (stillOpen.length) {
    throw new DomainError(
      'STAGE_NOT_READY',
      'Applications are still in the expert review: add experts to those short of scores, or wait for the extended ones (GET /calls/{callId}/review-status)',
      stillOpen.map(([status, n]) => ({
        path: `statuses.${status}`,
        code: 'STILL_OPEN',
        message: `${n} application(s) ${status}`,
      })),
    );
  }
}

/** The call's award record, as long as no proposal has been confirmed. */
async function unconfirmedAward(callId: string): Promise<AwardRecord> {
  const award = (await getCallRecord<AwardRecord>(callId, 'award')) ?? {};
  if (award.confirmedVersion)
    throw new DomainError(
      'AWARD_CONFIRMED',
      `The award was confirmed (proposal v${award.confirmedVersion}) on ${award.confirmedAt}`,
    );
  return award;
}

/**
 * The scored applications as the ranking reads them, and the unit names their rank inputs carry.
 * Only what the ranking reads (fixed when each was scored), not the forms: a few hundred bytes each.
 */
async function scoredCandidates(callId: string): Promise<{ candidates: RankCandidate[]; names: Map<string, string> }> {
  const candidates: RankCandidate[] = [];
  const names = new Map<string, string>();
  for (const scored of await allApplicationsInStatus(callId, 'SCORED', [
    'applicationId',
    'unitId',
    'projectTypeId',
    'rankInput',
  ])) {
    // Scored before the rank input was kept: read whole, once.
    const app = scored.rankInput ? scored : await getApplication(scored.applicationId);
    if (!app) continue;
    const input = app.rankInput;
    if (input) names.set(app.unitId, input.unitName);
    candidates.push({
      applicationId: app.applicationId,
      unitId: app.unitId,
      projectTypeId: app.projectTypeId,
      title: input?.title ?? app.form.title,
      submittedAt: input?.submittedAt ?? app.createdAt,
      requestedCny: input?.requestedCny ?? app.form.budget.requestedCny,
      ...(input ? { prioritiesMet: input.prioritiesMet } : { form: app.form }),
      totals: input?.totals ?? (app.expertReview?.scores ?? []).map((s) => s.total),
    });
  }
  return { candidates, names };
}

/** The new proposal's version, claimed against the one read: two proposals made at once cannot share it. */
async function claimNextVersion(callId: string, award: AwardRecord): Promise<number> {
  const version = (award.latestVersion ?? 0) + 1;
  if (!(await updateCallRecord(callId, 'award', { latestVersion: version }, { latestVersion: award.latestVersion }))) {
    throw new DomainError('BUSY', 'Another proposal is being made at this moment; try again');
  }
  return version;
}

/** Every ranked entry of every type, in the call's type order, as the proposal's pages store them. */
async function proposalEntriesOf(rankings: TypeRanking[], names: Map<string, string>): Promise<ProposalEntry[]> {
  const entries: ProposalEntry[] = [];
  for (const ranking of rankings) {
    for (const entry of ranking.entries) {
      entries.push({
        ...entry,
        typeId: ranking.typeId,
        ofCount: ranking.entries.length,
        quota: ranking.quota,
        unitName: names.get(entry.unitId) ?? (await unitName(entry.unitId)),
      });
    }
  }
  return entries;
}

function typeSummaries(call: Call, rankings: TypeRanking[]): TypeSummary[] {
  return rankings.map((r) => ({
    typeId: r.typeId,
    typeName: getProjectType(call, r.typeId)?.name ?? { zh: r.typeId, en: r.typeId },
    quota: r.quota,
    awarded: r.awarded,
    unfilled: r.unfilled,
    ranked: r.entries.length,
    notScored: r.notScored,
  }));
}

/** The department head's link task for this version of the proposal. */
async function confirmationTask(call: Call, version: number, dueAt: Date, at: Date): Promise<TaskRecord> {
  const head = call.staffReview.departmentHead;
  return {
    taskId: linkTaskId(await linkKey(), awardConfirmationName(call.callId, version)),
    kind: 'award-confirmation',
    applicationId: '',
    callId: call.callId,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    createdAt: toBeijingIso(at),
    assignee: { name: head.name, email: head.email },
    round: version,
  };
}

/** An earlier proposal still waiting is replaced by this one: its link stops working. */
async function cancelEarlierProposal(callId: string, award: AwardRecord, at: Date): Promise<void> {
  if (!award.latestVersion) return;
  const earlier = await getProposalHeader<ProposalHeader>(callId, award.latestVersion);
  if (earlier) await cancelOpenTask(earlier.taskId, toBeijingIso(at));
}

/** The email with the department head's link, sent once per version. */
async function requestConfirmation(
  call: Call,
  task: TaskRecord,
  header: ProposalHeader,
  entries: ProposalEntry[],
  dueAt: Date,
  at: Date,
): Promise<void> {
  const summary = {
    version: header.version,
    types: header.types.length,
    awarded: entries.filter((e) => e.awarded).length,
    totalCny: header.totalCny,
    unfilled: header.types.reduce((n, t) => n + t.unfilled, 0),
  };
  await sendEmailOnce(
    callEmailKeys.awardConfirmation(call.callId, header.version),
    awardConfirmationEmail(call.staffReview.departmentHead, call, await linkOf(task), summary, dueAt),
    toBeijingIso(at),
  );
}
