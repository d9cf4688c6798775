/**
 * Typed failures the domain reports. Each code has exactly one HTTP status (functions/lib/http.ts),
 * so a handler never decides a status itself and the API's error contract stays in one table.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'UNIT_BARRED'
  | 'NOT_FOUND'
  | 'UNIT_LIMIT_REACHED'
  | 'TYPE_LIMIT_REACHED'
  | 'ALREADY_DONE'
  | 'NOT_AMENDABLE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'CALL_NOT_OPEN'
  | 'DEADLINE_PASSED'
  | 'LINK_EXPIRED'
  | 'LINK_INVALID'
  | 'NOT_A_MEMBER'
  /** a call-level step asked for before its stage: earlier stages still open, review not over */
  | 'STAGE_NOT_READY'
  /** the expert pool cannot serve every application (each named in the details); nothing assigned */
  | 'POOL_INSUFFICIENT'
  /** no eligible expert for this application (conflicts, caps) */
  | 'NO_ELIGIBLE_EXPERT'
  /** the award is already confirmed: no new proposal */
  | 'AWARD_CONFIRMED'
  /** a draft saved from an older version than the one stored (another device saved meanwhile) */
  | 'DRAFT_CHANGED'
  | 'BUSY';

export interface FieldDetail {
  path: string;
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly FieldDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
