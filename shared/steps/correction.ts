import { now, toBeijingIso } from '@shared/clock';
import { submissionOpen } from '@shared/catalogue';
import { returnedForCorrectionEmail } from '@shared/email-texts';
import { updateApplication } from '@shared/store/applications';
import { putTask } from '@shared/store/tasks';
import { continueIfRecorded, load, notify, publicBase, WorkflowSignal } from './common';

/**
 * Returns the application to its unit and parks the workflow on a task that the unit's amendment
 * completes, or that the deadline sweep fails with DeadlinePassed when the online deadline passes.
 */
export async function returnForCorrection(applicationId: string, taskToken: string) {
  const { app, call } = await load(applicationId);
  const at = now();
  if (submissionOpen(call, at) === 'closed') {
    throw new WorkflowSignal('DeadlinePassed', 'The online deadline passed before the application was corrected');
  }
  // Amended after the check judged it: return it for the reasons of the form it now holds, not the old one.
  if (!app.marks?.[`formal-check-v${app.version}`]) {
    throw new WorkflowSignal('FormChanged', `Application ${applicationId} was amended to v${app.version} after its formal check`);
  }
  // One task per returned version: a retry of this step replaces the dead token of its first try.
  const taskId = `${applicationId}-amend-v${app.version}`;
  const opened = await putTask({
    taskId,
    kind: 'amendment',
    applicationId,
    token: taskToken,
    state: 'OPEN',
    dueAt: new Date(call.submissionDeadline).toISOString(),
    createdAt: toBeijingIso(at),
  });
  if (!opened) throw new WorkflowSignal('Withdrawn', `The amendment task of ${applicationId} v${app.version} is already answered`);
  const reasons = app.formalCheck?.reasons ?? [];
  const once = `correction-v${app.version}`;
  const parked = await updateApplication(applicationId, {
    set: { status: 'RETURNED_FOR_CORRECTION', openTaskId: taskId },
    entry: { stage: 'Correction', result: 'RETURNED_FOR_CORRECTION', at: toBeijingIso(at), detail: { reasons } },
    whenStatusIn: ['SUBMITTED', 'RETURNED_FOR_CORRECTION'],
    once,
  });
  if (!parked) await continueIfRecorded(applicationId, once);
  await notify(applicationId, `returned#v${app.version}`, returnedForCorrectionEmail(app, call, reasons, publicBase()), toBeijingIso(at), 'Correction');
  return { taskId };
}
