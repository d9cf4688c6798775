import { getProjectType } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { receiptEmail } from '@shared/domain/email-texts';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import { recordWorkflowRunning } from '@shared/use-cases/workflow-start';
import { load, notify, unitAddressee } from './common';
import { emailKeys, marks } from '@shared/domain/ids';

/** Sends the unit its receipt, and records it on the application once. */
export async function sendReceipt(applicationId: string, executionArn?: string) {
  // An execution of the definition before its first step named it (a deploy's moment) gives none: the
  // marker stays, and the sweep, finding the execution, records it.
  if (executionArn) await recordWorkflowRunning(applicationId, executionArn);
  const { app, call } = await load(applicationId);
  const type = getProjectType(call, app.projectTypeId);
  if (!type) throw new Error(`Unknown project type ${app.projectTypeId}`);
  const at = toBeijingIso(now());
  // A receipt SES refuses is thrown (see notify): the step fails, nothing is recorded as sent.
  const unit = await unitAddressee(app);
  await notify(applicationId, emailKeys.receipt, receiptEmail(app, call, unit), at, 'Receipt');
  // Recorded whether this attempt or an earlier one sent it: a retry after a failed write heals the history.
  await updateApplication(applicationId, {
    entry: { stage: 'Receipt', result: 'RECEIPT_SENT', at, detail: { to: unit.email } },
    once: marks.receipt,
  });
  return { sent: true };
}
