import { DomainError } from '@shared/domain/errors';

/**
 * AWS failures a client should hear as a typed error rather than a 500: a throttled dependency or a
 * transaction conflict that outlasted its retries is a moment (BUSY, retry shortly), and an item
 * that outgrew DynamoDB's 400 KB is the client's data being too large. Everything else stays a bug.
 */
const OVERLOAD_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TransactionConflictException',
]);

function isOverloaded(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  const reasons = (error as { CancellationReasons?: { Code?: string }[] } | null)?.CancellationReasons ?? [];
  return (
    OVERLOAD_ERRORS.has(name) ||
    (name === 'TransactionCanceledException' &&
      reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError'))
  );
}

export function typedAwsError(error: unknown): DomainError | undefined {
  if (isOverloaded(error)) return new DomainError('BUSY', 'The service is busy; retry in a few seconds');
  // The domain bounds every item below DynamoDB's 400 KB; should one still outgrow it, the client
  // hears that its data is too large.
  if ((error as Error | null)?.name === 'ValidationException' && /item size/i.test((error as Error).message)) {
    return new DomainError('VALIDATION_FAILED', 'The application has grown too large to store', [
      { path: '', code: 'TOO_LARGE', message: 'Shorten the longest texts' },
    ]);
  }
  return undefined;
}
