import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import { GSI1, OPEN_TASKS, openTaskIndex, taskKey, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';

/**
 * A human step the workflow waits on (a `.waitForTaskToken` task): the token Step Functions gave us,
 * what the step is, and when it stops being answerable.
 *
 * A task is answered in two moves so that no answer is ever lost: whoever claims it (OPEN →
 * CLOSING, a conditional write only one caller can win) records the answer it means to give; the
 * answer is then delivered to Step Functions and the task finished. A claimed task stays in the
 * sweep's index until delivery succeeds, so a delivery cut short by a fault is retried by the sweep.
 */
/** amendment: the unit's correction; recovery: a failed workflow to re-drive (no token, no human). */
export type TaskKind = 'amendment' | 'recovery';
export type TaskState = 'OPEN' | 'CLOSING' | 'DONE' | 'EXPIRED' | 'CANCELLED';

export type TaskSignal = { kind: 'success'; output: Record<string, unknown> } | { kind: 'failure'; error: string; cause: string };

export interface TaskClosing {
  outcome: Exclude<TaskState, 'OPEN' | 'CLOSING'>;
  signal: TaskSignal;
  claimedAt: string; // UTC ISO
}

export interface TaskRecord {
  taskId: string;
  kind: TaskKind;
  applicationId: string;
  token: string;
  state: TaskState;
  dueAt: string; // UTC ISO, so it sorts
  createdAt: string;
  closing?: TaskClosing;
  closedAt?: string;
  /** recovery: the stage whose failure it recovers from */
  failedStage?: string;
}

/** Claimed tasks sort before every due date, so each sweep sees them until they are delivered. */
const CLOSING_PREFIX = '!CLOSING#';

/**
 * Opens a task. Its id is derived from what it waits for, so a retried workflow step replaces the
 * token of the task it opened before (that token is dead) instead of opening a second task.
 */
export async function putTask(task: TaskRecord): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...taskKey(task.taskId), ...openTaskIndex(task.dueAt, task.taskId), ...task },
        ConditionExpression: 'attribute_not_exists(PK) OR #state = :open',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function getTask(taskId: string): Promise<TaskRecord | undefined> {
  const result = await dynamo().send(new GetCommand({ TableName: table(), Key: taskKey(taskId), ConsistentRead: true }));
  return result.Item ? withoutKeys<TaskRecord>(result.Item) : undefined;
}

/** The conditional update that claims an open task, for use alone or inside a transaction. */
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
  try {
    await dynamo().send(new UpdateCommand(claimTaskUpdate(taskId, closing)));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Withdraws an open task nobody will answer (its workflow step gave up on it); false if it was not open. */
export async function cancelOpenTask(taskId: string, at: string): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #state = :cancelled, #closedAt = :at REMOVE GSI1PK, GSI1SK',
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':at': at, ':open': 'OPEN' },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Marks a claimed task's answer delivered and takes it out of the sweep's index. */
export async function finishTask(task: TaskRecord & { closing: TaskClosing }, at: string): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(task.taskId),
        UpdateExpression: 'SET #state = :outcome, #closedAt = :at REMOVE GSI1PK, GSI1SK',
        ConditionExpression: '#state = :closing',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':outcome': task.closing.outcome, ':at': at, ':closing': 'CLOSING' },
      }),
    );
  } catch (error) {
    // Finished already by a concurrent delivery: nothing left to do.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
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
