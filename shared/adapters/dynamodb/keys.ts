/**
 * Key builders for the single table. The key design (what each item is, how it is found) is
 * documented beside the table's definition in infra/table.ts; this module is the only code that
 * spells keys, so the two cannot drift apart silently.
 */
export const applicationKey = (applicationId: string) => ({ PK: `APP#${applicationId}`, SK: 'APP' });
export const unitKey = (unitId: string) => ({ PK: `UNIT#${unitId}`, SK: 'PROFILE' });
/**
 * GSI1: every unit's profile, by id, for staff's list (GET /units). One partition for all: a
 * province has a few thousand member societies, read by staff and written rarely, far within what
 * one partition serves; sharding would only make the list harder to page.
 */
export const UNITS = 'UNITS';
export const unitListIndex = (unitId: string) => ({ GSI1PK: UNITS, GSI1SK: unitId });
export const slotsKey = (unitId: string, callId: string) => ({ PK: `UNIT#${unitId}`, SK: `SLOTS#${callId}` });
/** A unit's draft application, and the counter of its drafts (which holds the cap under concurrency). */
export const draftKey = (unitId: string, draftId: string) => ({ PK: `UNIT#${unitId}`, SK: `DRAFT#${draftId}` });
export const draftCounterKey = (unitId: string) => ({ PK: `UNIT#${unitId}`, SK: 'DRAFTS' });
export const unitDraftsQuery = (unitId: string) => ({ partition: `UNIT#${unitId}`, prefix: 'DRAFT#' });
export const idempotencyKey = (unitId: string, key: string) => ({ PK: `IDEM#${unitId}#${key}`, SK: 'IDEM' });
export const taskKey = (taskId: string) => ({ PK: `TASK#${taskId}`, SK: 'TASK' });
export const emailKey = (dedupeKey: string) => ({ PK: `EMAIL#${dedupeKey}`, SK: 'EMAIL' });

/**
 * GSI1: an application's email log, oldest first. The once-only marker of each email about an
 * application (EMAIL#<dedupeKey>, above) is also its log entry: it carries the application's log
 * partition and its send time. Each bounce or complaint SES reports of one (its own item, once per
 * notice) sorts into the same partition. One Query reads both; nothing is appended to the
 * application item, which an overdue task's daily reminder (and its bounce) would otherwise grow
 * until DynamoDB refuses it at 400 KB. Written before these items, the log was the item's `emails`.
 */
export const applicationMailPartition = (applicationId: string) => `APP_MAIL#${applicationId}`;
export const applicationEmailIndex = (applicationId: string, atIso: string, key: string) => ({
  GSI1PK: applicationMailPartition(applicationId),
  GSI1SK: `${atIso}#EMAIL#${key}`,
});
export const emailEventKey = (eventKey: string) => ({ PK: `EMAIL_EVENT#${eventKey}`, SK: 'EMAIL_EVENT' });
export const emailEventIndex = (applicationId: string, atIso: string, eventKey: string) => ({
  GSI1PK: applicationMailPartition(applicationId),
  GSI1SK: `${atIso}#EVENT#${eventKey}`,
});

/**
 * A workflow failure of an application, once per execution and stage, under the application's
 * partition but not in its item: the record of a failure must not fail because the item is large.
 */
export const failureKey = (applicationId: string, execution: string, stage: string) => ({
  PK: `APP#${applicationId}`,
  SK: `FAILURE#${execution}#${stage}`,
});
export const FAILURE_PREFIX = 'FAILURE#';

/** GSI1: a unit's applications, newest last. */
export const unitApplicationsIndex = (unitId: string, callId: string, createdAtIso: string, applicationId: string) => ({
  GSI1PK: `UNIT#${unitId}`,
  GSI1SK: `APP#${callId}#${createdAtIso}#${applicationId}`,
});
/** The GSI1 partition and sort-key prefix of a unit's applications (in one call, or in all). */
export const unitApplicationsQuery = (unitId: string, callId?: string) => ({
  partition: `UNIT#${unitId}`,
  prefix: callId ? `APP#${callId}#` : 'APP#',
});

/** The slot counter of one project type on a unit's slots item. */
export const typeSlotCounter = (projectTypeId: string) => `type_${projectTypeId.replace(/[^A-Za-z0-9]/g, '_')}`;

/**
 * GSI1 (sparse): tasks still open, ordered by the instant the sweep must next act on them, spread
 * over OPEN_TASK_SHARDS partitions by a hash of the task id, so 1.5 million review tasks opened in
 * one evening do not all write to one partition. The sweep reads each shard with one Query.
 */
export const OPEN_TASK_SHARDS = 16;
/** A stable shard of an id: FNV-1a, cheap and evenly spread. */
function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % shards;
}
export const openTaskShard = (taskId: string): number => shardOf(taskId, OPEN_TASK_SHARDS);
export const openTaskPartition = (shard: number) => `TASKS#OPEN#${String(shard).padStart(2, '0')}`;
export const openTaskIndex = (nextActionUtcIso: string, taskId: string) => ({
  GSI1PK: openTaskPartition(openTaskShard(taskId)),
  GSI1SK: `${nextActionUtcIso}#${taskId}`,
});

/** GSI2 (sparse): a staff member's open link tasks, soonest due first (GET /staff/tasks). */
export const assigneeTaskIndex = (email: string, dueAtUtcIso: string, taskId: string) => ({
  GSI2PK: assigneePartition(email),
  GSI2SK: `${dueAtUtcIso}#${taskId}`,
});
export const assigneePartition = (email: string) => `ASSIGNEE#${email.toLowerCase()}`;

/**
 * GSI2: applications by status, for the call-level stages (the round assigns every application
 * READY_FOR_EXPERT_REVIEW; the award ranks every SCORED one). Spread over 16 partitions per status by
 * a hash of the application id; the sort key starts with the call, so one Query per shard reads one
 * call's applications in that status. The partition moves with every status change (the adapter
 * sets it whenever it sets the status).
 */
export const APPLICATION_STATUS_SHARDS = 16;
export const applicationStatusPartition = (status: string, shard: number) =>
  `STATUS#${status}#${String(shard).padStart(2, '0')}`;
export const applicationStatusPartitionOf = (status: string, applicationId: string) =>
  applicationStatusPartition(status, shardOf(applicationId, APPLICATION_STATUS_SHARDS));
export const applicationStatusIndex = (status: string, callId: string, createdAt: string, applicationId: string) => ({
  GSI2PK: applicationStatusPartitionOf(status, applicationId),
  GSI2SK: `${callId}#${createdAt}#${applicationId}`,
});
export const applicationStatusPrefix = (callId: string) => `${callId}#`;
/**
 * Where a paged Query of one status shard goes on: after the entry whose sort key is `sortKey`
 * (`<callId>#<createdAt>#<applicationId>`). An index's ExclusiveStartKey also names the table's key,
 * which the sort key's last part gives, so a cursor needs to carry the sort key alone.
 */
export const applicationStatusStartKey = (status: string, shard: number, sortKey: string) => ({
  GSI2PK: applicationStatusPartition(status, shard),
  GSI2SK: sortKey,
  ...applicationKey(sortKey.slice(sortKey.lastIndexOf('#') + 1)),
});

/**
 * Call-level records: the expert review round (once per call), each version of the award proposal,
 * and the published results. A proposal's ranked entries are stored in pages of 200, each page under
 * a partition of its own (proposalPageKey): a national funder's proposal is some 1,500 pages of 50 KB,
 * which under the call's one partition would be written at that partition's 1,000 WCU a second.
 */
export const callRecordKey = (callId: string, what: string) => ({ PK: `CALL#${callId}`, SK: what });
export const CALL_RECORDS = {
  round: 'ROUND',
  award: 'AWARD',
  proposal: (version: number) => `PROPOSAL#v${String(version).padStart(4, '0')}`,
} as const;
export const proposalPageKey = (callId: string, version: number, page: number) => ({
  PK: `PROPOSAL#${callId}#v${String(version).padStart(4, '0')}#p${String(page).padStart(5, '0')}`,
  SK: 'PAGE',
});

/**
 * A call-level job (the round, the proposal, the award's decisions, the reporting round): one item
 * under a partition of its own, read by GetItem (`GET /jobs/{jobId}`); the call's records name their
 * current job. Written once per batch of 100–200 applications, never per application, so at 300,000
 * it takes some 1,500 writes over the job's minutes, far within one partition's 1,000 a second.
 */
export const jobKey = (jobId: string) => ({ PK: `JOB#${jobId}`, SK: 'JOB' });

/**
 * An expert's load in one call (the review places they hold), kept under their cap by a condition.
 * GSI1: every expert's load in a call, by expert id, spread over EXPERT_LOAD_SHARDS partitions by a
 * hash of the expert id: a national round takes 1.5 million places in one evening, each a write of
 * its expert's counter and so of its index entry, which one partition would take at most 1,000 a
 * second. Readers query every shard (in parallel) and merge; each shard sorts by expert id, so one
 * page of the pool is one BETWEEN per shard.
 */
export const EXPERT_LOAD_SHARDS = 16;
export const expertLoadKey = (expertId: string, callId: string) => ({ PK: `EXPERT#${expertId}`, SK: `LOAD#${callId}` });
export const expertLoadShard = (expertId: string): number => shardOf(expertId, EXPERT_LOAD_SHARDS);
export const expertLoadPartition = (callId: string, shard: number) =>
  `EXPERT_LOAD#${callId}#${String(shard).padStart(2, '0')}`;
export const expertLoadIndex = (callId: string, expertId: string) => ({
  GSI1PK: expertLoadPartition(callId, expertLoadShard(expertId)),
  GSI1SK: expertId,
});
/**
 * Where every load of a call was indexed before the index was sharded. A counter moves to its shard
 * the next time it is written (each write sets its index keys), but one written before the deploy and
 * never again (an expert of a call under way who takes no further place) stays here: still read.
 */
export const unshardedExpertLoadPartition = (callId: string) => `EXPERT_LOAD#${callId}`;

/**
 * A report an awarded project owes, kept with its application (PK APP#…); listed for its unit
 * through GSI1 (UNIT#<unitId>, OBLIGATION#<callId>#…), and, while not accepted, for the call through
 * GSI2 by due date over 16 shards (OBLIGATIONS#<callId>#<shard>): overdue ones are those due before
 * now; a summary report awaiting its date sorts after every date (AWAITING#…).
 */
export const OBLIGATION_SHARDS = 16;
export const obligationKey = (applicationId: string, obligationId: string) => ({
  PK: `APP#${applicationId}`,
  SK: `OBLIGATION#${obligationId}`,
});
export const OBLIGATION_PREFIX = 'OBLIGATION#';
export const unitObligationIndex = (unitId: string, callId: string, applicationId: string, obligationId: string) => ({
  GSI1PK: `UNIT#${unitId}`,
  GSI1SK: `OBLIGATION#${callId}#${applicationId}#${obligationId}`,
});
export const unitObligationsQuery = (unitId: string, callId?: string) => ({
  partition: `UNIT#${unitId}`,
  prefix: callId ? `OBLIGATION#${callId}#` : 'OBLIGATION#',
});
export const callObligationPartition = (callId: string, shard: number) =>
  `OBLIGATIONS#${callId}#${String(shard).padStart(2, '0')}`;
export const callObligationIndex = (
  callId: string,
  dueAt: string | undefined,
  applicationId: string,
  obligationId: string,
) => ({
  GSI2PK: callObligationPartition(callId, shardOf(`${applicationId}#${obligationId}`, OBLIGATION_SHARDS)),
  GSI2SK: `${dueAt ?? 'AWAITING'}#${applicationId}#${obligationId}`,
});

/**
 * One version of a report as its unit handed it in (its fields and files), an item of its own beside
 * its obligation, so that no item grows with each version: a summary report's version can be some
 * 350 KB of Chinese text, and a report returned four times is handed in five. Read by GetItem from its
 * version number (the obligation holds the latest's); the sort key's prefix is not the obligations'
 * (OBLIGATION#), so listing an application's obligations never reads a version.
 */
export const reportVersionKey = (applicationId: string, obligationId: string, version: number) => ({
  PK: `APP#${applicationId}`,
  SK: `REPORT#${obligationId}#v${String(version).padStart(4, '0')}`,
});

/**
 * GSI1 (sparse): applications stored but whose workflow has not yet been seen to start. Every
 * submission writes here and its first step deletes it again, with a sort key that only grows (the
 * time), so one partition would take the whole deadline-day rush and could not split: the marker is
 * spread over PENDING_START_SHARDS partitions by a hash of the application id; the sweep reads each.
 */
export const PENDING_START_SHARDS = 16;
/** Where every marker went before the index was sharded; still read by the sweep. */
export const UNSHARDED_PENDING_STARTS = 'WORKFLOW#PENDING_START';
export const pendingStartPartition = (shard: number) => `WORKFLOW#PENDING_START#${String(shard).padStart(2, '0')}`;
export const pendingStartKey = (applicationId: string) => ({ PK: `START#${applicationId}`, SK: 'START' });
export const pendingStartIndex = (createdAtUtcIso: string, applicationId: string) => ({
  GSI1PK: pendingStartPartition(shardOf(applicationId, PENDING_START_SHARDS)),
  GSI1SK: `${createdAtUtcIso}#${applicationId}`,
});

/**
 * The expert pool: one item per expert, listed (for staff) through GSI1 under EXPERT_POOL, ordered
 * by id. Staff write it rarely; the assignment reads it whole once per review round.
 */
export const expertKey = (expertId: string) => ({ PK: `EXPERT#${expertId}`, SK: 'PROFILE' });
export const EXPERT_POOL = 'EXPERT_POOL';
export const expertPoolIndex = (expertId: string) => ({ GSI1PK: EXPERT_POOL, GSI1SK: expertId });

export const GSI1 = 'GSI1';
export const GSI2 = 'GSI2';

/** An item as the domain sees it: without the table's key attributes. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, GSI2PK: _g2pk, GSI2SK: _g2sk, ...rest } = item;
  return rest as T;
}
