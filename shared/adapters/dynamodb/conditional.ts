import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';

/**
 * The two ways a DynamoDB write can lose without anything being written, handled once:
 * - its condition did not hold (someone else got there first): the caller hears `false`;
 * - a transaction on the same item was in progress (TransactionConflict): retried with jitter, a few
 *   seconds at most, well inside the API's 29 s, until the conditions themselves answer.
 */

/** A transaction conflict is retried this many times before it is reported (as BUSY to a client). */
const MAX_CONFLICT_RETRIES = 30;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => pause(Math.random() * Math.min(400, 10 * 2 ** Math.min(attempt, 6)));

export const isConditionFailed = (error: unknown) =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** Whether a cancelled transaction's item `index` failed its condition. */
export const transactionItemFailed = (error: TransactionCanceledException, index: number) =>
  (error.CancellationReasons as CancellationReason[] | undefined)?.[index]?.Code === 'ConditionalCheckFailed';

export const isTransactionConflict = (error: unknown) =>
  (error as Error | undefined)?.name === 'TransactionConflictException' ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict'));

/** Runs a write, retrying transaction conflicts; other errors are thrown. */
export async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await backoff(attempt);
    }
  }
}

/** A conditional write: true when it was written, false when its condition did not hold. */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await retryingConflicts(write);
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** A transaction, its conflicts retried; a condition that fails throws TransactionCanceledException. */
export async function transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<void> {
  await retryingConflicts(() => dynamo().send(new TransactWriteCommand({ TransactItems: items })));
}

export { TransactionCanceledException };
