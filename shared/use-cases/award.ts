import type { AwardDecision } from '@shared/domain/application-record';
import { getProjectType, requireCall, type Bilingual, type Call } from '@shared/domain/catalogue';
import { spreadsheetCsv } from '@shared/domain/csv';
import { now, toBeijingIso } from '@shared/domain/clock';
import { awardConfirmationEmail } from '@shared/domain/email-texts';
import { DomainError, notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { awardConfirmationName, callEmailKeys, waitTaskIds } from '@shared/domain/ids';
import { readTaskAnswer } from '@shared/domain/link-tasks';
import { rankCall, type RankCandidate, type RankedEntry, type TypeRanking } from '@shared/domain/award-ranking';
import { displayScore } from '@shared/domain/scoring';
import { actionKey, type TaskAction } from '@shared/domain/task-schedule';
import { PENDING_TOKEN, type ClaimedTask, type TaskAnswer, type TaskRecord } from '@shared/domain/task';
import type { AwardProposalView } from '@shared/domain/task-pages';
import { isTaskIdShaped, linkTaskId, verifyLinkSignature } from '@shared/domain/task-links';
import {
  allApplicationsInStatus,
  countApplicationsInStatus,
  getApplication,
  updateApplication,
} from '@shared/adapters/dynamodb/application-items';
import {
  getCallRecord,
  getProposalHeader,
  getProposalPage,
  proposalPages,
  putProposal,
  updateCallRecord,
} from '@shared/adapters/dynamodb/review-items';
import { cancelOpenTask, claimTask, createTask, finishTask, getTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkKey } from '@shared/adapters/link-key';
import { enqueueBatches } from '@shared/use-cases/call-batches';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { releaseWait } from '@shared/use-cases/expert-review';
import { linkOf } from '@shared/use-cases/steps/link-tasks';

/**
 * The award (立项): staff ask for a proposal once the review is over; within each type the scored
 * applications are ranked (award-ranking.ts: score, then the notice's priorities the form can show,
 * then, as the department's assumptions, the smaller spread and the earlier submission, every
 * tie-break explained) and the quota awarded from the top, never above the budget asked for.
 * The department head confirms it through a task link, or sends it back; confirming decides every
 * application (in batches the sweep finishes at scale) and each unit hears its outcome. Staff then
 * publish the results.
 */

/** The call's award record. */
export interface AwardRecord {
  latestVersion?: number;
  confirmedVersion?: number;
  confirmedAt?: string;
  confirmedBy?: string;
  decisionBatches?: string[];
  published?: boolean;
  publishedAt?: string;
  publishedBy?: string;
  revisions?: Record<string, { reasons: string[]; at: string }>;
}

export interface TypeSummary {
  typeId: string;
  typeName: Bilingual;
  quota: number;
  awarded: number;
  unfilled: number;
  ranked: number;
  notScored: TypeRanking['notScored'];
}

export interface ProposalHeader {
  callId: string;
  version: number;
  proposedAt: string;
  proposedBy: string;
  taskId: string;
  types: TypeSummary[];
  totalCny: number;
}

/** One ranked application of a proposal, as stored in its pages. */
export interface ProposalEntry extends RankedEntry {
  typeId: string;
  ofCount: number;
  quota: number;
  unitName: string;
}

const PAGE = 200;
/**
 * How many places below each type's quota the proposal shows (its answer and the department head's
 * page): the awarded ones and the next ones are what a decision weighs. A national funder's call ranks
 * hundreds of thousands, which no page or Lambda answer (6 MB) holds: the whole ranking is in the
 * results once confirmed (`GET /calls/{callId}/results`, page by page).
 */
export const SHOWN_BELOW_THE_CUT = 10;
const shownOf = (t: { quota: number; ranked: number }) => Math.min(t.ranked, t.quota + SHOWN_BELOW_THE_CUT);

/** The first `countOf(type)` entries of each type, read from only the stored pages that hold them. */
async function topEntries(
  callId: string,
  header: ProposalHeader,
  countOf: (t: TypeSummary) => number,
): Promise<Map<string, ProposalEntry[]>> {
  let offset = 0;
  const ranges = header.types.map((t) => {
    const range = { typeId: t.typeId, start: offset, end: offset + Math.min(t.ranked, countOf(t)) };
    offset += t.ranked;
    return range;
  });
  const wanted = new Set<number>();
  for (const { start, end } of ranges)
    for (let i = start; i < end; i += PAGE - (i % PAGE)) wanted.add(Math.floor(i / PAGE));
  const pages = new Map(
    await Promise.all(
      [...wanted].map(
        async (page) => [page, await getProposalPage<ProposalEntry>(callId, header.version, page)] as const,
      ),
    ),
  );
  return new Map(
    ranges.map(({ typeId, start, end }) => [
      typeId,
      Array.from(
        { length: end - start },
        (_, k) => pages.get(Math.floor((start + k) / PAGE))?.[(start + k) % PAGE],
      ).filter((entry): entry is ProposalEntry => entry !== undefined),
    ]),
  );
}
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
  if (at.getTime() <= Date.parse(call.review.deadline)) {
    throw new DomainError(
      'STAGE_NOT_READY',
      `The expert review runs until ${toBeijingIso(new Date(call.review.deadline))}; propose the award after it`,
      [{ path: 'review.deadline', code: 'REVIEW_NOT_OVER', message: `the review deadline is ${call.review.deadline}` }],
    );
  }
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
  const award = (await getCallRecord<AwardRecord>(callId, 'award')) ?? {};
  if (award.confirmedVersion)
    throw new DomainError(
      'AWARD_CONFIRMED',
      `The award was confirmed (proposal v${award.confirmedVersion}) on ${award.confirmedAt}`,
    );

  // Only what the ranking reads (fixed when each was scored), not the forms: a few hundred bytes each.
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
  if (!candidates.length) throw new DomainError('STAGE_NOT_READY', 'No application has been scored', []);
  const rankings = rankCall(call, candidates);

  const version = (award.latestVersion ?? 0) + 1;
  if (!(await updateCallRecord(callId, 'award', { latestVersion: version }, { latestVersion: award.latestVersion }))) {
    throw new DomainError('BUSY', 'Another proposal is being made at this moment; try again');
  }
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
  const types: TypeSummary[] = rankings.map((r) => ({
    typeId: r.typeId,
    typeName: getProjectType(call, r.typeId)?.name ?? { zh: r.typeId, en: r.typeId },
    quota: r.quota,
    awarded: r.awarded,
    unfilled: r.unfilled,
    ranked: r.entries.length,
    notScored: r.notScored,
  }));
  const head = call.staffReview.departmentHead;
  const dueAt = new Date(at.getTime() + call.staffReview.formalReviewDays * DAY_MS);
  const task: TaskRecord = {
    taskId: linkTaskId(await linkKey(), awardConfirmationName(callId, version)),
    kind: 'award-confirmation',
    applicationId: '',
    callId,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    createdAt: toBeijingIso(at),
    assignee: { name: head.name, email: head.email },
    round: version,
  };
  const header: ProposalHeader = {
    callId,
    version,
    proposedAt: toBeijingIso(at),
    proposedBy: staff.subject,
    taskId: task.taskId,
    types,
    totalCny: entries.reduce((sum, e) => sum + e.amountCny, 0),
  };
  const pages = Array.from({ length: Math.ceil(entries.length / PAGE) }, (_, i) =>
    entries.slice(i * PAGE, (i + 1) * PAGE),
  );
  await putProposal(callId, version, header, pages);
  // An earlier proposal still waiting is replaced by this one: its link stops working.
  if (award.latestVersion) {
    const earlier = await getProposalHeader<ProposalHeader>(callId, award.latestVersion);
    if (earlier) await cancelOpenTask(earlier.taskId, toBeijingIso(at));
  }
  await createTask(task);
  const summary = {
    version,
    types: types.length,
    awarded: entries.filter((e) => e.awarded).length,
    totalCny: header.totalCny,
    unfilled: types.reduce((n, t) => n + t.unfilled, 0),
  };
  await sendEmailOnce(
    callEmailKeys.awardConfirmation(callId, version),
    awardConfirmationEmail(head, call, await linkOf(task), summary, dueAt),
    toBeijingIso(at),
  );
  return {
    ...header,
    proposedAt: header.proposedAt,
    state: 'PROPOSED',
    types: types.map((t) => ({ ...t, entries: entries.filter((e) => e.typeId === t.typeId).slice(0, shownOf(t)) })),
  };
}

async function proposalEntries(callId: string, version: number): Promise<ProposalEntry[]> {
  const header = await getProposalHeader<ProposalHeader & { pages: number }>(callId, version);
  const entries: ProposalEntry[] = [];
  for await (const page of proposalPages<ProposalEntry>(callId, version, 0, header?.pages ?? 0)) entries.push(...page);
  return entries;
}

async function loadConfirmationTask(taskId: string, sig: unknown) {
  const task = isTaskIdShaped(taskId) ? await getTask(taskId) : undefined;
  if (!task || task.kind !== 'award-confirmation' || !task.callId || !task.round) throw notFound('Task');
  if (!verifyLinkSignature(await linkKey(), task.taskId, task.assignee?.email ?? '', sig)) {
    throw new DomainError('LINK_INVALID', 'This link is not valid: open it exactly as it came in the email');
  }
  const call = requireCall(task.callId);
  const header = await getProposalHeader<ProposalHeader>(task.callId, task.round);
  if (!header) throw notFound('Proposal');
  return { task, call, header };
}

/** The view of the proposal the department head's link opens. */
async function proposalView(
  task: TaskRecord,
  call: Call,
  header: ProposalHeader,
  postUrl: string,
): Promise<AwardProposalView> {
  const shown = await topEntries(call.callId, header, shownOf);
  const state = task.state === 'CLOSING' ? 'CLOSING' : task.state;
  return {
    taskId: task.taskId,
    state,
    dueAt: new Date(task.dueAt),
    postUrl,
    assignee: { name: task.assignee?.name ?? '' },
    call,
    version: header.version,
    proposedAt: header.proposedAt,
    types: header.types.map((t) => {
      const typeEntries = shown.get(t.typeId) ?? [];
      return {
        typeId: t.typeId,
        quota: t.quota,
        awarded: t.awarded,
        unfilled: t.unfilled,
        ranked: t.ranked,
        entries: typeEntries,
        notScored: t.notScored,
        typeName: t.typeName,
        unitNames: Object.fromEntries(typeEntries.map((e) => [e.unitId, e.unitName])),
      };
    }),
    ...(task.answer ? { answer: task.answer } : {}),
  };
}

/** `GET /tasks/{taskId}` for an award confirmation: each type's ranked table down past its cut. Changes nothing. */
export async function readAwardConfirmation(taskId: string, sig: unknown, postUrl: string) {
  const { task, call, header } = await loadConfirmationTask(taskId, sig);
  return { task, header, view: await proposalView(task, call, header, postUrl) };
}

/** `POST /tasks/{taskId}` for an award confirmation: confirm, or revise with reasons. Once. */
export async function answerAwardConfirmation(taskId: string, sig: unknown, body: unknown, postUrl: string) {
  const { task, call, header } = await loadConfirmationTask(taskId, sig);
  const at = now();
  if (task.state === 'DONE' || (task.state === 'CLOSING' && task.closing?.outcome === 'DONE'))
    throw new DomainError('ALREADY_DONE', 'This proposal has already been answered');
  if (task.state !== 'OPEN')
    throw new DomainError(
      'LINK_EXPIRED',
      'This proposal was replaced by a newer one: use the link in the newest email',
    );
  // A newer proposal is being made (or the award was confirmed from another link): this one stands no more.
  const award = await getCallRecord<AwardRecord>(call.callId, 'award');
  if (award?.confirmedVersion)
    throw new DomainError('ALREADY_DONE', `The award was confirmed (proposal v${award.confirmedVersion})`);
  if (award?.latestVersion !== task.round)
    throw new DomainError(
      'LINK_EXPIRED',
      'This proposal was replaced by a newer one: use the link in the newest email',
    );
  const read = readTaskAnswer('award-confirmation', body, { call, now: at });
  if (!read.ok)
    throw new DomainError('VALIDATION_FAILED', `The answer has ${read.details.length} problem(s)`, read.details);
  const given: TaskAnswer = { ...read.answer, answeredAt: toBeijingIso(at) };
  const claimed = await claimTask(
    task,
    { outcome: 'DONE', signal: { kind: 'success', output: { answer: given.answer } }, claimedAt: at.toISOString() },
    given,
  );
  if (!claimed) throw new DomainError('ALREADY_DONE', 'This proposal has already been answered');
  const batches = await carryOutAwardConfirmation(claimed, at);
  return {
    task: claimed,
    header,
    answer: given,
    batches,
    view: await proposalView({ ...claimed, state: 'DONE', answer: given }, call, header, postUrl),
  };
}

/**
 * What a confirmation answer does (also run again by the sweep if it was cut short): `confirm` fixes
 * the award and queues every application's decision; `revise` records why, for staff to propose again.
 */
export async function carryOutAwardConfirmation(task: ClaimedTask, at: Date): Promise<string[]> {
  const callId = task.callId ?? '';
  const version = task.round ?? 0;
  const answer = task.answer;
  let batches: string[] = [];
  if (answer?.answer === 'confirm') {
    const confirmed = await updateCallRecord(
      callId,
      'award',
      { confirmedVersion: version, confirmedAt: toBeijingIso(at), confirmedBy: task.assignee?.name ?? '' },
      { confirmedVersion: undefined },
    );
    const award = await getCallRecord<AwardRecord>(callId, 'award');
    if (confirmed || (award?.confirmedVersion === version && !award.decisionBatches)) {
      const entries = await proposalEntries(callId, version);
      const items = entries.map((e) => ({
        applicationId: e.applicationId,
        decision: {
          awarded: e.awarded,
          amountCny: e.amountCny,
          rank: e.rank,
          ofCount: e.ofCount,
          quota: e.quota,
          score: e.score,
          proposalVersion: version,
          decidedAt: toBeijingIso(at),
        },
      }));
      const slices = Array.from({ length: Math.ceil(items.length / PAGE) }, (_, i) =>
        items.slice(i * PAGE, (i + 1) * PAGE),
      );
      batches = await enqueueBatches(callId, 'decide', slices, at);
      await updateCallRecord(callId, 'award', { decisionBatches: batches });
    } else batches = award?.decisionBatches ?? [];
  } else if (answer?.answer === 'revise') {
    const award = (await getCallRecord<AwardRecord>(callId, 'award')) ?? {};
    await updateCallRecord(callId, 'award', {
      revisions: {
        ...(award.revisions ?? {}),
        [`v${version}`]: { reasons: answer.reasons ?? [], at: toBeijingIso(at) },
      },
    });
  }
  await finishTask(task, toBeijingIso(at));
  return batches;
}

/** The sweep: the department head is reminded of a proposal still unanswered (3 days and 1 day before, then daily). */
export async function remindAwardConfirmation(task: TaskRecord, action: TaskAction, at: Date): Promise<boolean> {
  if (
    task.kind !== 'award-confirmation' ||
    !task.callId ||
    !task.assignee ||
    (action.kind !== 'remind' && action.kind !== 'overdue')
  )
    return false;
  const call = requireCall(task.callId);
  const header = await getProposalHeader<ProposalHeader>(task.callId, task.round ?? 0);
  if (!header) return false;
  const summary = {
    version: header.version,
    types: header.types.length,
    awarded: header.types.reduce((n, t) => n + t.awarded, 0),
    totalCny: header.totalCny,
    unfilled: header.types.reduce((n, t) => n + t.unfilled, 0),
  };
  const request = awardConfirmationEmail(task.assignee, call, await linkOf(task), summary, new Date(task.dueAt));
  const email = { ...request, subject: `${action.kind === 'overdue' ? '【已逾期】' : '【提醒】'}${request.subject}` };
  return sendEmailOnce(
    `${callEmailKeys.awardConfirmation(task.callId, header.version)}#${actionKey(action)}`,
    email,
    toBeijingIso(at),
  );
}

/** One application's confirmed decision: recorded, and its workflow told (RecordAward then tells the unit). */
export async function decideApplication(applicationId: string, decision: AwardDecision, at: Date): Promise<void> {
  await updateApplication(applicationId, {
    set: { award: decision },
    once: `award-decided-v${decision.proposalVersion}`,
    whenStatusIn: ['SCORED'],
  });
  await releaseWait(waitTaskIds.awardDecision(applicationId), at);
}

/** `POST /calls/{callId}/results/publish` (staff): the confirmed results become public. */
export async function publishResults(callId: string, caller: Caller, at: Date = now()) {
  const staff = requireStaff(caller);
  requireCall(callId);
  const award = await getCallRecord<AwardRecord>(callId, 'award');
  if (!award?.confirmedVersion) throw new DomainError('STAGE_NOT_READY', 'The award has not been confirmed yet', []);
  if (!award.published)
    await updateCallRecord(callId, 'award', {
      published: true,
      publishedAt: toBeijingIso(at),
      publishedBy: staff.subject,
    });
  const current = await getCallRecord<AwardRecord>(callId, 'award');
  return { callId, published: true, publishedAt: current?.publishedAt };
}

export interface ResultRow {
  projectTypeId: string;
  type: string;
  rank: number;
  unitId: string;
  unit: string;
  title: string;
  score: string;
  /** what the application's budget asked for */
  requestedCny: number;
  /** what it is awarded (never more than requested); 0 when not awarded */
  amountCny: number;
  awarded: boolean;
}

/** Rows of the staff's results per page (25 stored pages of the proposal): about 1 MB of JSON, well inside a Lambda's answer. */
export const RESULTS_PAGE = 25 * PAGE;

/**
 * `GET /calls/{callId}/results`: staff see every ranked application once the award is confirmed,
 * RESULTS_PAGE rows at a time (`?page=2`…; one page for any call this province runs); anyone sees
 * the awarded ones once staff have published them. As JSON, or CSV (UTF-8 with a byte order mark,
 * so Excel opens the Chinese text correctly).
 */
export async function callResults(callId: string, caller: Caller, page: unknown = '1') {
  const call = requireCall(callId);
  const award = await getCallRecord<AwardRecord>(callId, 'award');
  const forStaff = caller.kind === 'staff';
  if (!award?.confirmedVersion || (!forStaff && !award.published)) {
    if (!forStaff && caller.kind === 'anonymous' && !award?.published) throw notFound('Published results');
    if (!forStaff) throw notFound('Published results');
    throw new DomainError('STAGE_NOT_READY', 'The award has not been confirmed yet', []);
  }
  const header = await getProposalHeader<ProposalHeader>(callId, award.confirmedVersion);
  if (!header) throw notFound('Proposal');
  const ranked = header.types.reduce((n, t) => n + t.ranked, 0);
  const pages = Math.max(1, Math.ceil(ranked / RESULTS_PAGE));
  const wanted = Number(page);
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > pages) {
    throw new DomainError('VALIDATION_FAILED', `page must be a whole number from 1 to ${pages}`, [
      { path: 'query.page', code: 'INVALID_VALUE', message: `1 to ${pages}` },
    ]);
  }
  const entries: ProposalEntry[] = [];
  if (forStaff) {
    // The stored pages (of PAGE entries) this results page spans.
    const first = (wanted - 1) * (RESULTS_PAGE / PAGE);
    const end = Math.min(first + RESULTS_PAGE / PAGE, Math.ceil(ranked / PAGE));
    for await (const stored of proposalPages<ProposalEntry>(callId, award.confirmedVersion, first, end))
      entries.push(...stored);
  } else {
    // The public list: each type's awarded ones, at the top of its ranking (only the pages holding them are read).
    entries.push(
      ...[...(await topEntries(callId, header, (t) => t.awarded)).values()].flat().filter((entry) => entry.awarded),
    );
  }
  const rows: ResultRow[] = entries.map((entry) => ({
    projectTypeId: entry.typeId,
    type: getProjectType(call, entry.typeId)?.name.zh ?? entry.typeId,
    rank: entry.rank,
    unitId: entry.unitId,
    unit: entry.unitName,
    title: entry.title,
    score: displayScore(entry.score),
    requestedCny: entry.requestedCny,
    amountCny: entry.amountCny,
    awarded: entry.awarded,
  }));
  return {
    callId,
    confirmedAt: award.confirmedAt,
    published: award.published === true,
    publishedAt: award.publishedAt,
    rows,
    ...(forStaff ? { page: wanted, pages } : {}),
  };
}

const CSV_COLUMNS: { key: keyof ResultRow; header: string }[] = [
  { key: 'type', header: '项目类型 Type' },
  { key: 'rank', header: '排名 Rank' },
  { key: 'unit', header: '申报单位 Unit' },
  { key: 'title', header: '项目名称 Title' },
  { key: 'score', header: '评审得分 Score' },
  { key: 'requestedCny', header: '申请金额（元）Requested (CNY)' },
  { key: 'amountCny', header: '资助金额（元）Amount (CNY)' },
  { key: 'awarded', header: '是否立项 Awarded' },
];

/** The results as CSV text with a BOM. */
export function resultsCsv(rows: ResultRow[]): string {
  return spreadsheetCsv(
    rows.map((row) => ({ ...row, awarded: row.awarded ? '是 yes' : '否 no' })),
    CSV_COLUMNS,
  );
}
