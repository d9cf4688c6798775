import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The table's global secondary indexes, by name: IAM grants Query on exactly these (infra/grants.ts). */
export const TABLE_INDEXES = ['GSI1', 'GSI2'] as const;

/**
 * The product's single table. Local mode creates DynamoDB Local's table from this same definition,
 * read back out of the synthesized template.
 *
 * Key design (shared/adapters/dynamodb/keys.ts is the only code that spells these keys; derived ids
 * such as task ids and email keys are spelled in shared/domain/ids.ts):
 *
 * | item                          | PK                      | SK               | GSI1PK                 | GSI1SK                                   |
 * |-------------------------------|-------------------------|------------------|------------------------|------------------------------------------|
 * | application                   | APP#<applicationId>     | APP              | UNIT#<unitId>          | APP#<callId>#<createdAt>#<applicationId> |
 * |   … by status (call stages)   |                         |                  | GSI2PK STATUS#<status>#<shard> | GSI2SK <callId>#<createdAt>#<applicationId> |
 * | unit profile and standing     | UNIT#<unitId>           | PROFILE          | UNITS                  | <unitId>                                 |
 * | unit's slots in a call        | UNIT#<unitId>           | SLOTS#<callId>   |                        |                                          |
 * | unit's draft (not yet applied) | UNIT#<unitId>          | DRAFT#<draftId>  |                        |                                          |
 * | unit's count of drafts (cap)  | UNIT#<unitId>           | DRAFTS           |                        |                                          |
 * | idempotency claim (TTL 30 d)  | IDEM#<unitId>#<key>     | IDEM             |                        |                                          |
 * | human task (token, due date)  | TASK#<taskId>           | TASK             | TASKS#OPEN#<shard>     | <next action UTC ISO>#<taskId> (open)    |
 * |   … and its assignee's list   |                         |                  | GSI2PK ASSIGNEE#<email>| GSI2SK <dueAt UTC ISO>#<taskId> (open)   |
 * | email sent marker             | EMAIL#<dedupeKey>       | EMAIL            |                        |                                          |
 * |   … about an application: its log entry |               |                  | APP_MAIL#<applicationId> | <at Beijing ISO>#EMAIL#<emailKey>      |
 * | bounce/complaint of such email | EMAIL_EVENT#<eventId>  | EMAIL_EVENT      | APP_MAIL#<applicationId> | <at Beijing ISO>#EVENT#<eventId>       |
 * | workflow failure (once each)  | APP#<applicationId>     | FAILURE#<execution>#<stage> |             |                                          |
 * | expert of the pool            | EXPERT#<expertId>       | PROFILE          | EXPERT_POOL            | <expertId>                               |
 * | expert's load in a call       | EXPERT#<expertId>       | LOAD#<callId>    | EXPERT_LOAD#<callId>#<shard> | <expertId>                         |
 * | call's review round           | CALL#<callId>           | ROUND            |                        |                                          |
 * | call's award (versions, pub.) | CALL#<callId>           | AWARD            |                        |                                          |
 * | award proposal (header)       | CALL#<callId>           | PROPOSAL#v<n>    |                        |                                          |
 * | … a page of its ranked entries | PROPOSAL#<callId>#v<n>#p<page> | PAGE      |                        |                                          |
 * | call-level job (round, proposal, decisions, reporting round) | JOB#<jobId> | JOB | | (GetItem; written once per batch, never per application) |
 * | obligation (a report owed)    | APP#<applicationId>     | OBLIGATION#<id>  | UNIT#<unitId>          | OBLIGATION#<callId>#<applicationId>#<id> |
 * |   … not yet accepted          |                         |                  | GSI2PK OBLIGATIONS#<callId>#<shard> | GSI2SK <dueAt UTC ISO or AWAITING>#<applicationId>#<id> |
 * | report version (one hand-in)  | APP#<applicationId>     | REPORT#<id>#v<nnnn> |                     |                                          |
 * | workflow start not yet seen   | START#<applicationId>   | START            | WORKFLOW#PENDING_START#<shard> | <createdAt UTC ISO>#<applicationId> |
 *
 * Access patterns: an application by id (GetItem); a unit's applications in a call (Query GSI1,
 * begins_with APP#<callId>#); open tasks whose next action (a reminder, an expiry) has come (one
 * Query per shard TASKS#OPEN#00..15, GSI1SK <= now; the shard is a hash of the task id, so no
 * partition takes every task; the attributes are removed when a task closes, so the index only holds
 * open tasks; claimed tasks sort first under !CLOSING#); a staff member's open tasks (Query GSI2
 * ASSIGNEE#<email>, soonest due first); applications whose workflow start is unconfirmed (one Query
 * per shard WORKFLOW#PENDING_START#00..15, older than a minute; the shard is a hash of the application
 * id; the item is deleted once the workflow's first step runs); one call's applications in a
 * status, for the call-level stages (Query GSI2 STATUS#<status>#00..15, begins_with <callId>#, the 16
 * shards at once; the status partition moves with every status change, spread by a hash of the
 * application id); staff's table of a call's applications, a page at a time (the same Queries, each
 * shard a few rows at a time with Limit, FilterExpression and ProjectionExpression, merged by sort key,
 * status after status; the cursor holds each shard's last returned GSI2SK; with a unit, Query GSI1
 * UNIT#<unitId>, begins_with APP#<callId>#); the call's overview counts (every entry of the call in
 * GSI2 read once, ProjectionExpression projectTypeId and paperCopy); a unit's drafts (Query PK
 * UNIT#<unitId>, begins_with DRAFT#: a
 * handful per unit; the DRAFTS counter, written in the same transaction as a new draft, holds the cap
 * of 20 under concurrency); an application's emails and their bounces, in time order (Query GSI1
 * APP_MAIL#<applicationId>: kept out of the application item, which daily reminders would grow to
 * DynamoDB's 400 KB); its workflow failures (Query PK APP#<id>, begins_with FAILURE#, COUNT: how many
 * recoveries it has had); every expert's load in a call (Query GSI1 EXPERT_LOAD#<callId>#00..15, the
 * 16 shards at once; the shard is a hash of the expert id, so a national round's 1.5 million places do
 * not all write one index partition; EXPERT_LOAD#<callId>, where loads were indexed before the shards,
 * is read too, for a counter not written since), or only those of one page of the pool (the same
 * Queries, GSI1SK between its first and last expert id); the member units, by id
 * (Query GSI1 UNITS, paged: one partition for every unit, a few thousand societies read by staff and
 * written rarely, far within one partition's limits); a proposal's
 * ranked entries in pages of 200, each page under its own partition (GetItem by page number; the
 * header says how many). Call-level
 * work (the round's panels, the experts' emails, the award's decisions) is cut into batch tasks
 * (TASK# items, kind batch) that the request starts and the sweep finishes; an application's
 * obligations (Query PK APP#<id>, begins_with OBLIGATION#), a unit's (Query GSI1 UNIT#<unitId>,
 * begins_with OBLIGATION#<callId>#: its standing in the next call), and a call's overdue ones
 * (Query GSI2 OBLIGATIONS#<callId>#00..15, GSI2SK < now); each version of a report (GetItem by its
 * number, which the obligation counts: never under the obligation's item, which would grow with each). The
 * slots item holds `total` and `type_<typeId>` counters that submission increments inside a
 * transaction with conditions, which is how the per-unit limits hold under concurrency. No request
 * path scans.
 */
export class ApplicationTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'ttl',
      removalPolicy: RemovalPolicy.RETAIN,
      // Every application and its history lives here: neither a stack update nor a console click deletes it.
      deletionProtection: true,
    });
    for (const indexName of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: `${indexName}PK`, type: AttributeType.STRING },
        sortKey: { name: `${indexName}SK`, type: AttributeType.STRING },
      });
    }
  }
}
