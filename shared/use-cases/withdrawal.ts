import { OPEN_STATUSES } from '@shared/domain/application-record';
import { requireCall } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import type { Caller } from '@shared/domain/identity';
import { amendmentTaskId, waitTaskIds } from '@shared/domain/ids';
import type { TaskClosing } from '@shared/domain/tasks/record';
import { getApplication, withdrawApplication } from '@shared/adapters/dynamodb/application-items';
import { claimTask, getTask } from '@shared/adapters/dynamodb/task-items';
import { ownApplication, requireWindowOpen, view } from '@shared/use-cases/application-access';
import { deliverOrLeaveToSweep } from '@shared/use-cases/tasks/deliver-answer';

export async function withdraw(applicationId: string, caller: Caller) {
  const record = await ownApplication(applicationId, caller);
  const call = requireCall(record.callId);
  if (record.status === 'WITHDRAWN') throw new DomainError('ALREADY_DONE', 'The application is already withdrawn');
  requireWindowOpen(call, 'withdraw');
  if (!OPEN_STATUSES.includes(record.status)) {
    throw new DomainError('ALREADY_DONE', `An application in status ${record.status} can no longer be withdrawn`);
  }
  const at = now();
  const done = await withdrawApplication(record, OPEN_STATUSES, {
    stage: 'Withdrawal',
    result: 'WITHDRAWN',
    at: toBeijingIso(at),
  });
  if (!done) throw new DomainError('ALREADY_DONE', 'The application was withdrawn or closed meanwhile');

  // Stop the workflow where it waits, so it ends as withdrawn instead of waiting for a deadline:
  // the amendment task it read (or the one a return parking at this moment opens: ids are derived),
  // and the staff tasks open for it, whose links stop working.
  const closing: TaskClosing = {
    outcome: 'CANCELLED',
    signal: { kind: 'failure', error: 'Withdrawn', cause: 'The unit withdrew the application' },
    claimedAt: at.toISOString(),
  };
  // Read after the withdrawal committed: a task opened a moment before is among them, and one opened
  // after it finds the application withdrawn and cancels itself (shared/use-cases/tasks/open-link-task.ts).
  const after = await getApplication(applicationId);
  const waiting = [
    record.openTaskId ?? amendmentTaskId(applicationId, record.version),
    ...(record.waitingOn ?? []),
    ...(after?.waitingOn ?? []),
    // Ready for the expert review: it waits for the call's round.
    waitTaskIds.expertAssignment(applicationId),
  ];
  for (const taskId of new Set(waiting)) {
    const task = await getTask(taskId);
    const claimed = task && (await claimTask(task, closing));
    if (claimed) await deliverOrLeaveToSweep(claimed, at);
  }
  return view(applicationId, caller);
}
