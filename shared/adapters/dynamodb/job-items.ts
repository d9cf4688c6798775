import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_JOB_ERRORS, type JobError, type JobRecord, type JobState } from '@shared/domain/jobs';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import { jobKey, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';

/**
 * A call-level job's item (keys.ts, jobKey). Every write here is idempotent or conditional: a batch
 * run twice (the sweep runs again what was cut short) adds its index to a set once, replaces its
 * own error, and a job ends once.
 */

/** Stores a new job; false when one with its id exists (a start run again finds it). */
export async function createJob(job: JobRecord): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...jobKey(job.jobId), ...job, errors: job.errors ?? {} },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

export async function getJob(jobId: string): Promise<JobRecord | undefined> {
  const result = await dynamo().send(new GetCommand({ TableName: table(), Key: jobKey(jobId), ConsistentRead: true }));
  return result.Item ? withoutKeys<JobRecord>(result.Item) : undefined;
}

/** Counts batch `index` done (once however often it runs) and answers the job as it now is. */
export async function recordBatchDone(jobId: string, index: number, at: string): Promise<JobRecord | undefined> {
  const result = await dynamo()
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: jobKey(jobId),
        UpdateExpression: 'ADD #done :index SET #updatedAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#done': 'batchesDone', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':index': new Set([index]), ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    )
    .catch((error: Error) => {
      // A batch queued before jobs were recorded has no job to count in.
      if (error.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    });
  return result?.Attributes ? withoutKeys<JobRecord>(result.Attributes) : undefined;
}

/** Sets fields of a running job (its progress, the proposal's version); false when it is no longer running. */
export async function updateRunningJob(jobId: string, set: Partial<JobRecord>): Promise<boolean> {
  const entries = Object.entries(set);
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: jobKey(jobId),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ConditionExpression: '#state = :running',
        ExpressionAttributeNames: {
          '#state': 'state',
          ...Object.fromEntries(entries.map(([field], i) => [`#f${i}`, field])),
        },
        ExpressionAttributeValues: {
          ':running': 'RUNNING',
          ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
        },
      }),
    ),
  );
}

/**
 * Records what failed, under its item's key (the same item failing again replaces its entry), while
 * the job keeps fewer than MAX_JOB_ERRORS; past that, the failure is in the logs only.
 */
export async function recordJobError(jobId: string, key: string, error: JobError, at: string): Promise<void> {
  await conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: jobKey(jobId),
        UpdateExpression: 'SET #errors.#key = :error, #updatedAt = :at',
        ConditionExpression: 'attribute_exists(#errors) AND (size(#errors) < :max OR attribute_exists(#errors.#key))',
        ExpressionAttributeNames: { '#errors': 'errors', '#key': key, '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':error': error, ':at': at, ':max': MAX_JOB_ERRORS },
      }),
    ),
  );
}

/** Ends a running job, once: true when this call ended it. */
export async function finishJob(
  jobId: string,
  state: Exclude<JobState, 'RUNNING'>,
  at: string,
  result?: Record<string, unknown>,
): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: jobKey(jobId),
        UpdateExpression: `SET #state = :state, #finishedAt = :at, #updatedAt = :at${result ? ', #result = :result' : ''}`,
        ConditionExpression: '#state = :running',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#finishedAt': 'finishedAt',
          '#updatedAt': 'updatedAt',
          ...(result ? { '#result': 'result' } : {}),
        },
        ExpressionAttributeValues: {
          ':state': state,
          ':at': at,
          ':running': 'RUNNING',
          ...(result ? { ':result': result } : {}),
        },
      }),
    ),
  );
}
