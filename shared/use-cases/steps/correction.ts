import { AMENDABLE_STATUSES, type ApplicationRecord } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { submissionOpen, type Call } from '@shared/domain/catalogue';
import { formalReviewReturnedEmail, returnedForCorrectionEmail } from '@shared/domain/email-texts';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { cancelOpenTask, putTask } from '@shared/adapters/dynamodb/task-items';
import { load, notify, unitAddressee, WorkflowSignal } from './common';
import { amendmentTaskId, emailKeys, marks } from '@shared/domain/ids';

type StaffReturn = NonNullable<ApplicationRecord['staffReturn']>;

/**
 * Returns the application to its unit and parks the workflow on a task that the unit's amendment
 * completes, or that the deadline sweep fails with DeadlinePassed when the online deadline passes.
 */
export async function returnForCorrection(applicationId: string, taskToken: string) {
  const { app, call } = await load(applicationId);
  const at = now();
  const { staffReturn, dueAt } = correctionTerms(applicationId, app, call, at);
  const taskId = await openAmendmentTask(applicationId, app, taskToken, dueAt, at);
  await markReturned(applicationId, app, taskId, staffReturn, at);
  await sendReturnEmail(applicationId, app, call, staffReturn, dueAt, at);
  return { taskId };
}

/** Whose return this is and until when the unit may correct it, or why it cannot be returned now. */
function correctionTerms(applicationId: string, app: ApplicationRecord, call: Call, at: Date) {
  // Returned by staff (after the automatic check passed): their reasons, until the date they set.
  const staffReturn = app.staffReturn?.version === app.version ? app.staffReturn : undefined;
  const dueAt = new Date(staffReturn?.correctionDueAt ?? call.submissionDeadline);
  if (staffReturn ? at.getTime() > dueAt.getTime() : submissionOpen(call, at) === 'closed') {
    throw new WorkflowSignal('DeadlinePassed', 'The correction deadline passed before the application was corrected');
  }
  // Amended after the check judged it: return it for the reasons of the form it now holds, not the old one.
  if (!app.marks?.[marks.formalCheck(app.version)]) {
    throw new WorkflowSignal(
      'FormChanged',
      `Application ${applicationId} was amended to v${app.version} after its formal check`,
    );
  }
  return { staffReturn, dueAt };
}

async function openAmendmentTask(
  applicationId: string,
  app: ApplicationRecord,
  taskToken: string,
  dueAt: Date,
  at: Date,
) {
  // One task per returned version: a retry of this step replaces the dead token of its first try.
  const taskId = amendmentTaskId(applicationId, app.version);
  const opened = await putTask({
    taskId,
    kind: 'amendment',
    applicationId,
    token: taskToken,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    createdAt: toBeijingIso(at),
  });
  // Answered already (this is a retry, and an amendment came in between): check what it holds now.
  if (!opened)
    throw new WorkflowSignal(
      'FormChanged',
      `The amendment task of ${applicationId} v${app.version} is already answered`,
    );
  return taskId;
}

async function markReturned(
  applicationId: string,
  app: ApplicationRecord,
  taskId: string,
  staffReturn: StaffReturn | undefined,
  at: Date,
) {
  const reasons = app.formalCheck?.reasons ?? [];
  const once = marks.correction(app.version);
  const parked = await updateApplication(applicationId, {
    set: { status: 'RETURNED_FOR_CORRECTION', openTaskId: taskId },
    // The reasons themselves are on the application's formalCheck; the history keeps which ones.
    entry: {
      stage: 'Correction',
      result: 'RETURNED_FOR_CORRECTION',
      at: toBeijingIso(at),
      detail: staffReturn
        ? { by: 'staff', round: staffReturn.round }
        : { reasons: reasons.map((r) => r.requirementId) },
    },
    whenStatusIn: AMENDABLE_STATUSES,
    whenVersion: app.version,
    once,
  });
  if (!parked) {
    const current = await getApplication(applicationId);
    if (!(current?.marks?.[once] && current.version === app.version)) {
      // Withdrawn or amended between the load and the park: nobody will answer this task.
      await cancelOpenTask(taskId, toBeijingIso(at));
      if (!current || current.status === 'WITHDRAWN')
        throw new WorkflowSignal('Withdrawn', `Application ${applicationId} was withdrawn`);
      throw new WorkflowSignal('FormChanged', `Application ${applicationId} was amended while being returned`);
    }
  }
}

async function sendReturnEmail(
  applicationId: string,
  app: ApplicationRecord,
  call: Call,
  staffReturn: StaffReturn | undefined,
  dueAt: Date,
  at: Date,
) {
  const unit = await unitAddressee(app);
  const reasons = app.formalCheck?.reasons ?? [];
  const email = staffReturn
    ? formalReviewReturnedEmail(app, call, unit, staffReturn.reasons, dueAt)
    : returnedForCorrectionEmail(app, call, unit, reasons, dueAt);
  await notify(
    applicationId,
    staffReturn ? emailKeys.staffReturned(staffReturn.round) : emailKeys.returned(app.version),
    email,
    toBeijingIso(at),
    'Correction',
  );
}
