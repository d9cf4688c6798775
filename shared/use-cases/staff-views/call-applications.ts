import { type Call, getProjectType, requireCall } from '@shared/domain/catalogue';
import { encodeCursor } from '@shared/domain/application-listing/cursor';
import { pageInMemory, readMergedPage } from '@shared/domain/application-listing/merge';
import { parseListingQuery, type ListingQuery } from '@shared/domain/application-listing/query';
import type { ApplicationRow } from '@shared/domain/application-listing/row';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { APPLICATION_STATUS_SHARDS } from '@shared/adapters/dynamodb/keys';
import {
  listUnitCallRows,
  readStatusShard,
  unitNames,
  type ListedApplication,
} from '@shared/adapters/dynamodb/application-listing';

/**
 * `GET /calls/{callId}/applications` (staff): a page of the call's applications, filtered, with an
 * opaque cursor to the next. Never the whole call in memory, never a Scan: with a unit, its few
 * applications (GSI1); otherwise the status index, shard by shard (shared/domain/application-listing).
 * A row whose application changes status between two pages may show on both or on neither: a
 * listing of a moving call, not a snapshot.
 */
export async function listCallApplications(callId: string, caller: Caller, query: Record<string, string>) {
  requireStaff(caller);
  const call = requireCall(callId);
  const typeIds = call.projectTypes.map((t) => t.typeId);
  const listing = parseListingQuery(callId, query, typeIds, APPLICATION_STATUS_SHARDS);
  const page = listing.unitId ? await unitPage(callId, listing.unitId, listing) : await statusPage(callId, listing);
  return {
    callId,
    applications: await rowsOf(call, page.rows),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

async function unitPage(callId: string, unitId: string, listing: ListingQuery) {
  const offset = listing.cursor?.mode === 'unit' ? listing.cursor.offset : 0;
  const matching = (await listUnitCallRows(unitId, callId)).filter(
    (row) =>
      (listing.typeId === undefined || row.projectTypeId === listing.typeId) &&
      (listing.q === undefined || row.title.includes(listing.q)),
  );
  const page = pageInMemory(matching, listing.statuses, listing.newestFirst, { offset, limit: listing.limit });
  const cursor =
    page.nextOffset === undefined
      ? undefined
      : encodeCursor({ mode: 'unit', offset: page.nextOffset }, callId, listing.fingerprint);
  return { rows: page.rows, cursor };
}

async function statusPage(callId: string, listing: ListingQuery) {
  const { newestFirst, typeId, q } = listing;
  const page = await readMergedPage<ListedApplication>({
    statuses: listing.statuses,
    ...(listing.cursor?.mode === 'status' ? { from: listing.cursor.position } : {}),
    limit: listing.limit,
    newestFirst,
    shardCount: APPLICATION_STATUS_SHARDS,
    read: (status, shard, after, limit) =>
      readStatusShard(callId, status, shard, { after, limit, newestFirst, filter: { typeId, q } }),
  });
  const cursor = page.next
    ? encodeCursor({ mode: 'status', position: page.next }, callId, listing.fingerprint)
    : undefined;
  return { rows: page.rows, cursor };
}

/**
 * Unit names read lately, by unit: one page after another names the same few hundred societies, and
 * a warm function need not read each profile again for every page. A rename shows within minutes.
 */
const NAME_TTL_MS = 5 * 60_000;
const recentNames = new Map<string, { name: string; readAt: number }>();

async function namesOf(unitIds: string[]): Promise<Map<string, string>> {
  const at = Date.now();
  const stale = unitIds.filter((unitId) => (recentNames.get(unitId)?.readAt ?? 0) < at - NAME_TTL_MS);
  for (const [unitId, name] of await unitNames(stale)) recentNames.set(unitId, { name, readAt: at });
  return new Map(
    unitIds.flatMap((unitId) => {
      const known = recentNames.get(unitId);
      return known ? [[unitId, known.name] as const] : [];
    }),
  );
}

/**
 * The rows as staff read them: the type's name from the call; the unit's as the record fixed it when
 * it was scored (the form has no field of its own for it), else from the unit's profile.
 */
async function rowsOf(call: Call, listed: ListedApplication[]): Promise<ApplicationRow[]> {
  const names = await namesOf(listed.filter((row) => !row.unitName).map((row) => row.unitId));
  return listed.map((row) => ({
    applicationId: row.applicationId,
    unitId: row.unitId,
    unitName: row.unitName ?? names.get(row.unitId) ?? row.unitId,
    projectTypeId: row.projectTypeId,
    typeName: getProjectType(call, row.projectTypeId)?.name ?? { zh: row.projectTypeId, en: row.projectTypeId },
    title: row.title,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt ?? row.createdAt,
  }));
}
