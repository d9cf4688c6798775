import type { ApplicationForm } from '@shared/domain/application-form';
import { AMENDABLE_STATUSES, type ApplicationRecord } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, type FieldDetail } from '@shared/domain/errors';
import type { Caller } from '@shared/domain/identity';
import type { TaskClosing, TaskRecord } from '@shared/domain/tasks/record';
import { updateApplication, updateApplicationClaimingTask } from '@shared/adapters/dynamodb/application-items';
import { getTask } from '@shared/adapters/dynamodb/task-items';
import {
  deadlinePassed,
  ownApplication,
  requireAmendmentWindow,
  validateForm,
  view,
} from '@shared/use-cases/application-access';
import { deliverOrLeaveToSweep } from '@shared/use-cases/tasks/deliver-answer';

/** Each amendment adds to the stage history; a bound keeps the item within DynamoDB's limit. */
const MAX_VERSIONS = 20;

export async function amend(
  applicationId: string,
  caller: Caller,
  body: unknown,
  attempt = 0,
): ReturnType<typeof view> {
  const record = await ownApplication(applicationId, caller);
  const call = requireCall(record.callId);
  requireAmendmentWindow(record, call);
  requireAmendable(record);
  const form = validateForm(call, body).value;
  requireSameType(record, form);
  const at = now();
  const update = amendmentUpdate(record, form, at);
  const task =
    record.status === 'RETURNED_FOR_CORRECTION' && record.openTaskId ? await getTask(record.openTaskId) : undefined;
  // No task waits (not yet returned), or an earlier amendment already answered it and the check
  // has yet to run: the form is simply replaced, and the check reads the latest version.
  if (!task || (task.state !== 'OPEN' && task.closing?.outcome === 'DONE')) {
    // Conditional on the task it saw, so a return parked meanwhile is not skipped over.
    const plain = { ...update, whenOpenTask: record.openTaskId ?? null };
    if (await updateApplication(applicationId, plain)) return view(applicationId, caller);
    if (attempt < 2) return amend(applicationId, caller, body, attempt + 1);
    throw changedMeanwhile();
  }
  if (task.state !== 'OPEN') throw deadlinePassed(call, 'amend');
  return amendAnsweringTask({ applicationId, caller, body, attempt }, record, call, update, task, at);
}

const changedMeanwhile = () =>
  new DomainError('NOT_AMENDABLE', 'The application changed while being amended; read it and try again');

function requireAmendable(record: ApplicationRecord): void {
  if (!AMENDABLE_STATUSES.includes(record.status)) {
    throw new DomainError('NOT_AMENDABLE', `An application in status ${record.status} cannot be amended`);
  }
  if (record.version >= MAX_VERSIONS) {
    throw new DomainError(
      'NOT_AMENDABLE',
      `An application can be amended at most ${MAX_VERSIONS - 1} times; withdraw it and submit anew`,
    );
  }
}

function requireSameType(record: ApplicationRecord, form: ApplicationForm): void {
  if (form.projectTypeId !== record.projectTypeId) {
    const detail: FieldDetail = {
      path: 'projectTypeId',
      code: 'TYPE_CHANGE_NOT_ALLOWED',
      message: `The project type is ${record.projectTypeId}; withdraw and submit anew to change it`,
    };
    throw new DomainError('VALIDATION_FAILED', 'The project type cannot be changed', [detail]);
  }
}

/** The new form, conditional on the version, unit and status the amendment was made against. */
function amendmentUpdate(record: ApplicationRecord, form: ApplicationForm, at: Date) {
  return {
    set: { form },
    entry: { stage: 'Amendment' as const, result: 'AMENDED', at: toBeijingIso(at) },
    whenStatusIn: AMENDABLE_STATUSES,
    whenUnit: record.unitId,
    whenVersion: record.version,
    bumpVersion: true,
  };
}

/**
 * A returned application is waiting for this amendment: the new form and the answer to its task
 * are stored together, so the deadline sweep either takes the task first (410) or not at all.
 */
async function amendAnsweringTask(
  request: { applicationId: string; caller: Caller; body: unknown; attempt: number },
  record: ApplicationRecord,
  call: Call,
  update: ReturnType<typeof amendmentUpdate>,
  task: TaskRecord,
  at: Date,
): ReturnType<typeof view> {
  const { applicationId, caller, body, attempt } = request;
  const closing: TaskClosing = {
    outcome: 'DONE',
    signal: { kind: 'success', output: { amended: true, version: record.version + 1 } },
    claimedAt: at.toISOString(),
  };
  // The answer shows the application as it now stands: back in the check, with the new version and
  // none of the reasons it was returned for (the history keeps them).
  const backInTheCheck = {
    ...update,
    set: { ...update.set, status: 'SUBMITTED' as const },
    remove: ['formalCheck' as const, 'staffReturn' as const],
  };
  const outcome = await updateApplicationClaimingTask(applicationId, backInTheCheck, task, closing);
  if (outcome === 'application-changed') throw changedMeanwhile();
  if (outcome === 'task-closed') {
    const claimed = await getTask(task.taskId);
    // Still open, with a new token (its workflow re-opened it meanwhile): answer the task as it is now.
    if (claimed?.state === 'OPEN' && attempt < 2) return amend(applicationId, caller, body, attempt + 1);
    // Another amendment answered the task a moment ago: take this one as a plain amendment.
    if (claimed?.closing?.outcome !== 'DONE') throw deadlinePassed(call, 'amend');
    if (!(await updateApplication(applicationId, { ...backInTheCheck, whenOpenTask: task.taskId })))
      throw changedMeanwhile();
    return view(applicationId, caller);
  }
  await deliverOrLeaveToSweep({ ...task, closing }, at);
  return view(applicationId, caller);
}
