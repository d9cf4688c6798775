/** What recording an award creates: the project's obligations, their reminders, and the email listing them. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import { getProjectType, type Call } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { obligationsEmail } from '@shared/domain/email-texts';
import { emailKeys } from '@shared/domain/ids';
import { obligationsFor, type ObligationRecord } from '@shared/domain/obligations';
import { putObligation } from '@shared/adapters/dynamodb/obligation-items';
import { notify, unitAddressee } from '@shared/use-cases/steps/common';
import { openReminders } from './reminders';

/** RecordAward, for an awarded application: its obligations and their reminders (stored once; a retry finds them). */
export async function createObligations(app: ApplicationRecord, call: Call, at: Date): Promise<ObligationRecord[]> {
  const type = getProjectType(call, app.projectTypeId);
  if (!type) return [];
  const obligations = obligationsFor(call, type, app, toBeijingIso(at));
  for (const o of obligations) {
    await putObligation(o);
    await openReminders(o, at);
  }
  return obligations;
}

/** After the outcome email: one email listing what the project owes, and when. */
export async function emailObligations(
  app: ApplicationRecord,
  call: Call,
  obligations: ObligationRecord[],
  at: Date,
): Promise<void> {
  const unit = await unitAddressee(app);
  await notify(
    app.applicationId,
    emailKeys.obligations,
    obligationsEmail(app, call, unit, obligations),
    toBeijingIso(at),
    'Award',
  );
}
