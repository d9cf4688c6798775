import type { ApplicationForm } from '@shared/domain/application-form';
import type { FormalCheckReason } from '@shared/domain/formal-check';

/** Where an application stands. The workflow moves it forward; the unit may withdraw it while open. */
export type ApplicationStatus =
  | 'SUBMITTED'
  | 'RETURNED_FOR_CORRECTION'
  | 'FORMAL_CHECK_PASSED'
  | 'REJECTED'
  | 'WITHDRAWN';

/** Statuses a unit may still amend or withdraw from (before the online deadline). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'RETURNED_FOR_CORRECTION', 'FORMAL_CHECK_PASSED'];
/** Statuses of an application still in (or waiting to re-enter) the formal check: the unit may amend it. */
export const AMENDABLE_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'RETURNED_FOR_CORRECTION'];

export type Stage = 'Submission' | 'Receipt' | 'FormalCheck' | 'Correction' | 'Amendment' | 'Outcome' | 'Withdrawal' | 'Workflow';

export interface StageEntry {
  stage: Stage;
  result: string;
  at: string; // Beijing time, ISO-8601
  detail?: unknown;
}

export interface ApplicationRecord {
  applicationId: string;
  callId: string;
  unitId: string;
  projectTypeId: string;
  form: ApplicationForm;
  status: ApplicationStatus;
  history: StageEntry[];
  formalCheck?: { passed: boolean; reasons: FormalCheckReason[]; checkedAt: string };
  outcome?: { result: string; reason?: string; at: string };
  failure?: { stage: string; error: string; cause?: string; at: string };
  openTaskId?: string;
  executionArn?: string;
  /** Steps recorded once (see RecordUpdate.once), by key, with when. */
  marks: Record<string, string>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * What the API shows: everything but storage keys and bookkeeping; the execution's ARN (which names
 * the AWS account) only to staff.
 */
export function publicView(record: ApplicationRecord, forStaff: boolean) {
  return {
    applicationId: record.applicationId,
    callId: record.callId,
    unitId: record.unitId,
    projectTypeId: record.projectTypeId,
    status: record.status,
    formalCheck: record.formalCheck,
    outcome: record.outcome,
    history: record.history,
    form: record.form,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(forStaff ? { executionArn: record.executionArn, failure: record.failure } : {}),
  };
}

/** How many times the application's workflow has failed (each failure is recorded once in its history). */
export function workflowFailures(record: ApplicationRecord): number {
  return record.history.filter((entry) => entry.stage === 'Workflow' && entry.result === 'FAILED').length;
}
