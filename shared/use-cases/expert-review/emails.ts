/** The experts' emails of the round: one digest per expert, and reminders before the deadline. */
import { requireCall } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { expertDigestEmail, expertReminderEmail, type ExpertReviewItem } from '@shared/domain/email-texts';
import { callEmailKeys, emailKeys, expertTaskName } from '@shared/domain/ids';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { linkTaskId } from '@shared/domain/tasks/link-identity';
import { getApplication } from '@shared/adapters/dynamodb/application-items';
import { getExpert } from '@shared/adapters/dynamodb/expert-items';
import { getTask } from '@shared/adapters/dynamodb/task-items';
import { linkKey } from '@shared/adapters/link-key';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { notify } from '@shared/use-cases/steps/common';
import { hasPanel, reviewItem } from './common';

/**
 * One email per expert listing every application the round gave them, each with its own link.
 * False when a task it links to is not open yet (its assignment batch has not run): tried again later.
 */
export async function emailExpertDigest(
  callId: string,
  expertId: string,
  applicationIds: string[],
  at: Date,
): Promise<boolean> {
  const call = requireCall(callId);
  const expert = await getExpert(expertId);
  if (!expert) return true;
  const items: ExpertReviewItem[] = [];
  const key = await linkKey();
  for (const applicationId of applicationIds) {
    const task = await getTask(linkTaskId(key, expertTaskName(applicationId, expertId, 1)));
    const app = await getApplication(applicationId);
    if (!app) continue;
    // Its panel came another way (see assignPanel): not theirs to review, or their own email invited them.
    const slot = app.expertReview?.panel.find((kept) => kept.taskId === task?.taskId);
    if (hasPanel(app) && (!slot || slot.via === 'late')) continue;
    if (!task) return false;
    // Withdrawn before its panel was recorded: the task was closed again.
    if (task.state === 'CANCELLED') continue;
    items.push(await reviewItem(app, call, task));
  }
  if (items.length)
    await sendEmailOnce(
      callEmailKeys.expertDigest(callId, expertId),
      expertDigestEmail(expert, call, items, new Date(call.review.deadline)),
      toBeijingIso(at),
    );
  return true;
}

/** An expert's reminder before the review deadline (once per task and tier). */
export async function remindExpert(task: TaskRecord, tier: string, at: Date): Promise<boolean> {
  const app = await getApplication(task.applicationId);
  if (!task.assignee || !app || app.status !== 'IN_EXPERT_REVIEW') return false;
  const call = requireCall(app.callId);
  const email = expertReminderEmail(task.assignee, call, await reviewItem(app, call, task), new Date(task.dueAt));
  return (
    (await notify(
      task.applicationId,
      emailKeys.taskReminder(task.taskId, tier),
      email,
      toBeijingIso(at),
      'ExpertReview',
    )) === 'sent'
  );
}
