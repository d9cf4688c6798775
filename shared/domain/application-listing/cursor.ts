import { APPLICATION_STATUSES, type ApplicationStatus } from '@shared/domain/application-record';
import * as z from '@shared/domain/zod';
import type { MergePosition, ShardCursor } from './merge';

/**
 * The opaque cursor of `GET /calls/{callId}/applications`: base64url of a small JSON. A unit's
 * listing (a handful of rows, paged in memory) carries an offset; the call's listing carries, for
 * the status it is in, each shard's last returned sort key (without the `<callId>#` every key starts
 * with) and the shards read to their end. `f` fingerprints the filters and order it was made for, so
 * a cursor used with other filters is refused rather than silently skipping rows. It is not a secret:
 * whatever a caller changes in it can only name positions in this call's own index, and every part
 * is checked before a key is built from it.
 */
export type ListingCursor = { mode: 'unit'; offset: number } | { mode: 'status'; position: MergePosition };

const MAX_CURSOR_CHARS = 4000;
const MAX_OFFSET = 1000;
/** `<createdAt>#<applicationId>`: a Beijing (or UTC) ISO instant and an id. */
const KEY_SUFFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})#[A-Za-z0-9_-]{1,80}$/;

const Wire = z.union([
  z.strictObject({ v: z.literal(1), f: z.string(), o: z.int().check(z.gte(0), z.lte(MAX_OFFSET)) }),
  z.strictObject({
    v: z.literal(1),
    f: z.string(),
    s: z.enum(APPLICATION_STATUSES as [ApplicationStatus, ...ApplicationStatus[]]),
    a: z.record(z.string().check(z.regex(/^(0|[1-9][0-9]?)$/)), z.string().check(z.regex(KEY_SUFFIX))),
    d: z.array(z.int().check(z.gte(0))),
  }),
]);

/** A short, stable fingerprint of what a listing was asked for (FNV-1a). */
export function listingFingerprint(parts: readonly (string | undefined)[]): string {
  const text = JSON.stringify(parts);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

export function encodeCursor(cursor: ListingCursor, callId: string, fingerprint: string): string {
  if (cursor.mode === 'unit')
    return Buffer.from(JSON.stringify({ v: 1, f: fingerprint, o: cursor.offset })).toString('base64url');
  const prefix = `${callId}#`;
  const a: Record<string, string> = {};
  const d: number[] = [];
  cursor.position.shards.forEach((shard, i) => {
    if (shard.done) d.push(i);
    else if (shard.after !== undefined) a[String(i)] = shard.after.slice(prefix.length);
  });
  const wire = { v: 1, f: fingerprint, s: cursor.position.status, a, d };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

export interface CursorContext {
  callId: string;
  fingerprint: string;
  /** a unit's listing (offset) or the call's (status index) */
  unitMode: boolean;
  statuses: readonly ApplicationStatus[];
  shardCount: number;
}

function parseWire(text: string): z.infer<typeof Wire> | undefined {
  if (text.length === 0 || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const parsed = Wire.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the text reads as a cursor at all (checked even when other parameters are wrong). */
export const readsAsCursor = (text: string) => parseWire(text) !== undefined;

/** The cursor, or why it cannot be one (garbled, tampered with, or made for another listing). */
export function decodeCursor(text: string, context: CursorContext): ListingCursor | { invalid: string } {
  const wire = parseWire(text);
  if (!wire) return { invalid: 'is not a cursor this listing gave' };
  if (wire.f !== context.fingerprint) return { invalid: 'was made for other filters or another order' };
  if ('o' in wire)
    return context.unitMode ? { mode: 'unit', offset: wire.o } : { invalid: 'belongs to a unit’s listing' };
  if (context.unitMode) return { invalid: 'belongs to the call’s listing, not a unit’s' };
  if (!context.statuses.includes(wire.s)) return { invalid: `names a status outside this listing` };
  const shards: ShardCursor[] = Array.from({ length: context.shardCount }, () => ({}));
  for (const [shard, suffix] of Object.entries(wire.a)) {
    if (Number(shard) >= context.shardCount) return { invalid: 'names a shard that does not exist' };
    shards[Number(shard)] = { after: `${context.callId}#${suffix}` };
  }
  for (const shard of new Set(wire.d)) {
    if (shard >= context.shardCount || shards[shard].after !== undefined) return { invalid: 'names a shard twice' };
    shards[shard] = { done: true };
  }
  return { mode: 'status', position: { status: wire.s, shards } };
}
