import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { applicationKey, failureKey } from '@shared/adapters/dynamodb/keys';
import { getTask } from '@shared/adapters/dynamodb/task-items';
import type { ApplicationRecord } from '@shared/domain/application-record';
import { recoveryTaskId } from '@shared/domain/ids';
import { recordFailure } from '@shared/use-cases/steps/failure';
import { useLocalTable } from '../support/local-table';

/**
 * The workflow's failure record against DynamoDB Local, which refuses an item over 400 KB as
 * DynamoDB does: a failure must be recorded (and its recovery scheduled) however large the
 * application item is, and each failure counted once.
 */
const ITEM_LIMIT = 400 * 1024;
const table = useLocalTable();

/** An application waiting on its staff review, as the workflow leaves it. */
function application(history: ApplicationRecord['history'] = []): ApplicationRecord {
  const applicationId = randomUUID();
  return {
    applicationId,
    callId: 'gdast-2024',
    unitId: 'gd-physics-society',
    projectTypeId: 'lingnan-forum',
    form: { title: '岭南论坛' } as ApplicationRecord['form'],
    status: 'FORMAL_CHECK_PASSED',
    history: [{ stage: 'Submission', result: 'SUBMITTED', at: '2023-09-01T09:00:00.000+08:00' }, ...history],
    marks: {},
    version: 1,
    createdAt: '2023-09-01T09:00:00.000+08:00',
    updatedAt: '2023-09-01T09:00:00.000+08:00',
  };
}

/** Stores the application padded to within a few bytes of DynamoDB's 400 KB: nothing more fits. */
async function storeFull(record: ApplicationRecord): Promise<void> {
  await table.doc.send(
    new PutCommand({ TableName: table.name, Item: { ...applicationKey(record.applicationId), ...record } }),
  );
  // Grown a kilobyte at a time, then a byte at a time, until DynamoDB refuses.
  let padding = ITEM_LIMIT - 2048;
  for (const step of [1024, 64, 1]) {
    for (;;) {
      const grown = await table.doc
        .send(
          new UpdateCommand({
            TableName: table.name,
            Key: applicationKey(record.applicationId),
            UpdateExpression: 'SET padding = :padding',
            ExpressionAttributeValues: { ':padding': 'x'.repeat(padding + step) },
          }),
        )
        .then(
          () => true,
          (error: Error) => {
            if (!/item size/i.test(error.message)) throw error;
            return false;
          },
        );
      if (!grown) break;
      padding += step;
    }
  }
}

const item = async (key: { PK: string; SK: string }) =>
  (await table.doc.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }))).Item;
const failed = { Error: 'States.TaskFailed', Cause: 'The stage failed after its retries. '.repeat(40) };

test('an application item at the size limit: its failure is recorded apart, its recovery scheduled, and each failure counted once', async () => {
  const record = application();
  await storeFull(record);
  const { applicationId } = record;

  await expect(recordFailure(applicationId, 'StaffReview', 'exec-1', failed)).resolves.toEqual({
    recorded: true,
    recovery: true,
  });
  expect(await item(failureKey(applicationId, 'exec-1', 'StaffReview'))).toMatchObject({
    stage: 'StaffReview',
    error: 'States.TaskFailed',
    execution: 'exec-1',
  });
  const recovery = await getTask(recoveryTaskId(applicationId, 'exec-1'));
  expect(recovery).toMatchObject({ kind: 'recovery', state: 'OPEN', failedStage: 'StaffReview' });
  // The item could take none of it.
  expect((await item(applicationKey(applicationId)))?.failure).toBeUndefined();

  // The step retried (its first answer lost): still one failure, the same recovery.
  await expect(recordFailure(applicationId, 'StaffReview', 'exec-1', failed)).resolves.toEqual({
    recorded: true,
    recovery: true,
  });
  const retried = await getTask(recoveryTaskId(applicationId, 'exec-1'));
  expect(Date.parse(retried!.dueAt) - Date.parse(retried!.createdAt)).toBeLessThan(2 * 15 * 60 * 1000 - 1000);

  // Each recovery's failure counts: the third waits four times as long as the first; after the
  // third recovery the application is left to staff (the alarm).
  await recordFailure(applicationId, 'StaffReview', 'exec-2', failed);
  await recordFailure(applicationId, 'StaffReview', 'exec-3', failed);
  const third = await getTask(recoveryTaskId(applicationId, 'exec-3'));
  expect(Date.parse(third!.dueAt) - Date.parse(third!.createdAt)).toBeGreaterThanOrEqual(4 * 15 * 60 * 1000 - 1000);
  await expect(recordFailure(applicationId, 'StaffReview', 'exec-4', failed)).resolves.toEqual({
    recorded: true,
    recovery: false,
  });
});

test('an application item with room: the failure shows on it, once, and one recorded before failures had items of their own still counts', async () => {
  const before = {
    stage: 'Workflow' as const,
    result: 'FAILED',
    at: '2023-09-01T10:00:00.000+08:00',
    detail: { stage: 'SendReceipt', error: 'X' },
  };
  const record = application([before]);
  await table.doc.send(
    new PutCommand({ TableName: table.name, Item: { ...applicationKey(record.applicationId), ...record } }),
  );
  const { applicationId } = record;

  await recordFailure(applicationId, 'StaffReview', 'exec-1', failed);
  await recordFailure(applicationId, 'StaffReview', 'exec-1', failed);
  const stored = (await item(applicationKey(applicationId))) as ApplicationRecord;
  expect(stored.failure).toMatchObject({ stage: 'StaffReview', error: 'States.TaskFailed' });
  expect(stored.history.filter((entry) => entry.result === 'FAILED')).toEqual([
    before,
    expect.objectContaining({
      stage: 'Workflow',
      detail: { stage: 'StaffReview', error: 'States.TaskFailed', execution: 'exec-1' },
    }),
  ]);
  // Two failures so far (the one before, this one): the recovery waits twice the first delay.
  const recovery = await getTask(recoveryTaskId(applicationId, 'exec-1'));
  const wait = Date.parse(recovery!.dueAt) - Date.parse(stored.failure!.at);
  expect(wait).toBeGreaterThanOrEqual(2 * 15 * 60 * 1000 - 1000);
  expect(wait).toBeLessThan(4 * 15 * 60 * 1000 - 1000);
});
