import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimedTask, TaskAnswer, TaskClosing, TaskRecord } from '@shared/domain/tasks/record';
import { firstActionAt } from '@shared/domain/tasks/schedule';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import {
  assigneePartition,
  assigneeTaskIndex,
  GSI1,
  GSI2,
  OPEN_TASK_SHARDS,
  openTaskIndex,
  openTaskPartition,
  taskKey,
  withoutKeys,
} from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';

export type { TaskClosing, TaskRecord } from '@shared/domain/tasks/record';

/** Claimed tasks sort before every due date, so each sweep sees them until they are delivered. */
export const CLOSING_PREFIX = '!CLOSING#';
/** The index's sort keys of the tasks due at or before an instant (a next action's instant, then the task id). */
export const dueSortKey = (dueBy: Date) => `${dueBy.toISOString()}#\uffff`;

const indexesOf = (task: TaskRecord) => ({
  ...openTaskIndex(firstActionAt(task, new Date(task.createdAt)).toISOString(), task.taskId),
  ...(task.assignee ? assigneeTaskIndex(task.assignee.email, task.dueAt, task.taskId) : {}),
});

/**
 * Opens a task. Its id is derived from what it waits for, so a retried workflow step replaces the
 * token of the task it opened before (that token is dead) instead of opening a second task.
 * False when the task is already answered, expired or cancelled.
 */
export async function putTask(task: TaskRecord): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...taskKey(task.taskId), ...indexesOf(task), ...task },
        ConditionExpression: 'attribute_not_exists(PK) OR #state = :open',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
      }),
    ),
  );
}

/** Creates a task unless one with its id exists (any state): true when this call created it. */
export async function createTask(task: TaskRecord): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...taskKey(task.taskId), ...indexesOf(task), ...task },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/** Moves an open task's due date (and its next action and place in its assignee's list). */
export async function moveTaskDue(task: TaskRecord, dueAt: Date, at: Date, answerableUntil?: Date): Promise<boolean> {
  const moved = {
    ...task,
    dueAt: dueAt.toISOString(),
    ...(answerableUntil ? { answerableUntil: answerableUntil.toISOString() } : {}),
  };
  const index = {
    ...openTaskIndex(firstActionAt(moved, at).toISOString(), task.taskId),
    ...(task.assignee ? assigneeTaskIndex(task.assignee.email, moved.dueAt, task.taskId) : {}),
  };
  const fields: Record<string, unknown> = {
    dueAt: moved.dueAt,
    ...(answerableUntil ? { answerableUntil: moved.answerableUntil } : {}),
    ...index,
  };
  const names = Object.fromEntries(Object.keys(fields).map((f, i) => [`#f${i}`, f]));
  const values = Object.fromEntries(Object.values(fields).map((v, i) => [`:f${i}`, v]));
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(task.taskId),
        UpdateExpression: `SET ${Object.keys(names)
          .map((n, i) => `${n} = :f${i}`)
          .join(', ')}`,
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { ...names, '#state': 'state' },
        ExpressionAttributeValues: { ...values, ':open': 'OPEN' },
      }),
    ),
  );
}

/**
 * Gives a task the token of the execution now waiting on it, while it is still in `state`: an open
 * task re-opened by a retried or resumed step, or a claimed one (an answer on its way), so the
 * delivery, or the sweep's redelivery, reaches the workflow that replaced a lost one.
 */
export async function retokenTask(taskId: string, token: string, state: 'OPEN' | 'CLOSING'): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #token = :token',
        ConditionExpression: '#state = :state',
        ExpressionAttributeNames: { '#token': 'token', '#state': 'state' },
        ExpressionAttributeValues: { ':token': token, ':state': state },
      }),
    ),
  );
}

export async function getTask(taskId: string): Promise<TaskRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: taskKey(taskId), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<TaskRecord>(result.Item) : undefined;
}

/**
 * The open ones of a few tasks, each read by its key. GetItems side by side rather than one
 * BatchGetItem: the table grants give readers GetItem and Query only (infra/grants.ts), and an
 * application waits on a handful of tasks at most.
 */
export async function getOpenTasks(taskIds: readonly string[]): Promise<TaskRecord[]> {
  const tasks = await Promise.all(taskIds.map((taskId) => getTask(taskId)));
  return tasks.filter((task): task is TaskRecord => task?.state === 'OPEN');
}

/**
 * The conditional update that claims an open task, for use alone or inside a transaction (adapters
 * only). It holds only while the task still carries the token the claimer read: a workflow that
 * re-opened the task meanwhile (a resumed or retried step) gave it a new token, and an answer must
 * go to the token that waits, not to the one that is gone.
 */
export function claimTaskUpdate(task: Pick<TaskRecord, 'taskId' | 'token'>, closing: TaskClosing, answer?: TaskAnswer) {
  return {
    TableName: table(),
    Key: taskKey(task.taskId),
    // Out of the assignee's list at once; in the sweep's index (first) until delivered.
    UpdateExpression: `SET #state = :closing, #closingInfo = :info, GSI1SK = :sk${answer ? ', #answer = :answer' : ''} REMOVE GSI2PK, GSI2SK`,
    ConditionExpression: '#state = :open AND #token = :token',
    ExpressionAttributeNames: {
      '#state': 'state',
      '#closingInfo': 'closing',
      '#token': 'token',
      ...(answer ? { '#answer': 'answer' } : {}),
    },
    ExpressionAttributeValues: {
      ':closing': 'CLOSING',
      ':open': 'OPEN',
      ':token': task.token,
      ':info': closing,
      ':sk': `${CLOSING_PREFIX}${closing.claimedAt}#${task.taskId}`,
      ...(answer ? { ':answer': answer } : {}),
    },
  };
}

/**
 * Claims an open task for one answer, and answers the task as claimed (with the token it holds), or
 * undefined when someone else (an answer, the sweep) got it first. A token replaced since `task`
 * was read is taken up: the claim is tried again on the task as it now is.
 */
export async function claimTask(
  task: TaskRecord,
  closing: TaskClosing,
  answer?: TaskAnswer,
): Promise<ClaimedTask | undefined> {
  let current: TaskRecord | undefined = task;
  for (let attempt = 0; current?.state === 'OPEN' && attempt < 3; attempt++) {
    const seen: TaskRecord = current;
    if (await conditionalWrite(() => dynamo().send(new UpdateCommand(claimTaskUpdate(seen, closing, answer))))) {
      return { ...seen, state: 'CLOSING', closing, ...(answer ? { answer } : {}) };
    }
    current = await getTask(task.taskId);
  }
  return undefined;
}

/** Moves an open task in the sweep's index to the instant of its next action. */
export async function scheduleNextAction(taskId: string, nextAt: Date): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET GSI1SK = :sk',
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sk': `${nextAt.toISOString()}#${taskId}`, ':open': 'OPEN' },
      }),
    ),
  );
}

/** Withdraws an open task nobody will answer (its workflow step gave up on it); false if it was not open. */
export async function cancelOpenTask(taskId: string, at: string): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #state = :cancelled, #closedAt = :at REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK',
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':at': at, ':open': 'OPEN' },
      }),
    ),
  );
}

/**
 * Renews a claimed task's claim (its `claimedAt`, and its place among the claimed ones in the sweep's
 * index) while long work on it still runs: the sweep takes a claim older than its grace for a run cut
 * short, and would otherwise start the same work again beside it. False when it is no longer claimed.
 */
export async function renewClaim(taskId: string, claimedAt: string): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #closing.#claimedAt = :at, GSI1SK = :sk',
        ConditionExpression: '#state = :closingState',
        ExpressionAttributeNames: { '#closing': 'closing', '#claimedAt': 'claimedAt', '#state': 'state' },
        ExpressionAttributeValues: {
          ':at': claimedAt,
          ':sk': `${CLOSING_PREFIX}${claimedAt}#${taskId}`,
          ':closingState': 'CLOSING',
        },
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
        UpdateExpression: 'SET #state = :outcome, #closedAt = :at REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK',
        ConditionExpression: '#state = :closing',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':outcome': task.closing.outcome, ':at': at, ':closing': 'CLOSING' },
      }),
    ),
  );
}

async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0], limit: number): Promise<TaskRecord[]> {
  const tasks: TaskRecord[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey, Limit: limit - tasks.length }),
    );
    for (const item of page.Items ?? []) tasks.push(withoutKeys<TaskRecord>(item));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && tasks.length < limit);
  return tasks;
}

/**
 * Tasks the sweep must act on: in every shard, claimed ones whose delivery is not confirmed, then
 * open ones whose next action is due at or before `dueBy` (one Query per shard, never a Scan).
 * `perShard` bounds one sweep's work; what is left is read by the next sweep.
 */
export async function listDueTasks(dueBy: Date, perShard = 100): Promise<TaskRecord[]> {
  return listIndexedTasks(dueSortKey(dueBy), perShard);
}

/** Every open or claimed task (local mode's restart resumes the workflows that wait on them). */
export async function listOpenTasks(perShard = 10_000): Promise<TaskRecord[]> {
  return listIndexedTasks('\uffff', perShard);
}

/**
 * The Query of one shard of the open-task index up to a sort key: claimed tasks first (they sort
 * before every date), then open ones by their next action. `dueSortKey(dueBy)` reads what is due.
 */
export const openTaskIndexQuery = (shard: number, sortKeyAtMost: string) => ({
  TableName: table(),
  IndexName: GSI1,
  KeyConditionExpression: 'GSI1PK = :open AND GSI1SK <= :due',
  ExpressionAttributeValues: { ':open': openTaskPartition(shard), ':due': sortKeyAtMost },
});

async function listIndexedTasks(sortKeyAtMost: string, perShard: number): Promise<TaskRecord[]> {
  const shards = Array.from({ length: OPEN_TASK_SHARDS }, (_, shard) => shard);
  const pages = await Promise.all(shards.map((shard) => queryAll(openTaskIndexQuery(shard, sortKeyAtMost), perShard)));
  return pages.flat();
}

/** A staff member's open link tasks, soonest due first. */
export async function listAssigneeTasks(email: string, limit = 500): Promise<TaskRecord[]> {
  return queryAll(
    {
      TableName: table(),
      IndexName: GSI2,
      KeyConditionExpression: 'GSI2PK = :assignee',
      ExpressionAttributeValues: { ':assignee': assigneePartition(email) },
    },
    limit,
  );
}
