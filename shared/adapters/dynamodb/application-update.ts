import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import type { ApplicationRecord, ApplicationStatus, StageEntry } from '@shared/domain/application-record';
import type { TaskClosing, TaskRecord } from '@shared/domain/tasks/record';
import { applicationKey, applicationStatusPartitionOf } from '@shared/adapters/dynamodb/keys';
import { claimTaskUpdate } from '@shared/adapters/dynamodb/task-items';
import {
  conditionalWrite,
  transact,
  TransactionCanceledException,
  transactionItemFailed,
} from '@shared/adapters/dynamodb/conditional';
import { table } from '@shared/adapters/dynamodb/table-name';
import { countMetric } from '@shared/adapters/metrics';

export interface RecordUpdate {
  /**
   * Makes the update happen once per key: a retried step that already recorded it gets false
   * instead of appending its history entry twice.
   */
  once?: string;
  set?: Partial<
    Pick<
      ApplicationRecord,
      | 'status'
      | 'formalCheck'
      | 'outcome'
      | 'failure'
      | 'openTaskId'
      | 'executionArn'
      | 'form'
      | 'formalReview'
      | 'paperCopy'
      | 'targetReview'
      | 'staffReturn'
      | 'reviewRound'
      | 'expertReview'
      | 'award'
      | 'rankInput'
      | 'reviewCandidate'
    >
  >;
  remove?: ('openTaskId' | 'failure' | 'staffReturn' | 'formalCheck')[];
  /** Sets fields inside a map attribute the record already holds, by dotted path ('expertReview.dueAt'). */
  setIn?: Record<string, unknown>;
  /** Appends to a list inside a map attribute the record already holds ('expertReview.panel'). */
  appendIn?: { path: string; items: unknown[] };
  entry?: StageEntry;
  /** Marks a link task as one the workflow waits on, or no longer. */
  waitOn?: string;
  stopWaitingOn?: string[];
  /** Applied only while the application is in one of these statuses. */
  whenStatusIn?: readonly ApplicationStatus[];
  whenUnit?: string;
  /** Applied only while the application waits on this task (null: on none). */
  whenOpenTask?: string | null;
  /** Applied only while the form is still at this version. */
  whenVersion?: number;
  bumpVersion?: boolean;
}

/** One conditional update of an application; returns false when its condition did not hold. */
export async function updateApplication(applicationId: string, update: RecordUpdate): Promise<boolean> {
  // A transaction on the same item (a withdrawal, an amendment) may be in progress: retried.
  const updated = await conditionalWrite(() =>
    dynamo().send(new UpdateCommand(applicationUpdate(applicationId, update))),
  );
  if (updated && update.set?.status) countMetric('StageEntered', 1, { Stage: update.set.status });
  return updated;
}

/**
 * Updates an application and claims its open task in one transaction: an amendment is either taken
 * together with the task it answers, or not at all (the deadline sweep claimed the task first).
 */
export async function updateApplicationClaimingTask(
  applicationId: string,
  update: RecordUpdate,
  task: Pick<TaskRecord, 'taskId' | 'token'>,
  closing: TaskClosing,
): Promise<'done' | 'application-changed' | 'task-closed'> {
  try {
    await transact([{ Update: applicationUpdate(applicationId, update) }, { Update: claimTaskUpdate(task, closing) }]);
    if (update.set?.status) countMetric('StageEntered', 1, { Stage: update.set.status });
    return 'done';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    if (transactionItemFailed(error, 0)) return 'application-changed';
    if (transactionItemFailed(error, 1)) return 'task-closed';
    throw error;
  }
}

/**
 * The pieces of one UpdateItem, each part of RecordUpdate adding its own: the names and values are
 * shared by the update and its condition, so they are gathered before either is written out.
 */
interface Expression {
  names: Record<string, string>;
  values: Record<string, unknown>;
  sets: string[];
  adds: string[];
  deletes: string[];
  conditions: string[];
}

/** The UpdateItem input of one conditional application update, alone or inside a transaction. */
function applicationUpdate(applicationId: string, update: RecordUpdate) {
  const e: Expression = {
    names: {},
    values: {},
    sets: [],
    adds: [],
    deletes: [],
    conditions: ['attribute_exists(PK)'],
  };
  setFields(e, update);
  setInsideMaps(e, update);
  if (update.set?.status) {
    // The application moves to its new status's partition of the status index.
    e.names['#statusIndex'] = 'GSI2PK';
    e.values[':statusIndex'] = applicationStatusPartitionOf(update.set.status, applicationId);
    e.sets.push('#statusIndex = :statusIndex');
  }
  if (update.entry) appendHistory(e, update.entry);
  changeWaiting(e, update);
  if (update.bumpVersion || update.whenVersion !== undefined) e.names['#version'] = 'version';
  if (update.bumpVersion) {
    e.values[':one'] = 1;
    e.sets.push('#version = #version + :one');
  }
  if (update.once) markOnce(e, update.once, update.entry);
  addConditions(e, update);
  for (const field of update.remove ?? []) e.names[`#${field}`] = field;
  const remove = update.remove?.length ? ` REMOVE ${update.remove.map((field) => `#${field}`).join(', ')}` : '';
  return {
    TableName: table(),
    Key: applicationKey(applicationId),
    UpdateExpression: `${e.sets.length ? `SET ${e.sets.join(', ')}` : ''}${remove}${e.adds.length ? ` ADD ${e.adds.join(', ')}` : ''}${e.deletes.length ? ` DELETE ${e.deletes.join(', ')}` : ''}`,
    ConditionExpression: e.conditions.join(' AND '),
    ExpressionAttributeNames: Object.keys(e.names).length ? e.names : undefined,
    ExpressionAttributeValues: Object.keys(e.values).length ? e.values : undefined,
  };
}

function setFields(e: Expression, update: RecordUpdate): void {
  for (const [field, value] of Object.entries(update.set ?? {})) {
    e.names[`#${field}`] = field;
    e.values[`:${field}`] = value;
    e.sets.push(`#${field} = :${field}`);
  }
}

/** `setIn` and `appendIn`: each part of a dotted path gets a name of its own, as a path may hold any key. */
function setInsideMaps(e: Expression, update: RecordUpdate): void {
  const pathOf = (dotted: string, tag: string) =>
    dotted
      .split('.')
      .map((part, i) => {
        e.names[`#${tag}${i}`] = part;
        return `#${tag}${i}`;
      })
      .join('.');
  Object.entries(update.setIn ?? {}).forEach(([dotted, value], i) => {
    e.values[`:in${i}`] = value;
    e.sets.push(`${pathOf(dotted, `in${i}_`)} = :in${i}`);
  });
  if (update.appendIn) {
    const path = pathOf(update.appendIn.path, 'ap');
    e.values[':appended'] = update.appendIn.items;
    e.sets.push(`${path} = list_append(${path}, :appended)`);
  }
}

/** The entry joins the history, and its time is the record's last change (what the reconciliation reads). */
function appendHistory(e: Expression, entry: StageEntry): void {
  e.names['#history'] = 'history';
  e.values[':entry'] = [entry];
  e.sets.push('#history = list_append(#history, :entry)');
  e.values[':updatedAt'] = entry.at;
  e.names['#updatedAt'] = 'updatedAt';
  e.sets.push('#updatedAt = :updatedAt');
}

/** `waitingOn` is a string set, so a task is added or removed without reading the others. */
function changeWaiting(e: Expression, update: RecordUpdate): void {
  if (update.waitOn) {
    e.names['#waitingOn'] = 'waitingOn';
    e.values[':waitOn'] = new Set([update.waitOn]);
    e.adds.push('#waitingOn :waitOn');
  }
  if (update.stopWaitingOn?.length) {
    e.names['#waitingOn'] = 'waitingOn';
    e.values[':stopWaitingOn'] = new Set(update.stopWaitingOn);
    e.deletes.push('#waitingOn :stopWaitingOn');
  }
}

/** The mark is written by the update it guards, so a retry finds it and changes nothing. */
function markOnce(e: Expression, once: string, entry: StageEntry | undefined): void {
  e.names['#marks'] = 'marks';
  e.names['#once'] = once;
  e.values[':onceAt'] = entry?.at ?? new Date().toISOString();
  e.sets.push('#marks.#once = :onceAt');
  e.conditions.push('attribute_not_exists(#marks.#once)');
}

/** The `when…` guards: the state the caller read the application in, which must still hold. */
function addConditions(e: Expression, update: RecordUpdate): void {
  if (update.whenStatusIn) {
    e.names['#status'] = 'status';
    update.whenStatusIn.forEach((status, i) => (e.values[`:when${i}`] = status));
    e.conditions.push(`#status IN (${update.whenStatusIn.map((_, i) => `:when${i}`).join(', ')})`);
  }
  if (update.whenOpenTask !== undefined) {
    e.names['#openTaskId'] = 'openTaskId';
    if (update.whenOpenTask === null) e.conditions.push('attribute_not_exists(#openTaskId)');
    else {
      e.values[':whenOpenTask'] = update.whenOpenTask;
      e.conditions.push('#openTaskId = :whenOpenTask');
    }
  }
  if (update.whenVersion !== undefined) {
    e.values[':whenVersion'] = update.whenVersion;
    e.conditions.push('#version = :whenVersion');
  }
  if (update.whenUnit) {
    e.names['#unitId'] = 'unitId';
    e.values[':unit'] = update.whenUnit;
    e.conditions.push('#unitId = :unit');
  }
}
