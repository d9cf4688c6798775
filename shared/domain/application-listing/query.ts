import { APPLICATION_STATUSES, type ApplicationStatus } from '@shared/domain/application-record';
import { DomainError, type FieldDetail } from '@shared/domain/errors';
import { fieldDetails } from '@shared/domain/field-details';
import { STAGE_GROUP_IDS, statusesOfStage, type StageGroupId } from '@shared/domain/status-stages';
import * as z from '@shared/domain/zod';
import { decodeCursor, listingFingerprint, readsAsCursor, type ListingCursor } from './cursor';

/** What `GET /calls/{callId}/applications` was asked for, checked. */
export interface ListingQuery {
  /** the statuses read, in this order */
  statuses: readonly ApplicationStatus[];
  unitId?: string;
  typeId?: string;
  q?: string;
  newestFirst: boolean;
  limit: number;
  cursor?: ListingCursor;
  /** what a cursor of this listing carries, so it is not used with other filters */
  fingerprint: string;
}

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

const wholeNumber = (text: string) => /^[0-9]{1,3}$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_LIMIT;
const refined = (check: (text: string) => boolean, message: string) =>
  z.optional(z.string().check(z.refine(check, { message, params: { code: 'INVALID_VALUE' } })));

const QuerySchema = z.object({
  status: z.optional(z.enum(APPLICATION_STATUSES as [ApplicationStatus, ...ApplicationStatus[]])),
  stage: z.optional(z.enum(STAGE_GROUP_IDS as [StageGroupId, ...StageGroupId[]])),
  unitId: refined((t) => /^[A-Za-z0-9_-]{1,100}$/.test(t), 'must be a unit id'),
  typeId: z.optional(z.string()),
  q: refined((t) => t.trim().length >= 1 && t.length <= 200, 'must be 1–200 characters of the title'),
  order: z.optional(z.enum(['newest', 'oldest'])),
  limit: refined(wholeNumber, `must be a whole number from 1 to ${MAX_LIMIT}`),
  cursor: z.optional(z.string()),
});

/** Every bad parameter named (`query.<name>`), as the API's VALIDATION_FAILED contract lists them. */
export function parseListingQuery(
  callId: string,
  query: Record<string, string | undefined>,
  typeIds: readonly string[],
  shardCount: number,
): ListingQuery {
  const parsed = QuerySchema.safeParse(query);
  const details: FieldDetail[] = parsed.success ? [] : fieldDetails(parsed.error.issues, ['query'], 'the query');
  if (query.status !== undefined && query.stage !== undefined)
    for (const name of ['status', 'stage'])
      details.push({
        path: `query.${name}`,
        code: 'CONFLICT',
        message: `query.${name}: give status or stage, not both`,
      });
  if (query.typeId !== undefined && !typeIds.includes(query.typeId))
    details.push({
      path: 'query.typeId',
      code: 'INVALID_VALUE',
      message: 'query.typeId is not a project type of the call',
    });
  if (!parsed.success || details.length > 0) {
    if (typeof query.cursor === 'string' && !readsAsCursor(query.cursor))
      details.push(badCursor('is not a cursor this listing gave'));
    throw invalid(details);
  }
  const listing = listingOf(parsed.data);
  if (parsed.data.cursor === undefined) return listing;
  const unitMode = listing.unitId !== undefined;
  const { fingerprint, statuses } = listing;
  const cursor = decodeCursor(parsed.data.cursor, { callId, fingerprint, unitMode, statuses, shardCount });
  if ('invalid' in cursor) throw invalid([badCursor(cursor.invalid)]);
  return { ...listing, cursor };
}

function listingOf(q: z.infer<typeof QuerySchema>): ListingQuery {
  const statuses = q.status ? [q.status] : q.stage ? statusesOfStage(q.stage) : APPLICATION_STATUSES;
  const text = q.q?.trim();
  const newestFirst = (q.order ?? 'newest') === 'newest';
  const fingerprint = listingFingerprint([q.order ?? 'newest', q.status, q.stage, q.unitId, q.typeId, text]);
  return {
    statuses,
    ...(q.unitId ? { unitId: q.unitId } : {}),
    ...(q.typeId ? { typeId: q.typeId } : {}),
    ...(text ? { q: text } : {}),
    newestFirst,
    limit: q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit),
    fingerprint,
  };
}

const badCursor = (why: string): FieldDetail => ({
  path: 'query.cursor',
  code: 'INVALID_CURSOR',
  message: `query.cursor ${why}`,
});

const invalid = (details: FieldDetail[]) =>
  new DomainError('VALIDATION_FAILED', `The listing has ${details.length} invalid parameter(s)`, details);
