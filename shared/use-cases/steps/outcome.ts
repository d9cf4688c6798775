import { IN_PROGRESS_STATUSES } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { rejectedEmail } from '@shared/domain/email-texts';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import { load, notify, unitAddressee } from './common';
import { emailKeys } from '@shared/domain/ids';

/** Why an application still short of the rules when the online deadline passed is not accepted. */
export const DEADLINE_REJECTION = {
  zh: '未在网上申报截止时间前按形式审查意见修改完成',
  en: 'not corrected as the formal check required before the online deadline',
} as const;

export async function recordRejection(applicationId: string, reason: { zh: string; en: string }) {
  const { app, call } = await load(applicationId);
  const at = toBeijingIso(now());
  const recorded = await updateApplication(applicationId, {
    set: { status: 'REJECTED', outcome: { result: 'REJECTED', reason: reason.en, at } },
    remove: ['openTaskId'],
    entry: { stage: 'Outcome', result: 'REJECTED', at, detail: reason },
    whenStatusIn: IN_PROGRESS_STATUSES,
  });
  // A retry whose first try recorded the rejection but failed to email still sends it.
  if (!recorded && (await load(applicationId)).app.status !== 'REJECTED') return { rejected: false };
  await notify(
    applicationId,
    emailKeys.rejected,
    rejectedEmail(app, call, await unitAddressee(app), reason),
    at,
    'Outcome',
  );
  return { rejected: true };
}
