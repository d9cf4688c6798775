import type { ApplicationRecord, Stage } from '@shared/domain/application-record';
import { getCall, type Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { emailDedupeKey, marks } from '@shared/domain/ids';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
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
 * Where a unit's emails go: the address registered for the unit (the units data), never one typed
 * into the form; the form's contact is copied.
 */
export async function unitAddressee(app: ApplicationRecord): Promise<UnitAddressee> {
  const unit = await getUnit(app.unitId);
  return { unitName: unit?.name?.zh ?? app.unitId, email: unit?.email ?? app.form.contact.email };
}

/**
 * After a step's once-only write was refused: carry on if this step already recorded it (a retry),
 * stop the workflow as withdrawn if the unit withdrew, and fail loudly otherwise.
 */
export async function continueIfRecorded(applicationId: string, once: string): Promise<ApplicationRecord> {
  const current = await getApplication(applicationId);
  if (current?.status === 'WITHDRAWN') throw new WorkflowSignal('Withdrawn', `Application ${applicationId} was withdrawn`);
  if (!current?.marks?.[once]) throw new Error(`Application ${applicationId} is ${current?.status ?? 'missing'}; step ${once} cannot record`);
  return current;
}

/** SES errors that no retry will change: this address is refused. */
const UNDELIVERABLE = new Set(['MessageRejected', 'InvalidParameterValue']);

/**
 * Sends an email about an application once per key, and logs it on the application (to, template,
 * subject, message id, when) for staff. An address SES refuses does not stop the application: the
 * failure is recorded on it for staff to see, and the workflow goes on. Transient faults
 * (throttling, SES down) are thrown for Step Functions to retry.
 */
export async function notify(applicationId: string, key: string, email: Email, at: string, stage: Stage): Promise<'sent' | 'sent-before' | 'undeliverable'> {
  try {
    const { sent, messageId } = await sendEmailOnceReporting(emailDedupeKey(applicationId, key), email, at);
    // Once per email: a retry after a lost log write heals the log without a second entry.
    await updateApplication(applicationId, {
      email: { to: email.to, ...(email.cc?.length ? { cc: email.cc } : {}), template: email.template, subject: email.subject, messageId, at },
      once: marks.emailLogged(key),
    });
    return sent ? 'sent' : 'sent-before';
  } catch (error) {
    const name = (error as Error).name;
    if (!UNDELIVERABLE.has(name)) throw error;
    await updateApplication(applicationId, {
      entry: { stage, result: 'EMAIL_UNDELIVERABLE', at, detail: { to: email.to, email: key, error: name } },
      once: marks.undeliverable(key),
    });
    return 'undeliverable';
  }
}
