import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimedTask, TaskRecord } from '@shared/domain/tasks/record';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import { OPEN_TASK_SHARDS, taskKey, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';
import { CLOSING_PREFIX, dueSortKey, openTaskIndexQuery } from '@shared/adapters/dynamodb/task-items';

/*
 * The sweep's workers and the open-task index (shared/use-cases/deadline-sweep.ts): which shards have
 * something due, a shard's due tasks a page at a time, and the conditional moves that let only one
 * worker act on a task (a reminder's lease, a redelivery's takeover). The task item itself is
 * task-items.ts's.
 */

/** Where a shard's next page of due tasks starts (DynamoDB's LastEvaluatedKey, opaque to callers). */
export type ShardCursor = Record<string, unknown>;

/**
 * One page of a shard's due tasks, claimed ones first, and where the next page starts: a sweep
 * worker drains its shard page after page. A task it moved on sorts past `dueBy` and is not read again.
 */
export async function listDueTasksInShard(
  shard: number,
  dueBy: Date,
  limit: number,
  after?: ShardCursor,
): Promise<{ tasks: TaskRecord[]; next?: ShardCursor }> {
  const page = await dynamo().send(
    new QueryCommand({ ...openTaskIndexQuery(shard, dueSortKey(dueBy)), Limit: limit, ExclusiveStartKey: after }),
  );
  return { tasks: (page.Items ?? []).map((item) => withoutKeys<TaskRecord>(item)), next: page.LastEvaluatedKey };
}

/**
 * The shards with at least one task due at `dueBy` (claimed ones included): one Query of one key per
 * shard, so a quiet minute starts no worker at all.
 */
export async function shardsWithDueTasks(dueBy: Date): Promise<number[]> {
  const shards = Array.from({ length: OPEN_TASK_SHARDS }, (_, shard) => shard);
  const found = await Promise.all(
    shards.map(async (shard) => {
      const page = await dynamo().send(
        new QueryCommand({ ...openTaskIndexQuery(shard, dueSortKey(dueBy)), ProjectionExpression: 'PK', Limit: 1 }),
      );
      return (page.Items?.length ?? 0) > 0;
    }),
  );
  return shards.filter((shard) => found[shard]);
}

/**
 * Leases an open task that is still due at `dueBy` to one sweep worker: moves it in the index to
 * `until`, under the condition that it still sorts at or before `dueBy`. A second worker that read the
 * same entry (two workers on one shard, or the index read before the first moved it) loses the
 * condition and leaves the task; one that never finishes leaves it due again at `until`.
 */
export async function leaseDueTask(taskId: string, dueBy: Date, until: Date): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET GSI1SK = :lease',
        ConditionExpression: '#state = :open AND GSI1SK <= :due',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':lease': `${until.toISOString()}#${taskId}`,
          ':due': dueSortKey(dueBy),
          ':open': 'OPEN',
        },
      }),
    ),
  );
}

/**
 * Takes over the delivery of a claimed task whose delivery was cut short: restamps its claim, under
 * the condition that it is still the claim `task` holds, so of two sweeps redelivering at once one does.
 */
export async function takeOverDelivery(task: ClaimedTask, at: Date): Promise<ClaimedTask | undefined> {
  const closing = { ...task.closing, claimedAt: at.toISOString() };
  const taken = await conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(task.taskId),
        UpdateExpression: 'SET #closing.#claimedAt = :now, GSI1SK = :sk',
        ConditionExpression: '#state = :closing AND #closing.#claimedAt = :seen',
        ExpressionAttributeNames: { '#state': 'state', '#closing': 'closing', '#claimedAt': 'claimedAt' },
        ExpressionAttributeValues: {
          ':closing': 'CLOSING',
          ':seen': task.closing.claimedAt,
          ':now': closing.claimedAt,
          ':sk': `${CLOSING_PREFIX}${closing.claimedAt}#${task.taskId}`,
        },
      }),
    ),
  );
  return taken ? { ...task, closing } : undefined;
}
