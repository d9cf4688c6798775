import { createHash, randomUUID } from 'node:crypto';
import { validateApplication, type ApplicationForm } from '@shared/domain/application-form';
import {
  AMENDABLE_STATUSES,
  OPEN_STATUSES,
  publicView,
  type ApplicationRecord,
} from '@shared/domain/application-record';
import { getCall, submissionOpen, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound, type FieldDetail } from '@shared/domain/errors';
import type { Caller } from '@shared/domain/identity';
import { requireUnit } from '@shared/domain/identity';
import { logger } from '@shared/adapters/logger';
import {
  createApplication,
  getApplication,
  getIdempotencyClaim,
  listUnitApplications,
  updateApplication,
  updateApplicationClaimingTask,
  withdrawApplication,
} from '@shared/adapters/dynamodb/application-items';
import { claimTask, claimTaskUpdate, getTask, type TaskClosing } from '@shared/adapters/dynamodb/task-items';
import { deliverTask } from '@shared/use-cases/task-answers';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { ensureWorkflowStarted } from '@shared/adapters/workflow-engine';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const IDEMPOTENCY_TTL_SECONDS = 60 * 60 * 24 * 30;
/** Application ids are UUIDs; anything else cannot exist, and must not reach a DynamoDB key. */
const APPLICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Every field has its own limit, but together they could exceed DynamoDB's 400 KB item, which also
 * holds the formal check's reasons (up to ~50 KB) and the stage history: a whole form is capped well
 * below it.
 */
const MAX_FORM_BYTES = 250_000;
/** Each amendment adds to the stage history; a bound keeps the item within DynamoDB's limit. */
const MAX_VERSIONS = 20;

export interface SubmitResult {
  applicationId: string;
  status: string;
  replayed: boolean;
}

function requireCall(callId: string): Call {
  const call = getCall(callId);
  if (!call) throw notFound(`Call ${callId}`);
  return call;
}

const deadlinePassed = (call: Call, action: string) =>
  new DomainError('DEADLINE_PASSED', `The online deadline (${call.submissionDeadline}, Beijing time) has passed: cannot ${action}`);

function requireWindowOpen(call: Call, action: string): void {
  const window = submissionOpen(call, now());
  if (window === 'not-open') throw new DomainError('CALL_NOT_OPEN', `The call opens at ${call.opensAt}`);
  if (window === 'closed') throw deadlinePassed(call, action);
}

function validateForm(call: Call, body: unknown) {
  const result = validateApplication(call, body);
  if (!result.ok) {
    throw new DomainError('VALIDATION_FAILED', `The application has ${result.issues.length} invalid field(s)`, result.issues);
  }
  const bytes = Buffer.byteLength(JSON.stringify(result.value), 'utf8');
  if (bytes > MAX_FORM_BYTES) {
    throw new DomainError('VALIDATION_FAILED', 'The application is too large', [
      { path: '', code: 'TOO_LARGE', message: `The whole form may take at most ${MAX_FORM_BYTES} bytes as JSON (given ${bytes}); shorten the longest texts` },
    ]);
  }
  return result;
}

/**
 * Stable across key order, so a retried request whose JSON was re-serialised still matches. Taken
 * of the validated form, whose depth the schema bounds, never of the raw body.
 */
function requestHash(callId: string, form: ApplicationForm): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
        : value;
  return createHash('sha256').update(JSON.stringify([callId, canonical(form)])).digest('hex');
}

async function replay(unitId: string, key: string, hash: string): Promise<SubmitResult | undefined> {
  const claim = await getIdempotencyClaim(unitId, key);
  if (!claim) return undefined;
  if (claim.requestHash !== hash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', [
      { path: 'headers.Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED', message: 'Use a new key for a new application' },
    ]);
  }
  // The first attempt may have stored the application but failed to start its workflow; a retry heals it.
  const existing = await getApplication(claim.response.applicationId);
  if (existing && !existing.executionArn) await startOrLeaveToSweep(existing.applicationId);
  return { ...claim.response, replayed: true };
}

/**
 * The application is already stored with a pending-start marker, so a failed start loses nothing:
 * the sweep, or a retry with the same Idempotency-Key, starts the workflow. The unit's answer does
 * not depend on it.
 */
async function startOrLeaveToSweep(applicationId: string): Promise<void> {
  try {
    await ensureWorkflowStarted(applicationId);
  } catch (error) {
    logger.error('workflow start failed; the sweep will start it', { applicationId, error: error as Error });
  }
}

export async function submit(callId: string, caller: Caller, body: unknown, idempotencyKey?: string): Promise<SubmitResult> {
  const unit = requireUnit(caller);
  const call = requireCall(callId);
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid Idempotency-Key header', [
      { path: 'headers.Idempotency-Key', code: 'INVALID_VALUE', message: '1–128 characters of A–Z, a–z, 0–9, . _ : -' },
    ]);
  }
  const { value: form, type } = validateForm(call, body);
  const hash = requestHash(callId, form);
  // A retry of a request that was accepted gets its first answer, even after the deadline.
  if (idempotencyKey) {
    const replayed = await replay(unit.unitId, idempotencyKey, hash);
    if (replayed) return replayed;
  }
  requireWindowOpen(call, 'submit');

  const at = now();
  const record: ApplicationRecord = {
    applicationId: randomUUID(),
    callId,
    unitId: unit.unitId,
    projectTypeId: type.typeId,
    form,
    status: 'SUBMITTED',
    history: [{ stage: 'Submission', result: 'SUBMITTED', at: toBeijingIso(at) }],
    marks: {},
    version: 1,
    createdAt: toBeijingIso(at),
    updatedAt: toBeijingIso(at),
  };
  const response = { applicationId: record.applicationId, status: record.status };
  const outcome = await createApplication(
    record,
    { perUnit: call.maxApplicationsPerUnit, perType: type.perUnitLimit },
    at,
    idempotencyKey
      ? { key: idempotencyKey, requestHash: hash, response, expiresAt: Math.floor(at.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS }
      : undefined,
  );
  switch (outcome.kind) {
    case 'created':
      break;
    case 'idempotent-replay': {
      // Another copy of this very request committed first.
      const replayed = await replay(unit.unitId, idempotencyKey as string, hash);
      if (replayed) return replayed;
      throw new Error('Idempotency claim vanished between commit and read');
    }
    case 'barred': {
      const profile = await getUnit(unit.unitId);
      throw new DomainError(
        'UNIT_BARRED',
        `This unit may not apply this year${profile?.barredReason ? `: ${profile.barredReason}` : ''} (notice, rule 4: last year's targets unmet or summary report not filed)`,
      );
    }
    case 'unit-limit':
      throw new DomainError('UNIT_LIMIT_REACHED', `A unit may submit at most ${call.maxApplicationsPerUnit} applications in this call`);
    case 'type-limit':
      throw new DomainError('TYPE_LIMIT_REACHED', `A unit may submit at most ${type.perUnitLimit} application(s) of type "${type.name.en}"`);
  }
  await startOrLeaveToSweep(record.applicationId);
  return { ...response, replayed: false };
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

export async function view(applicationId: string, caller: Caller) {
  return publicView(await readApplication(applicationId, caller), caller.kind === 'staff');
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

async function ownApplication(applicationId: string, caller: Caller): Promise<ApplicationRecord> {
  const unit = requireUnit(caller);
  const record = APPLICATION_ID.test(applicationId) ? await getApplication(applicationId) : undefined;
  if (!record || record.unitId !== unit.unitId) throw notFound(`Application ${applicationId}`);
  return record;
}

export async function amend(applicationId: string, caller: Caller, body: unknown, attempt = 0): ReturnType<typeof view> {
  const record = await ownApplication(applicationId, caller);
  const call = requireCall(record.callId);
  requireWindowOpen(call, 'amend');
  if (!AMENDABLE_STATUSES.includes(record.status)) {
    throw new DomainError('NOT_AMENDABLE', `An application in status ${record.status} cannot be amended`);
  }
  if (record.version >= MAX_VERSIONS) {
    throw new DomainError('NOT_AMENDABLE', `An application can be amended at most ${MAX_VERSIONS - 1} times; withdraw it and submit anew`);
  }
  const form = validateForm(call, body).value;
  if (form.projectTypeId !== record.projectTypeId) {
    const detail: FieldDetail = {
      path: 'projectTypeId',
      code: 'TYPE_CHANGE_NOT_ALLOWED',
      message: `The project type is ${record.projectTypeId}; withdraw and submit anew to change it`,
    };
    throw new DomainError('VALIDATION_FAILED', 'The project type cannot be changed', [detail]);
  }
  const at = now();
  const update = {
    set: { form },
    entry: { stage: 'Amendment' as const, result: 'AMENDED', at: toBeijingIso(at) },
    whenStatusIn: AMENDABLE_STATUSES,
    whenUnit: record.unitId,
    whenVersion: record.version,
    bumpVersion: true,
  };
  const changedMeanwhile = () => new DomainError('NOT_AMENDABLE', 'The application changed while being amended; read it and try again');
  const task = record.status === 'RETURNED_FOR_CORRECTION' && record.openTaskId ? await getTask(record.openTaskId) : undefined;
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

  // A returned application is waiting for this amendment: the new form and the answer to its task
  // are stored together, so the deadline sweep either takes the task first (410) or not at all.
  const closing: TaskClosing = {
    outcome: 'DONE',
    signal: { kind: 'success', output: { amended: true, version: record.version + 1 } },
    claimedAt: at.toISOString(),
  };
  const outcome = await updateApplicationClaimingTask(applicationId, update, claimTaskUpdate(task.taskId, closing));
  if (outcome === 'application-changed') throw changedMeanwhile();
  if (outcome === 'task-closed') {
    // Another amendment answered the task a moment ago: take this one as a plain amendment.
    const claimed = await getTask(task.taskId);
    if (claimed?.closing?.outcome !== 'DONE') throw deadlinePassed(call, 'amend');
    if (!(await updateApplication(applicationId, { ...update, whenOpenTask: task.taskId }))) throw changedMeanwhile();
    return view(applicationId, caller);
  }
  await deliverOrLeaveToSweep({ ...task, closing }, at);
  return view(applicationId, caller);
}

/** The answer is stored with its task; if telling Step Functions fails now, the sweep delivers it. */
async function deliverOrLeaveToSweep(task: Parameters<typeof deliverTask>[0], at: Date): Promise<void> {
  try {
    await deliverTask(task, at);
  } catch (error) {
    logger.error('task answer not delivered; the sweep will deliver it', { taskId: task.taskId, error: error as Error });
  }
}

export async function withdraw(applicationId: string, caller: Caller) {
  const record = await ownApplication(applicationId, caller);
  const call = requireCall(record.callId);
  if (record.status === 'WITHDRAWN') throw new DomainError('ALREADY_DONE', 'The application is already withdrawn');
  requireWindowOpen(call, 'withdraw');
  if (!OPEN_STATUSES.includes(record.status)) {
    throw new DomainError('ALREADY_DONE', `An application in status ${record.status} can no longer be withdrawn`);
  }
  const at = now();
  const done = await withdrawApplication(record, OPEN_STATUSES, { stage: 'Withdrawal', result: 'WITHDRAWN', at: toBeijingIso(at) });
  if (!done) throw new DomainError('ALREADY_DONE', 'The application was withdrawn or closed meanwhile');

  // Stop the workflow where it waits, so it ends as withdrawn instead of waiting for the deadline.
  // The task it read, or the one a return parking at this moment opens (task ids are derived).
  const task = await getTask(record.openTaskId ?? `${applicationId}-amend-v${record.version}`);
  const closing: TaskClosing = {
    outcome: 'CANCELLED',
    signal: { kind: 'failure', error: 'Withdrawn', cause: 'The unit withdrew the application' },
    claimedAt: at.toISOString(),
  };
  if (task && (await claimTask(task.taskId, closing))) await deliverOrLeaveToSweep({ ...task, closing }, at);
  return view(applicationId, caller);
}
