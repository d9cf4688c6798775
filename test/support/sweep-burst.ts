import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApplicationRecord } from '@shared/domain/application-record';
import { getCall } from '@shared/domain/catalogue';
import { emailDedupeKey, emailKeys } from '@shared/domain/ids';
import { firstActionAt } from '@shared/domain/tasks/schedule';
import { applicationKey, emailKey, openTaskIndex, taskKey } from '@shared/adapters/dynamodb/keys';
import type { TaskRecord } from '@shared/adapters/dynamodb/task-items';
import { seedUnit } from '@shared/adapters/dynamodb/unit-items';
import { exampleForm } from './fixtures';

/**
 * A deadline's burst, as the sweep meets it: `n` applications of the 2024 call waiting on their
 * paper copy (FORMAL_CHECK_PASSED), each with its open paper-copy task, all sharing the call's paper
 * deadline, stored directly under the adapters' keys. `remindAt` is a minute after their first reminder
 * (3 days before the deadline) fell due: a sweep then sends every one of them that reminder.
 */
export const BURST_CALL = 'gdast-2024';
const UNIT = { unitId: 'gd-physics-society', email: 'office@gd-physics.example.org' };
const DAY_MS = 86_400_000;

export interface Burst {
  taskIds: string[];
  applicationIds: string[];
  dueAt: Date;
  /** when the first reminder of every task is due (and a minute has passed) */
  remindAt: Date;
  /** when the second one (1 day before) is: where a reminded task waits next */
  nextAt: Date;
}

export function burstInstants(): Pick<Burst, 'dueAt' | 'remindAt' | 'nextAt'> {
  const dueAt = new Date(getCall(BURST_CALL)?.paperCopyDeadline ?? '2023-09-28T23:59:59.999+08:00');
  return {
    dueAt,
    remindAt: new Date(dueAt.getTime() - 3 * DAY_MS + 60_000),
    nextAt: new Date(dueAt.getTime() - DAY_MS),
  };
}

function application(applicationId: string, form: ApplicationRecord['form']): ApplicationRecord {
  return {
    applicationId,
    callId: BURST_CALL,
    unitId: UNIT.unitId,
    projectTypeId: 'lingnan-forum',
    form,
    status: 'FORMAL_CHECK_PASSED',
    history: [{ stage: 'Submission', result: 'SUBMITTED', at: '2023-09-01T09:00:00.000+08:00' }],
    marks: {},
    version: 1,
    createdAt: '2023-09-01T09:00:00.000+08:00',
    updatedAt: '2023-09-01T09:00:00.000+08:00',
  } as ApplicationRecord;
}

function paperCopyTask(taskId: string, applicationId: string, dueAt: Date): TaskRecord {
  return {
    taskId,
    kind: 'paper-copy',
    applicationId,
    token: `token-${taskId}`,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    answerableUntil: new Date(dueAt.getTime() + 3 * DAY_MS).toISOString(),
    createdAt: new Date(dueAt.getTime() - 10 * DAY_MS).toISOString(),
  };
}

/** Runs `work` over 0..n-1, `limit` at a time. */
async function pool(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

type WriteRequests = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string];

/** Writes items 25 a request, 8 requests at a time; DynamoDB may leave some unwritten under load: sent again. */
async function batchPut(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  await pool(Math.ceil(items.length / 25), 8, async (b) => {
    let requests: WriteRequests = items.slice(b * 25, (b + 1) * 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = result.UnprocessedItems?.[table] ?? [];
    }
  });
}

/**
 * Stores the burst: the unit, the applications, and the tasks, each under the keys the adapters
 * spell and (a task) in the sweep's index at its first action, as putTask places it; in batches,
 * because a burst is seeded faster than putTask's one conditional write at a time.
 */
export async function seedBurst(
  doc: DynamoDBDocumentClient,
  table: string,
  n: number,
  prefix = 'burst',
): Promise<Burst> {
  const instants = burstInstants();
  const form = exampleForm('lingnan-forum');
  await seedUnit({ ...UNIT, name: { zh: '广东省物理学会', en: 'Guangdong Physical Society' }, barred: false });
  const applicationIds = Array.from({ length: n }, (_, i) => `${prefix}-app-${i}`);
  const taskIds = Array.from({ length: n }, (_, i) => `${prefix}-task-${i}`);
  // As JSON, as the product stores it (its client drops the undefined fields the example form has).
  const asStored = (item: object) => JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
  await batchPut(
    doc,
    table,
    applicationIds.map((id) => asStored({ ...applicationKey(id), ...application(id, form) })),
  );
  const tasks = taskIds.map((taskId, i) => paperCopyTask(taskId, applicationIds[i], instants.dueAt));
  await batchPut(
    doc,
    table,
    tasks.map((task) => {
      const first = firstActionAt(task, new Date(task.createdAt)).toISOString();
      return { ...taskKey(task.taskId), ...openTaskIndex(first, task.taskId), ...task };
    }),
  );
  return { ...instants, taskIds, applicationIds };
}

/** A task's place in the sweep's index now (its next action's instant), read consistently. */
export async function taskIndexSortKey(doc: DynamoDBDocumentClient, table: string, taskId: string) {
  const item = await doc.send(new GetCommand({ TableName: table, Key: taskKey(taskId), ConsistentRead: true }));
  return item.Item?.GSI1SK as string | undefined;
}

/** The email-once marker of a task's first paper-copy reminder: SENT once SES accepted it. */
export async function reminderMarker(doc: DynamoDBDocumentClient, table: string, applicationId: string) {
  const key = emailKey(emailDedupeKey(applicationId, emailKeys.paperCopyReminder('before-72h')));
  const item = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return item.Item as { state?: string; messageId?: string } | undefined;
}
