import { validateApplication } from '@shared/domain/application-form';
import { publicView, type ApplicationRecord } from '@shared/domain/application-record';
import { requireCall, submissionOpen, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound } from '@shared/domain/errors';
import { requireUnit, type Caller } from '@shared/domain/identity';
import { getApplication, listUnitApplications } from '@shared/adapters/dynamodb/application-items';
import { applicationMailLog } from '@shared/adapters/dynamodb/email-items';

/**
 * What every request about an application checks first: the call exists and its window is open,
 * the form is valid and small enough to store, and the caller may see the application.
 */

/** Application ids are UUIDs; anything else cannot exist, and must not reach a DynamoDB key. */
const APPLICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Every field has its own limit, but together they could exceed DynamoDB's 400 KB item, which also
 * holds the formal check's reasons (up to ~50 KB) and the stage history: a whole form is capped well
 * below it.
 */
const MAX_FORM_BYTES = 250_000;

export const deadlinePassed = (call: Call, action: string) =>
  new DomainError(
    'DEADLINE_PASSED',
    `The online deadline (${call.submissionDeadline}, Beijing time) has passed: cannot ${action}`,
  );

/**
 * An application staff returned may be corrected until the date they set, even after the online
 * deadline; any other only while the call is open.
 */
export function requireAmendmentWindow(record: ApplicationRecord, call: Call): void {
  const staffReturn =
    record.status === 'RETURNED_FOR_CORRECTION' && record.staffReturn?.version === record.version
      ? record.staffReturn
      : undefined;
  if (!staffReturn) return requireWindowOpen(call, 'amend');
  if (now().getTime() > Date.parse(staffReturn.correctionDueAt)) {
    throw new DomainError(
      'DEADLINE_PASSED',
      `The correction deadline staff set (${toBeijingIso(new Date(staffReturn.correctionDueAt))}, Beijing time) has passed: cannot amend`,
    );
  }
}

export function requireWindowOpen(call: Call, action: string): void {
  const window = submissionOpen(call, now());
  if (window === 'not-open') throw new DomainError('CALL_NOT_OPEN', `The call opens at ${call.opensAt}`);
  if (window === 'closed') throw deadlinePassed(call, action);
}

export function validateForm(call: Call, body: unknown) {
  const result = validateApplication(call, body);
  if (!result.ok) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The application has ${result.issues.length} invalid field(s)`,
      result.issues,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(result.value), 'utf8');
  if (bytes > MAX_FORM_BYTES) {
    throw new DomainError('VALIDATION_FAILED', 'The application is too large', [
      {
        path: '',
        code: 'TOO_LARGE',
        message: `The whole form may take at most ${MAX_FORM_BYTES} bytes as JSON (given ${bytes}); shorten the longest texts`,
      },
    ]);
  }
  return result;
}

/** Reads an application as its unit or staff see it. Another unit gets 404, so ids cannot be probed. */
export async function readApplication(applicationId: string, caller: Caller): Promise<ApplicationRecord> {
  const record = APPLICATION_ID.test(applicationId) ? await getApplication(applicationId) : undefined;
  const visible = record && (caller.kind === 'staff' || (caller.kind === 'unit' && caller.unitId === record.unitId));
  if (!record || !visible) {
    if (caller.kind === 'anonymous') throw new DomainError('UNAUTHENTICATED', 'Sign in to read an application');
    throw notFound(`Application ${applicationId}`);
  }
  return record;
}

/**
 * An application as the API shows it. Its emails and their bounces are kept apart from its item (so
 * that it does not grow with every reminder) and read with it: the unit sees the bounces in its
 * history too, never the emails.
 */
export async function view(applicationId: string, caller: Caller) {
  return viewOf(await readApplication(applicationId, caller), caller);
}

/** `view` of a record already read (GET /applications/{id} adds staff's open tasks to it: open-tasks.ts). */
export async function viewOf(record: ApplicationRecord, caller: Caller) {
  return publicView(record, caller.kind === 'staff', await applicationMailLog(record.applicationId));
}

export async function listMine(caller: Caller, callId?: string) {
  const unit = requireUnit(caller);
  if (callId !== undefined) requireCall(callId);
  const records = await listUnitApplications(unit.unitId, callId);
  return records.map((record) => {
    const { form, history: _history, ...summary } = publicView(record, false);
    return { ...summary, title: form.title };
  });
}

/** The caller's own application; another unit's is 404, so ids cannot be probed. */
export async function ownApplication(applicationId: string, caller: Caller): Promise<ApplicationRecord> {
  const unit = requireUnit(caller);
  const record = APPLICATION_ID.test(applicationId) ? await getApplication(applicationId) : undefined;
  if (!record || record.unitId !== unit.unitId) throw notFound(`Application ${applicationId}`);
  return record;
}
