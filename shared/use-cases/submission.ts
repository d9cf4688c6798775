import { createHash, randomUUID } from 'node:crypto';
import type { ApplicationForm } from '@shared/domain/application-form';
import type { ApplicationRecord } from '@shared/domain/application-record';
import { getCall, requireCall, type Call, type ProjectType } from '@shared/domain/catalogue';
import { standingFrom, standingRefusal } from '@shared/domain/obligations';
import { standingAfterLift } from '@shared/domain/standing';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import { requireUnit, type Caller } from '@shared/domain/identity';
import {
  createApplication,
  getApplication,
  getIdempotencyClaim,
  type CreateResult,
  type IdempotencyClaim,
} from '@shared/adapters/dynamodb/application-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { listUnitObligations } from '@shared/adapters/dynamodb/obligation-items';
import { requireWindowOpen, validateForm } from '@shared/use-cases/application-access';
import { startOrLeaveToSweep } from '@shared/use-cases/workflow-start';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const IDEMPOTENCY_TTL_SECONDS = 60 * 60 * 24 * 30;

export interface SubmitResult {
  applicationId: string;
  status: string;
  replayed: boolean;
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
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify([callId, canonical(form)]))
    .digest('hex');
}

async function replay(unitId: string, key: string, hash: string): Promise<SubmitResult | undefined> {
  const claim = await getIdempotencyClaim(unitId, key);
  if (!claim) return undefined;
  if (claim.requestHash !== hash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', [
      {
        path: 'headers.Idempotency-Key',
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'Use a new key for a new application',
      },
    ]);
  }
  // The first attempt may have stored the application but failed to start its workflow; a retry heals it.
  const existing = await getApplication(claim.response.applicationId);
  if (existing && !existing.executionArn) await startOrLeaveToSweep(existing.applicationId);
  return { ...claim.response, replayed: true };
}

/**
 * Notice rule 二(四), computed: a unit whose summary report of the previous call was not handed in,
 * or whose targets were found not met, may not apply, with the reason naming the project; so may
 * one the department's assumptions in the previous call's data bar (a summary late, or returned and
 * not handed in again), each reason saying whose rule it is. Staff may lift it
 * (PUT /units/{unitId}/standing with barred false and a reason): the lift covers what barred the
 * unit when it was given, and the reasons named are those it does not cover.
 */
async function requireStandingFromPreviousCall(unitId: string, call: Call, at: Date): Promise<void> {
  if (!call.previousCallId) return;
  const previous = await listUnitObligations(unitId, call.previousCallId);
  const assumptions = getCall(call.previousCallId)?.standingAssumptions;
  const computed = standingFrom(previous, at, assumptions);
  if (!computed.barred) return;
  const verdict = standingAfterLift(computed, previous, (await getUnit(unitId))?.standingLog?.at(-1), assumptions);
  if (!verdict.barred) return;
  const refusal = standingRefusal(verdict.breaches);
  throw new DomainError(
    'UNIT_BARRED',
    `This unit may not apply to ${call.callId}: ${refusal.zh} / ${refusal.en}`,
    refusal.details,
  );
}

export async function submit(
  callId: string,
  caller: Caller,
  body: unknown,
  idempotencyKey?: string,
): Promise<SubmitResult> {
  const unit = requireUnit(caller);
  const call = requireCall(callId);
  requireValidIdempotencyKey(idempotencyKey);
  const { value: form, type } = validateForm(call, body);
  const hash = requestHash(callId, form);
  // A retry of a request that was accepted gets its first answer, even after the deadline.
  if (idempotencyKey) {
    const replayed = await replay(unit.unitId, idempotencyKey, hash);
    if (replayed) return replayed;
  }
  requireWindowOpen(call, 'submit');

  const at = now();
  await requireStandingFromPreviousCall(unit.unitId, call, at);
  const record = newApplication(callId, unit.unitId, type, form, at);
  const response = { applicationId: record.applicationId, status: record.status };
  const outcome = await createApplication(
    record,
    { perUnit: call.maxApplicationsPerUnit, perType: type.perUnitLimit },
    at,
    idempotencyKey ? idempotencyClaim(idempotencyKey, hash, response, at) : undefined,
  );
  if (outcome.kind === 'idempotent-replay') {
    // Another copy of this very request committed first.
    const replayed = await replay(unit.unitId, idempotencyKey as string, hash);
    if (replayed) return replayed;
    throw new Error('Idempotency claim vanished between commit and read');
  }
  if (outcome.kind !== 'created') await refuse(outcome.kind, unit.unitId, call, type);
  await startOrLeaveToSweep(record.applicationId);
  return { ...response, replayed: false };
}

function requireValidIdempotencyKey(idempotencyKey: string | undefined): void {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid Idempotency-Key header', [
      { path: 'headers.Idempotency-Key', code: 'INVALID_VALUE', message: '1–128 characters of A–Z, a–z, 0–9, . _ : -' },
    ]);
  }
}

function newApplication(
  callId: string,
  unitId: string,
  type: ProjectType,
  form: ApplicationForm,
  at: Date,
): ApplicationRecord {
  return {
    applicationId: randomUUID(),
    callId,
    unitId,
    projectTypeId: type.typeId,
    form,
    status: 'SUBMITTED',
    history: [{ stage: 'Submission', result: 'SUBMITTED', at: toBeijingIso(at) }],
    marks: {},
    version: 1,
    createdAt: toBeijingIso(at),
    updatedAt: toBeijingIso(at),
  };
}

/** Stored with the application, so a retry of this request gets the same answer (for 30 days). */
function idempotencyClaim(
  key: string,
  hash: string,
  response: IdempotencyClaim['response'],
  at: Date,
): IdempotencyClaim {
  return {
    key,
    requestHash: hash,
    response,
    expiresAt: Math.floor(at.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}

/** Why the transaction refused the application: not a member, barred, or over a limit. */
async function refuse(
  kind: Exclude<CreateResult['kind'], 'created' | 'idempotent-replay'>,
  unitId: string,
  call: Call,
  type: ProjectType,
): Promise<never> {
  switch (kind) {
    case 'barred': {
      const profile = await getUnit(unitId);
      if (!profile?.email)
        throw new DomainError(
          'NOT_A_MEMBER',
          `${unitId} is not a member unit of the association: only member societies (团体会员) may apply; staff register units`,
        );
      throw new DomainError(
        'UNIT_BARRED',
        `This unit may not apply this year${profile?.barredReason ? `: ${profile.barredReason}` : ''} (notice, rule 4: last year's targets unmet or summary report not filed)`,
      );
    }
    case 'unit-limit':
      throw new DomainError(
        'UNIT_LIMIT_REACHED',
        `A unit may submit at most ${call.maxApplicationsPerUnit} applications in this call`,
      );
    case 'type-limit':
      throw new DomainError(
        'TYPE_LIMIT_REACHED',
        `A unit may submit at most ${type.perUnitLimit} application(s) of type "${type.name.en}"`,
      );
  }
}
