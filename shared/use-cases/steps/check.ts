import { AMENDABLE_STATUSES } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { formalCheckPassedEmail } from '@shared/domain/email-texts';
import { formalCheck } from '@shared/domain/formal-check';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import { continueIfRecorded, load, notify, unitAddressee } from './common';
import { emailKeys, marks } from '@shared/domain/ids';

/** How often the check starts over because the unit amended the form while it was being checked. */
const MAX_RECHECKS = 5;

/**
 * The automatic formal check. Its verdict is written only for the version of the form it read, so
 * an amendment landing mid-check makes it check again rather than pass a form it never saw.
 */
export async function runFormalCheck(applicationId: string) {
  for (let attempt = 0; attempt < MAX_RECHECKS; attempt++) {
    const { app, call } = await load(applicationId);
    const result = formalCheck(call, app.form);
    const at = toBeijingIso(now());
    const once = marks.formalCheck(app.version);
    const recorded = await updateApplication(applicationId, {
      set: {
        formalCheck: { ...result, checkedAt: at },
        ...(result.passed ? { status: 'FORMAL_CHECK_PASSED' as const } : {}),
      },
      entry: {
        stage: 'FormalCheck',
        result: result.passed ? 'PASSED' : 'FAILED',
        at,
        detail: { reasons: result.reasons.length, version: app.version },
      },
      whenStatusIn: AMENDABLE_STATUSES,
      whenVersion: app.version,
      once,
    });
    if (!recorded) {
      const { app: current } = await load(applicationId);
      if (current.version !== app.version) continue; // amended meanwhile: check the new form
      await continueIfRecorded(applicationId, once);
    }
    if (result.passed)
      await notify(
        applicationId,
        emailKeys.formalCheckPassed,
        formalCheckPassedEmail(app, call, await unitAddressee(app)),
        at,
        'FormalCheck',
      );
    return { passed: result.passed, reasons: result.reasons.length, version: app.version };
  }
  throw new Error(`Application ${applicationId} kept changing during the formal check`);
}
