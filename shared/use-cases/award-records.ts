import type { Bilingual } from '@shared/domain/catalogue';
import type { RankedEntry, TypeRanking } from '@shared/domain/award-ranking';
import { getProposalHeader, getProposalPage, proposalPages } from '@shared/adapters/dynamodb/review-items';

/**
 * What the award stores, shared by its proposal, its confirmation and its results: the call's award
 * record, and each proposal as a header with its ranked entries in pages of PAGE.
 */

/** The call's award record. */
export interface AwardRecord {
  latestVersion?: number;
  confirmedVersion?: number;
  confirmedAt?: string;
  confirmedBy?: string;
  decisionBatches?: string[];
  /** the job of the confirmed award's decisions (`GET /jobs/{jobId}`) */
  decisionJob?: string;
  /** the job making the newest proposal (running, done or failed) */
  proposalJob?: string;
  published?: boolean;
  publishedAt?: string;
  publishedBy?: string;
  revisions?: Record<string, { reasons: string[]; at: string }>;
}

export interface TypeSummary {
  typeId: string;
  typeName: Bilingual;
  quota: number;
  awarded: number;
  unfilled: number;
  ranked: number;
  notScored: TypeRanking['notScored'];
}

export interface ProposalHeader {
  callId: string;
  version: number;
  proposedAt: string;
  proposedBy: string;
  taskId: string;
  types: TypeSummary[];
  totalCny: number;
}

/** One ranked application of a proposal, as stored in its pages. */
export interface ProposalEntry extends RankedEntry {
  typeId: string;
  ofCount: number;
  quota: number;
  unitName: string;
}

export const PAGE = 200;
/**
 * How many places below each type's quota the proposal shows (its answer and the department head's
 * page): the awarded ones and the next ones are what a decision weighs. A national funder's call ranks
 * hundreds of thousands, which no page or Lambda answer (6 MB) holds: the whole ranking is in the
 * results once confirmed (`GET /calls/{callId}/results`, page by page).
 */
export const SHOWN_BELOW_THE_CUT = 10;
export const shownOf = (t: { quota: number; ranked: number }) => Math.min(t.ranked, t.quota + SHOWN_BELOW_THE_CUT);

/**
 * A proposal as staff read it, from its header and the entries shown of each type (at most `shownOf`):
 * the answer of `POST /calls/{callId}/award-proposal` and of `GET` on the same path. Fields are
 * picked, not spread: the stored header also carries its page count, which is storage, not the proposal.
 */
export function proposalAnswer(header: ProposalHeader, shown: (t: TypeSummary) => ProposalEntry[]) {
  return {
    callId: header.callId,
    version: header.version,
    proposedAt: header.proposedAt,
    proposedBy: header.proposedBy,
    taskId: header.taskId,
    types: header.types.map((t) => ({ ...t, entries: shown(t).slice(0, shownOf(t)) })),
    totalCny: header.totalCny,
  };
}

/** `items` cut into slices of PAGE, as they are stored (proposal pages) or queued (decision batches). */
export const pagesOf = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / PAGE) }, (_, i) => items.slice(i * PAGE, (i + 1) * PAGE));

/** The first `countOf(type)` entries of each type, read from only the stored pages that hold them. */
export async function topEntries(
  callId: string,
  header: ProposalHeader,
  countOf: (t: TypeSummary) => number,
): Promise<Map<string, ProposalEntry[]>> {
  let offset = 0;
  const ranges = header.types.map((t) => {
    const range = { typeId: t.typeId, start: offset, end: offset + Math.min(t.ranked, countOf(t)) };
    offset += t.ranked;
    return range;
  });
  const wanted = new Set<number>();
  for (const { start, end } of ranges)
    for (let i = start; i < end; i += PAGE - (i % PAGE)) wanted.add(Math.floor(i / PAGE));
  const pages = new Map(
    await Promise.all(
      [...wanted].map(
        async (page) => [page, await getProposalPage<ProposalEntry>(callId, header.version, page)] as const,
      ),
    ),
  );
  return new Map(
    ranges.map(({ typeId, start, end }) => [
      typeId,
      Array.from(
        { length: end - start },
        (_, k) => pages.get(Math.floor((start + k) / PAGE))?.[(start + k) % PAGE],
      ).filter((entry): entry is ProposalEntry => entry !== undefined),
    ]),
  );
}

/** Every entry of a stored proposal, in rank order. */
export async function proposalEntries(callId: string, version: number): Promise<ProposalEntry[]> {
  const header = await getProposalHeader<ProposalHeader & { pages: number }>(callId, version);
  const entries: ProposalEntry[] = [];
  for await (const page of proposalPages<ProposalEntry>(callId, version, 0, header?.pages ?? 0)) entries.push(...page);
  return entries;
}
