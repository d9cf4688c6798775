import { createHash } from 'node:crypto';
import { getProjectType, requireCall, type Call } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { awardConfirmationEmail } from '@shared/domain/email-texts';
import { DomainError } from '@shared/domain/errors';
import { awardConfirmationName, callEmailKeys } from '@shared/domain/ids';
import { rankCall, type RankCandidate, type TypeRanking } from '@shared/domain/award-ranking';
import { PENDING_TOKEN, type TaskRecord } from '@shared/domain/tasks/record';
import { linkTaskId } from '@shared/domain/tasks/link-identity';
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { JobRecord } from '@shared/domain/jobs';
import {
  allApplicationsInStatus,
  anyApplicationInStatus,
  countApplicationsInStatus,
  getApplication,
} from '@shared/adapters/dynamodb/application-items';
import {
  getCallRecord,
  getProposalHeader,
  putProposalHeader,
  putProposalPages,
  updateCallRecord,
} from '@shared/adapters/dynamodb/review-items';
import { cancelOpenTask, createTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkKey } from '@shared/adapters/link-key';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';
import {
  PAGE,
  pagesOf,
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

/** What a made proposal leaves in its job's result. */
export interface ProposalResult {
  version: number;
  taskId: string;
  ranked: number;
  awarded: number;
  totalCny: number;
  [key: string]: unknown;
}

/**
 * What `POST /calls/{callId}/award-proposal` checks before it starts the job: only what is cheap to
 * know (the call's dates, counts of statuses that must be empty, the award record, one scored entry),
 * never the scored applications themselves. Answers the award record.
 */
export async function requireProposalCanStart(callId: string, at: Date): Promise<AwardRecord> {
  requireReviewOver(requireCall(callId), at);
  await requireNoneInReview(callId);
  const award = await unconfirmedAward(callId);
  if (!(await anyApplicationInStatus(callId, 'SCORED')))
    throw new DomainError('STAGE_NOT_READY', 'No application has been scored', []);
  return award;
}

/** What a part of the proposal job hears and tells: its budget, and its progress as it writes. */
export interface ProposalPart {
  /** when to stop writing pages and leave the rest to the next part (ms since the epoch), given when ranking ended */
  stopAt: (rankedAt: number) => number;
  /** done of total steps: 1 once ranked, then each page written, then the department head's request */
  progress: (done: number, fields: Partial<JobRecord>) => Promise<void>;
}

/**
 * One part of the proposal job (run by the sweep): reads the rank inputs of every scored
 * application, ranks them, writes the proposal's pages from where the last part stopped until its
 * budget is spent ('more': the next part goes on), and once every page is written, the header and
 * the department head's request. Each part reads and ranks again (a second or two on DynamoDB for
 * 300,000; the ranking is deterministic) rather than hold anything between Lambdas; the ranking's
 * fingerprint, kept on the job, makes sure every page comes from the same ranking.
 */
export async function makeProposal(job: JobRecord, at: Date, part: ProposalPart): Promise<ProposalResult | 'more'> {
  const call = requireCall(job.callId);
  await requireNoneInReview(call.callId);
  const award = await unconfirmedAward(call.callId);
  const { candidates, names, unreadable } = await scoredCandidates(call.callId);
  if (unreadable.length) throw new UnreadableCandidates(unreadable);
  if (!candidates.length) throw new DomainError('STAGE_NOT_READY', 'No application has been scored', []);
  const rankings = rankCall(call, candidates);
  const entries = await proposalEntriesOf(rankings, names);
  const pages = pagesOf(entries);
  const fingerprint = fingerprintOf(entries);
  if (job.fingerprint && job.fingerprint !== fingerprint)
    throw new DomainError('STAGE_NOT_READY', 'The scored applications changed while the proposal was made: ask again');
  const version = job.version ?? (await claimNextVersion(call.callId, award, job.jobId));
  await part.progress(1 + (job.pagesWritten ?? 0), { total: pages.length + 2, version, fingerprint });
  const stopAt = part.stopAt(Date.now());
  const written = await putProposalPages(call.callId, version, pages, job.pagesWritten ?? 0, stopAt, (n) =>
    part.progress(1 + n, { pagesWritten: n }),
  );
  if (written < pages.length) return 'more';
  return proposeToHead(call, job, version, rankings, entries, at);
}

/** The proposal's header (after its pages: readers find a version by its header) and the head's link and email. */
async function proposeToHead(
  call: Call,
  job: JobRecord,
  version: number,
  rankings: TypeRanking[],
  entries: ProposalEntry[],
  at: Date,
): Promise<ProposalResult> {
  const dueAt = new Date(at.getTime() + call.staffReview.formalReviewDays * DAY_MS);
  const task = await confirmationTask(call, version, dueAt, at);
  const header: ProposalHeader = {
    callId: call.callId,
    version,
    proposedAt: toBeijingIso(at),
    proposedBy: job.startedBy,
    taskId: task.taskId,
    types: typeSummaries(call, rankings),
    totalCny: entries.reduce((sum, e) => sum + e.amountCny, 0),
  };
  await putProposalHeader(call.callId, version, header, Math.ceil(entries.length / PAGE));
  await cancelEarlierProposal(call.callId, version, at);
  await createTask(task);
  await requestConfirmation(call, task, header, entries, dueAt, at);
  const awarded = entries.filter((e) => e.awarded).length;
  return { version, taskId: task.taskId, ranked: entries.length, awarded, totalCny: header.totalCny };
}

/** What makes two rankings the same: every entry's place and amount, in order. */
function fingerprintOf(entries: ProposalEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.applicationId}:${e.rank}:${e.amountCny}:${e.awarded ? 1 : 0}\n`);
  return hash.digest('base64url').slice(0, 22);
}

/** Scored applications whose rank inputs cannot be read: no proposal is made without them. */
export class UnreadableCandidates extends Error {
  constructor(readonly unreadable: { applicationId: string; message: string }[]) {
    super(`${unreadable.length} scored application(s) could not be read for the ranking`);
    this.name = 'UnreadableCandidates';
  }
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
 * One that cannot be read is named, not skipped: a ranking without it would be unfair to it.
 */
async function scoredCandidates(callId: string) {
  const candidates: RankCandidate[] = [];
  const names = new Map<string, string>();
  const unreadable: { applicationId: string; message: string }[] = [];
  for (const scored of await allApplicationsInStatus(callId, 'SCORED', [
    'applicationId',
    'unitId',
    'projectTypeId',
    'rankInput',
  ])) {
    try {
      // Scored before the rank input was kept: read whole, once.
      const app = scored.rankInput ? scored : await getApplication(scored.applicationId);
      if (!app) continue;
      if (app.rankInput) names.set(app.unitId, app.rankInput.unitName);
      candidates.push(candidateOf(app));
    } catch (error) {
      unreadable.push({ applicationId: scored.applicationId, message: (error as Error).message });
    }
  }
  return { candidates, names, unreadable };
}

function candidateOf(app: ApplicationRecord): RankCandidate {
  const input = app.rankInput;
  return {
    applicationId: app.applicationId,
    unitId: app.unitId,
    projectTypeId: app.projectTypeId,
    title: input?.title ?? app.form.title,
    submittedAt: input?.submittedAt ?? app.createdAt,
    requestedCny: input?.requestedCny ?? app.form.budget.requestedCny,
    ...(input ? { prioritiesMet: input.prioritiesMet } : { form: app.form }),
    totals: input?.totals ?? (app.expertReview?.scores ?? []).map((s) => s.total),
  };
}

/**
 * The new proposal's version, claimed against the one read and by the job the award names: two
 * proposals made at once cannot share it. Kept on the job, so the next part (or a run again) keeps it.
 */
async function claimNextVersion(callId: string, award: AwardRecord, jobId: string): Promise<number> {
  const version = (award.latestVersion ?? 0) + 1;
  const claimed = await updateCallRecord(
    callId,
    'award',
    { latestVersion: version },
    { latestVersion: award.latestVersion, proposalJob: jobId },
  );
  if (!claimed) throw new DomainError('BUSY', 'Another proposal is being made at this moment; try again');
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
async function cancelEarlierProposal(callId: string, version: number, at: Date): Promise<void> {
  if (version < 2) return;
  const earlier = await getProposalHeader<ProposalHeader>(callId, version - 1);
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
