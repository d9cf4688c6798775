import type { ApplicationRecord, Stage } from '@shared/domain/application-record';
import { getCall, type Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { emailDedupeKey } from '@shared/domain/ids';
import { getApplication } from '@shared/adapters/dynamodb/application-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { webAppBase } from '@shared/adapters/env';
import { sendEmailOnceReporting } from '@shared/use-cases/email-once';

/**
 * The automatic stages of an application's workflow live in this folder, one module per step, so
 * each Lambda bundles (and is granted) only what its step uses. Each step is safe to run twice
 * (Step Functions retries a Lambda that failed after doing part of its work): writes are conditional
 * and recorded once per key, and emails are sent once per key.
 */

/** Thrown to the state machine, which catches it by name (Catch ErrorEquals: ['Withdrawn']). */
export class WorkflowSignal extends Error {
  constructor(name: 'Withdrawn' | 'DeadlinePassed' | 'ApplicationMissing' | 'FormChanged', message: string) {
    super(message);
    this.name = name;
  }
}

export async function load(applicationId: string): Promise<{ app: ApplicationRecord; call: Call }> {
  const app = await getApplication(applicationId);
  if (!app) throw new WorkflowSignal('ApplicationMissing', `Application ${applicationId} does not exist`);
  if (app.status === 'WITHDRAWN') throw new WorkflowSignal('Withdrawn', `Application ${applicationId} was withdrawn`);
  const call = getCall(app.callId);
  if (!call) throw new Error(`Call ${app.callId} of application ${applicationId} is not in the catalogue`);
  return { app, call };
}

/**
 * Where a unit's emails go: the address registered for the unit (PUT /units/{unitId}), and no other.
 * The form's contact address is free text the unit typed: never a recipient, not even in place of
 * a missing registered one. A unit with no registered address (its standing set before it was
 * registered) fails the step instead: recorded and retried, visibly, until staff register one.
 */
export async function unitAddressee(app: ApplicationRecord): Promise<UnitAddressee> {
  const unit = await getUnit(app.unitId);
  if (!unit?.email) {
    const message = `Unit ${app.unitId} has no registered email address: staff register it (PUT /units/${app.unitId})`;
    throw Object.assign(new Error(message), { name: 'UnitNotRegistered' });
  }
  return { unitName: unit.name?.zh ?? app.unitId, email: unit.email, appUrl: webAppBase() };
}

/**
 * After a step's once-only write was refused: carry on if this step already recorded it (a retry),
 * stop the workflow as withdrawn if the unit withdrew, and fail loudly otherwise.
 */
export async function continueIfRecorded(applicationId: string, once: string): Promise<ApplicationRecord> {
  const current = await getApplication(applicationId);
  if (current?.status === 'WITHDRAWN')
    throw new WorkflowSignal('Withdrawn', `Application ${applicationId} was withdrawn`);
  if (!current?.marks?.[once])
    throw new Error(`Application ${applicationId} is ${current?.status ?? 'missing'}; step ${once} cannot record`);
  return current;
}

/**
 * Sends an email about an application once per key, and logs it for the application's staff (to,
 * template, subject, message id, when) in an item of its own, never in the application item, which
 * an overdue task's daily reminders would grow without end (email-items.ts). The message is tagged
 * with the application, the email's key and the stage, which SES hands back with any bounce or
 * complaint (shared/use-cases/email-events.ts).
 *
 * Whatever SES refuses is thrown, never recorded as "undeliverable" and passed over: the step
 * fails, and a workflow step's Catch records the failure on the application, the execution fails
 * and its alarm fires (on the API or in the sweep, the request or the item fails visibly in turn).
 * Transient faults (throttling, SES down) are retried by Step Functions first. The refusals:
 * - MessageRejected: the sender is not verified, the account is in the SES sandbox (where every
 *   unverified recipient is refused too), or sending is otherwise not allowed. A deployment that
 *   cannot send, which would lose every email alike; SES's answer does not even say whether the
 *   sender or the recipient failed its check. Once fixed, the recovery sweep runs the step again
 *   and the email goes (it was never marked sent).
 * - InvalidParameterValue: a malformed address or parameter. Every address the product sends to
 *   was checked as an email address where it entered (a unit's, the form's contact, staff's,
 *   experts'), so this is a bug, not a recipient's problem.
 * A bad recipient address that is well formed (no such mailbox, a full one, one on the account's
 * suppression list) is not refused here: SES accepts the message, and its bounce arrives later
 * through the configuration set and is recorded on the application as EMAIL_BOUNCED and counted
 * (the bounce-rate alarm watches them all). The application goes on: the step did its part, and
 * staff see the bounce in its history.
 */
export async function notify(
  applicationId: string,
  key: string,
  email: Email,
  at: string,
  stage: Stage,
): Promise<'sent' | 'sent-before'> {
  const { sent } = await sendEmailOnceReporting(emailDedupeKey(applicationId, key), email, at, {
    applicationId,
    emailKey: key,
    stage,
  });
  return sent ? 'sent' : 'sent-before';
}
