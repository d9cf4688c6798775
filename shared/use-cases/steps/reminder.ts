import { toBeijingIso } from '@shared/domain/clock';
import { getCall } from '@shared/domain/catalogue';
import { correctionReminderEmail } from '@shared/domain/email-texts';
import { emailKeys } from '@shared/domain/ids';
import { getApplication } from '@shared/adapters/dynamodb/application-items';
import { notify, unitAddressee } from './common';

/**
 * Reminds a unit that its returned application is still uncorrected as the deadline nears. Sent
 * once per reminder tier and form version; nothing is sent once the application has moved on.
 */
export async function sendCorrectionReminder(
  applicationId: string,
  hoursBefore: number,
  deadline: Date,
  at: Date,
): Promise<boolean> {
  const app = await getApplication(applicationId);
  const call = app && getCall(app.callId);
  if (!app || !call || app.status !== 'RETURNED_FOR_CORRECTION') return false;
  const staffReasons = app.staffReturn?.version === app.version ? app.staffReturn.reasons : undefined;
  const sent = await notify(
    applicationId,
    emailKeys.correctionReminder(hoursBefore, app.version),
    correctionReminderEmail(app, call, await unitAddressee(app), deadline, staffReasons),
    toBeijingIso(at),
    'Correction',
  );
  return sent === 'sent';
}
