import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import type { ApplicationStatus } from '@shared/domain/application-record';
import type { ShardPage } from '@shared/domain/application-listing/merge';
import {
  APPLICATION_STATUS_SHARDS,
  applicationStatusPartition,
  applicationStatusPrefix,
  applicationStatusStartKey,
  GSI1,
  GSI2,
  unitApplicationsQuery,
  unitKey,
} from '@shared/adapters/dynamodb/keys';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import { table } from '@shared/adapters/dynamodb/table-name';

/**
 * Staff's views of a call's applications: a page of rows, and the counts of the overview. Both read
 * index entries with a ProjectionExpression, so the form (up to 250 KB) is never sent back whole.
 * (The read units are those of the whole entries, which the indexes project in full: a projection
 * saves transfer and memory, not capacity.)
 */

/** An application as a listing row needs it; `key` is the index sort key it was read at. */
export interface ListedApplication {
  key: string;
  applicationId: string;
  unitId: string;
  projectTypeId: string;
  title: string;
  status: ApplicationStatus;
  createdAt: string;
  updatedAt?: string;
  /** the unit's name as the record fixed it when scored, when it was */
  unitName?: string;
}

const ROW_NAMES = {
  '#applicationId': 'applicationId',
  '#unitId': 'unitId',
  '#projectTypeId': 'projectTypeId',
  '#form': 'form',
  '#title': 'title',
  '#status': 'status',
  '#createdAt': 'createdAt',
  '#updatedAt': 'updatedAt',
  '#rankInput': 'rankInput',
  '#unitName': 'unitName',
};
const ROW_PROJECTION =
  '#applicationId, #unitId, #projectTypeId, #form.#title, #status, #createdAt, #updatedAt, #rankInput.#unitName';

function listed(item: Record<string, unknown>, key: string): ListedApplication {
  const form = item.form as { title?: string } | undefined;
  const rank = item.rankInput as { unitName?: string } | undefined;
  return {
    key,
    applicationId: String(item.applicationId),
    unitId: String(item.unitId),
    projectTypeId: String(item.projectTypeId),
    title: form?.title ?? '',
    status: item.status as ApplicationStatus,
    createdAt: String(item.createdAt),
    ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
    ...(rank?.unitName ? { unitName: rank.unitName } : {}),
  };
}

export interface ListingFilter {
  typeId?: string;
  /** text the title contains */
  q?: string;
}

function filterOf(filter: ListingFilter) {
  const terms: string[] = [];
  const values: Record<string, string> = {};
  if (filter.typeId !== undefined) {
    terms.push('#projectTypeId = :typeId');
    values[':typeId'] = filter.typeId;
  }
  if (filter.q !== undefined) {
    terms.push('contains(#form.#title, :q)');
    values[':q'] = filter.q;
  }
  return terms.length ? { FilterExpression: terms.join(' AND '), values } : { values };
}

/**
 * One read of one shard of the status index for one call: up to `limit` entries evaluated after
 * `after` (a sort key), those matching the filter returned, and the last key evaluated when the
 * shard has more (a read that matched nothing still moves on).
 */
export async function readStatusShard(
  callId: string,
  status: ApplicationStatus,
  shard: number,
  page: { after?: string; limit: number; newestFirst: boolean; filter: ListingFilter },
): Promise<ShardPage<ListedApplication>> {
  const { FilterExpression, values } = filterOf(page.filter);
  const result = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      IndexName: GSI2,
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :call)',
      ...(FilterExpression ? { FilterExpression } : {}),
      ProjectionExpression: `${ROW_PROJECTION}, #sk`,
      ExpressionAttributeNames: { ...ROW_NAMES, '#sk': 'GSI2SK' },
      ExpressionAttributeValues: {
        ':pk': applicationStatusPartition(status, shard),
        ':call': applicationStatusPrefix(callId),
        ...values,
      },
      ScanIndexForward: !page.newestFirst,
      Limit: page.limit,
      ...(page.after ? { ExclusiveStartKey: applicationStatusStartKey(status, shard, page.after) } : {}),
    }),
  );
  const next = result.LastEvaluatedKey?.GSI2SK;
  return {
    rows: (result.Items ?? []).map((item) => listed(item, String(item.GSI2SK))),
    ...(typeof next === 'string' ? { next } : {}),
    evaluated: result.ScannedCount ?? 0,
  };
}

/** A unit's applications in a call (a few: the call's limit per unit), as listing rows. */
export async function listUnitCallRows(unitId: string, callId: string): Promise<ListedApplication[]> {
  const query = unitApplicationsQuery(unitId, callId);
  const rows: ListedApplication[] = [];
  for await (const page of queryPages({
    TableName: table(),
    IndexName: GSI1,
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
    ProjectionExpression: ROW_PROJECTION,
    ExpressionAttributeNames: ROW_NAMES,
    ExpressionAttributeValues: { ':pk': query.partition, ':prefix': query.prefix },
  })) {
    for (const item of page.Items ?? [])
      rows.push(listed(item, `${String(item.createdAt)}#${String(item.applicationId)}`));
  }
  return rows;
}

/** Units' names (Chinese), one small GetItem each, read at once; a unit without a profile is left out. */
export async function unitNames(unitIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    [...new Set(unitIds)].map(async (unitId) => {
      const result = await dynamo().send(
        new GetCommand({
          TableName: table(),
          Key: unitKey(unitId),
          ProjectionExpression: '#name',
          ExpressionAttributeNames: { '#name': 'name' },
        }),
      );
      const name = (result.Item?.name as { zh?: string } | undefined)?.zh;
      if (name) names.set(unitId, name);
    }),
  );
  return names;
}

/** One status's applications in a call, counted: in all, per project type, and those without a paper copy. */
export interface StatusCount {
  total: number;
  byType: Record<string, number>;
  withoutPaperCopy: number;
}

/**
 * Counts a call's applications in each of `statuses` from the status index: every entry is read
 * once, only its type and paper copy projected, the 16 shards of a status at once. The cost grows
 * with the call (see the overview's use case for what it reads at 300,000 applications).
 */
export async function countCallApplications(
  callId: string,
  statuses: readonly ApplicationStatus[],
): Promise<Record<string, StatusCount>> {
  const counts: Record<string, StatusCount> = {};
  for (const status of statuses) {
    const count: StatusCount = { total: 0, byType: {}, withoutPaperCopy: 0 };
    await Promise.all(
      Array.from({ length: APPLICATION_STATUS_SHARDS }, async (_, shard) => {
        for await (const page of queryPages({
          TableName: table(),
          IndexName: GSI2,
          KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :call)',
          ProjectionExpression: '#projectTypeId, #paperCopy',
          ExpressionAttributeNames: { '#projectTypeId': 'projectTypeId', '#paperCopy': 'paperCopy' },
          ExpressionAttributeValues: {
            ':pk': applicationStatusPartition(status, shard),
            ':call': applicationStatusPrefix(callId),
          },
        })) {
          for (const item of page.Items ?? []) {
            const typeId = String(item.projectTypeId);
            count.total++;
            count.byType[typeId] = (count.byType[typeId] ?? 0) + 1;
            if (item.paperCopy === undefined) count.withoutPaperCopy++;
          }
        }
      }),
    );
    counts[status] = count;
  }
  return counts;
}
