import type { AwardDecision } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { awardConfirmationEmail } from '@shared/domain/email-texts';
import { DomainError, notFound } from '@shared/domain/errors';
import { callEmailKeys, waitTaskIds } from '@shared/domain/ids';
import { readTaskAnswer } from '@shared/domain/tasks/link-rules';
import { actionKey, type TaskAction } from '@shared/domain/tasks/schedule';
import type { ClaimedTask, TaskAnswer, TaskRecord } from '@shared/domain/tasks/record';
import type { AwardProposalView } from '@shared/domain/tasks/pages';
import { isTaskIdShaped, verifyLinkSignature } from '@shared/domain/tasks/link-identity';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import { getCallRecord, getProposalHeader, updateCallRecord } from '@shared/adapters/dynamodb/review-items';
import { claimTask, finishTask, getTask } from '@shared/adapters/dynamodb/task-items';
import { linkKey } from '@shared/adapters/link-key';
import { enqueueBatches } from '@shared/use-cases/call-batches';
import { startJob } from '@shared/use-cases/jobs';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { releaseWait } from '@shared/use-cases/expert-review';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';
import {
  pagesOf,
  proposalEntries,
  shownOf,
  topEntries,
  type AwardRecord,
  type ProposalHeader,
} from '@shared/use-cases/award-records';

/**
 * The department head's side of the award: the proposal's task link, its answer (confirm, or revise
 * with reasons), what a confirmation sets going, and the reminders while it waits.
 */

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
  await requireAnswerable(task, call);
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

/** Only the newest proposal's open task may be answered, and only while the award is not yet confirmed. */
async function requireAnswerable(task: TaskRecord, call: Call): Promise<void> {
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
  if (answer?.answer === 'confirm') batches = await confirmAward(task, callId, version, at);
  else if (answer?.answer === 'revise') await recordRevision(callId, version, answer.reasons ?? [], at);
  await finishTask(task, toBeijingIso(at));
  return batches;
}

/**
 * Fixes the confirmed version and queues the decisions, once: a run cut short after the confirmation
 * but before the batches were recorded queues them again; a later run returns the recorded batches.
 */
async function confirmAward(task: ClaimedTask, callId: string, version: number, at: Date): Promise<string[]> {
  const confirmed = await updateCallRecord(
    callId,
    'award',
    { confirmedVersion: version, confirmedAt: toBeijingIso(at), confirmedBy: task.assignee?.name ?? '' },
    { confirmedVersion: undefined },
  );
  const award = await getCallRecord<AwardRecord>(callId, 'award');
  if (!(confirmed || (award?.confirmedVersion === version && !award.decisionBatches)))
    return award?.decisionBatches ?? [];
  const jobId = `award-decisions.${callId}.v${version}`;
  const batches = await enqueueDecisions(callId, version, at, { jobId, startedBy: task.assignee?.name ?? '' });
  await updateCallRecord(callId, 'award', { decisionBatches: batches, decisionJob: jobId });
  return batches;
}

/**
 * Every application's decision, in batches the sweep carries out (decideApplication), counted in a
 * job of their own (its id is fixed by the version: a confirmation run again finds the same job).
 */
async function enqueueDecisions(
  callId: string,
  version: number,
  at: Date,
  job: { jobId: string; startedBy: string },
): Promise<string[]> {
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
  const slices = pagesOf(items);
  await startJob(
    { ...job, kind: 'award-decisions', callId, total: slices.length, result: { version, decisions: items.length } },
    at,
  );
  return enqueueBatches(callId, 'decide', slices, at, { jobId: job.jobId });
}

async function recordRevision(callId: string, version: number, reasons: string[], at: Date): Promise<void> {
  const award = (await getCallRecord<AwardRecord>(callId, 'award')) ?? {};
  await updateCallRecord(callId, 'award', {
    revisions: {
      ...(award.revisions ?? {}),
      [`v${version}`]: { reasons, at: toBeijingIso(at) },
    },
  });
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
