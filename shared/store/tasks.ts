import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/aws/clients';
import { GSI1, OPEN_TASKS, openTaskIndex, taskKey } from '@shared/store/keys';
import { table } from '@shared/store/table';

/**
 * A human step the workflow waits on (a `.waitForTaskToken` task): the token Step Functions gave us,
 * what the step is, who may answer, and when it stops being answerable.
 */
export type TaskKind = 'amendment';
export type TaskState = 'OPEN' | 'DONE' | 'EXPIRED' | 'CANCELLED';

export interface TaskRecord {
  taskId: string;
  kind: TaskKind;
  applicationId: string;
  token: string;
  state: TaskState;
  dueAt: string; // UTC ISO, so it sorts
  createdAt: string;
  closedAt?: string;
  answer?: unknown;
}

export async function putTask(task: TaskRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: { ...taskKey(task.taskId), ...openTaskIndex(task.dueAt, task.taskId), ...task },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function getTask(taskId: string): Promise<TaskRecord | undefined> {
  const result = await dynamo().send(new GetCommand({ TableName: table(), Key: taskKey(taskId), ConsistentRead: true }));
  if (!result.Item) return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...task } = result.Item;
  return task as TaskRecord;
}

/**
 * Closes an open task exactly once. Whoever wins this conditional write (the unit's answer, the
 * deadline sweep, a withdrawal) is the only one to talk to Step Functions about its token.
 */
export async function closeTask(taskId: string, state: Exclude<TaskState, 'OPEN'>, at: string, answer?: unknown): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #state = :state, #closedAt = :at, #answer = :answer REMOVE GSI1PK, GSI1SK',
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt', '#answer': 'answer' },
        ExpressionAttributeValues: { ':state': state, ':at': at, ':open': 'OPEN', ':answer': answer ?? null },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Open tasks due at or before `dueBy`, oldest first (a Query on the sparse index, never a Scan). */
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
  return (result.Items ?? []).map((item) => {
    const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...task } = item;
    return task as TaskRecord;
  });
}
