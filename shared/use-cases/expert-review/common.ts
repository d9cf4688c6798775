/** What the parts of the expert review share: the pool, an application's candidate, an expert's task and email item, waits. */
import type { Expert } from '@shared/domain/experts';
import type { ApplicationRecord } from '@shared/domain/application-record';
import { getProjectType, requireCall, type Call } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { expertInvitationEmail, type ExpertReviewItem } from '@shared/domain/email-texts';
import { candidateFromForm, type ReviewCandidate } from '@shared/domain/expert-assignment';
import { emailKeys, expertTaskName } from '@shared/domain/ids';
import { PENDING_TOKEN, type TaskRecord } from '@shared/domain/tasks/record';
import { linkTaskId } from '@shared/domain/tasks/link-identity';
import { getApplication } from '@shared/adapters/dynamodb/application-items';
import { listExpertPage, type StoredExpert } from '@shared/adapters/dynamodb/expert-items';
import { claimTask, getTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkKey } from '@shared/adapters/link-key';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';
import { notify } from '@shared/use-cases/steps/common';
import { deliverOrLeaveToSweep } from '@shared/use-cases/tasks/deliver-answer';

/** Every expert of the pool (GSI1 pages). */
export async function loadExpertPool(): Promise<StoredExpert[]> {
  const pool: StoredExpert[] = [];
  let after: string | undefined;
  do {
    const page = await listExpertPage(500, after);
    pool.push(...page.experts);
    after = page.next;
  } while (after);
  return pool;
}

export const candidateOf = (app: Pick<ApplicationRecord, 'applicationId' | 'unitId' | 'form'>): ReviewCandidate =>
  candidateFromForm(
    app.applicationId,
    app.unitId,
    app.form as ApplicationRecord['form'] & { expertsToAvoid?: string[] },
  );

/** The task of one expert's review of one application. */
export async function expertTask(
  app: ApplicationRecord,
  call: Call,
  expert: Expert,
  round: number,
  dueAt: Date,
  at: Date,
): Promise<TaskRecord> {
  return {
    taskId: linkTaskId(await linkKey(), expertTaskName(app.applicationId, expert.expertId, round)),
    kind: 'expert-review',
    applicationId: app.applicationId,
    callId: call.callId,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    answerableUntil: dueAt.toISOString(),
    createdAt: toBeijingIso(at),
    assignee: { name: expert.name, email: expert.email },
    expertId: expert.expertId,
    round,
  };
}

/** Whether the application has its panel of the first round already. */
export const hasPanel = (app: ApplicationRecord) =>
  app.status !== 'READY_FOR_EXPERT_REVIEW' && (app.expertReview?.panel.length ?? 0) > 0;

/** Tells a workflow waiting on one of its no-link waits to go on (if it waits yet: else its step will see). */
export async function releaseWait(taskId: string, at: Date, output: Record<string, unknown> = {}): Promise<void> {
  const wait = await getTask(taskId);
  if (!wait || wait.state !== 'OPEN') return;
  const claimed = await claimTask(wait, {
    outcome: 'DONE',
    signal: { kind: 'success', output: { taskId, ...output } },
    claimedAt: at.toISOString(),
  });
  if (claimed) await deliverOrLeaveToSweep(claimed, at);
}

/** What an expert's emails show of one application. */
export async function reviewItem(
  app: ApplicationRecord,
  call: Call,
  task: Pick<TaskRecord, 'taskId' | 'assignee'>,
): Promise<ExpertReviewItem> {
  const type = getProjectType(call, app.projectTypeId);
  const unit = await getUnit(app.unitId);
  return {
    title: app.form.title,
    typeName: type?.name ?? { zh: app.projectTypeId, en: app.projectTypeId },
    unitName: unit?.name?.zh ?? app.unitId,
    link: await linkOf(task),
  };
}

/** Emails one expert the link of one review (a replacement, a late panel, an expert staff added). */
export async function inviteExpert(applicationId: string, taskId: string, at: Date): Promise<void> {
  const task = await getTask(taskId);
  const app = await getApplication(applicationId);
  if (!task?.assignee || !app) return;
  const call = requireCall(app.callId);
  const email = expertInvitationEmail(task.assignee, call, await reviewItem(app, call, task), new Date(task.dueAt));
  await notify(applicationId, emailKeys.expertInvitation(taskId), email, toBeijingIso(at), 'ExpertReview');
}
