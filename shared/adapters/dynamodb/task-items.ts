import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import { GSI1, OPEN_TASKS, openTaskIndex, taskKey, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import type { ClaimedTask, TaskClosing, TaskRecord } from '@shared/domain/task';

export type { TaskClosing, TaskRecord } from '@shared/domain/task';

/** Claimed tasks sort before every due date, so each sweep sees them until they are delivered. */
const CLOSING_PREFIX = '!CLOSING#';

/**
 * Opens a task. Its id is derived from what it waits for, so a retried workflow step replaces the
 * token of the task it opened before (that token is dead) instead of opening a second task.
 */
export async function putTask(task: TaskRecord): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...taskKey(task.taskId), ...openTaskIndex(task.dueAt, task.taskId), ...task },
        ConditionExpression: 'attribute_not_exists(PK) OR #state = :open',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
      }),
    ),
  );
}

export async function getTask(taskId: string): Promise<TaskRecord | undefined> {
  const result = await dynamo().send(new GetCommand({ TableName: table(), Key: taskKey(taskId), ConsistentRead: true }));
  return result.Item ? withoutKeys<TaskRecord>(result.Item) : undefined;
}

/** The conditional update that claims an open task, for use alone or inside a transaction (adapters only). */
export function claimTaskUpdate(taskId: string, closing: TaskClosing) {
  return {
    TableName: table(),
    Key: taskKey(taskId),
    UpdateExpression: 'SET #state = :closing, #closingInfo = :info, GSI1SK = :sk',
    ConditionExpression: '#state = :open',
    ExpressionAttributeNames: { '#state': 'state', '#closingInfo': 'closing' },
    ExpressionAttributeValues: { ':closing': 'CLOSING', ':open': 'OPEN', ':info': closing, ':sk': `${CLOSING_PREFIX}${closing.claimedAt}#${taskId}` },
  };
}

/** Claims an open task for one answer; false when someone else (an answer, the sweep) got it first. */
export async function claimTask(taskId: string, closing: TaskClosing): Promise<boolean> {
  return conditionalWrite(() => dynamo().send(new UpdateCommand(claimTaskUpdate(taskId, closing))));
}

/** Withdraws an open task nobody will answer (its workflow step gave up on it); false if it was not open. */
export async function cancelOpenTask(taskId: string, at: string): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #state = :cancelled, #closedAt = :at REMOVE GSI1PK, GSI1SK',
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':at': at, ':open': 'OPEN' },
      }),
    ),
  );
}

/** Marks a claimed task's answer delivered and takes it out of the sweep's index. */
export async function finishTask(task: ClaimedTask, at: string): Promise<void> {
  // Finished already by a concurrent delivery (the condition fails): nothing left to do.
  await conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(task.taskId),
        UpdateExpression: 'SET #state = :outcome, #closedAt = :at REMOVE GSI1PK, GSI1SK',
        ConditionExpression: '#state = :closing',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':outcome': task.closing.outcome, ':at': at, ':closing': 'CLOSING' },
      }),
    ),
  );
}

/**
 * Tasks the sweep must act on: claimed ones whose delivery is not confirmed, then open ones due at
 * or before `dueBy` (a Query on the sparse index, never a Scan).
 */
export async function listDueTasks(dueBy: Date, limit = 100): Promise<TaskRecord[]> {
  const result = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :open AND GSI1SK <= :due',
      ExpressionAttributeValues: { ':open': OPEN_TASKS, ':due': `${dueBy.toISOString()}#\uffff` },
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => withoutKeys<TaskRecord>(item));
}
