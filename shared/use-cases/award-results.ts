import { getProjectType, requireCall, type Call } from '@shared/domain/catalogue';
import { spreadsheetCsv } from '@shared/domain/csv';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { displayScore } from '@shared/domain/scoring';
import {
  getCallRecord,
  getProposalHeader,
  proposalPages,
  updateCallRecord,
} from '@shared/adapters/dynamodb/review-items';
import {
  PAGE,
  topEntries,
  type AwardRecord,
  type ProposalEntry,
  type ProposalHeader,
} from '@shared/use-cases/award-records';

/** `POST /calls/{callId}/results/publish` (staff): the confirmed results become public. */
export async function publishResults(callId: string, caller: Caller, at: Date = now()) {
  const staff = requireStaff(caller);
  requireCall(callId);
  const award = await getCallRecord<AwardRecord>(callId, 'award');
  if (!award?.confirmedVersion) throw new DomainError('STAGE_NOT_READY', 'The award has not been confirmed yet', []);
  if (!award.published)
    await updateCallRecord(callId, 'award', {
      published: true,
      publishedAt: toBeijingIso(at),
      publishedBy: staff.subject,
    });
  const current = await getCallRecord<AwardRecord>(callId, 'award');
  return { callId, published: true, publishedAt: current?.publishedAt };
}

export interface ResultRow {
  projectTypeId: string;
  type: string;
  rank: number;
  unitId: string;
  unit: string;
  title: string;
  score: string;
  /** what the application's budget asked for */
  requestedCny: number;
  /** what it is awarded (never more than requested); 0 when not awarded */
  amountCny: number;
  awarded: boolean;
}

/** Rows of the staff's results per page (25 stored pages of the proposal): about 1 MB of JSON, well inside a Lambda's answer. */
export const RESULTS_PAGE = 25 * PAGE;

/**
 * `GET /calls/{callId}/results`: staff see every ranked application once the award is confirmed,
 * RESULTS_PAGE rows at a time (`?page=2`…; one page for any call this province runs); anyone sees
 * the awarded ones once staff have published them. As JSON, or CSV (UTF-8 with a byte order mark,
 * so Excel opens the Chinese text correctly).
 */
export async function callResults(callId: string, caller: Caller, page: unknown = '1') {
  const call = requireCall(callId);
  const award = await getCallRecord<AwardRecord>(callId, 'award');
  const forStaff = caller.kind === 'staff';
  if (!award?.confirmedVersion || (!forStaff && !award.published)) {
    if (!forStaff && caller.kind === 'anonymous' && !award?.published) throw notFound('Published results');
    if (!forStaff) throw notFound('Published results');
    throw new DomainError('STAGE_NOT_READY', 'The award has not been confirmed yet', []);
  }
  const header = await getProposalHeader<ProposalHeader>(callId, award.confirmedVersion);
  if (!header) throw notFound('Proposal');
  const ranked = header.types.reduce((n, t) => n + t.ranked, 0);
  const pages = Math.max(1, Math.ceil(ranked / RESULTS_PAGE));
  const wanted = requirePageNumber(page, pages);
  const entries = forStaff
    ? await staffPageEntries(callId, award.confirmedVersion, wanted, ranked)
    : await publicEntries(callId, header);
  return {
    callId,
    confirmedAt: award.confirmedAt,
    published: award.published === true,
    publishedAt: award.publishedAt,
    rows: entries.map((entry) => resultRow(call, entry)),
    ...(forStaff ? { page: wanted, pages } : {}),
  };
}

function requirePageNumber(page: unknown, pages: number): number {
  const wanted = Number(page);
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > pages) {
    throw new DomainError('VALIDATION_FAILED', `page must be a whole number from 1 to ${pages}`, [
      { path: 'query.page', code: 'INVALID_VALUE', message: `1 to ${pages}` },
    ]);
  }
  return wanted;
}

/** The entries of one results page: the stored pages (of PAGE entries) it spans. */
async function staffPageEntries(
  callId: string,
  version: number,
  wanted: number,
  ranked: number,
): Promise<ProposalEntry[]> {
  const entries: ProposalEntry[] = [];
  const first = (wanted - 1) * (RESULTS_PAGE / PAGE);
  const end = Math.min(first + RESULTS_PAGE / PAGE, Math.ceil(ranked / PAGE));
  for await (const stored of proposalPages<ProposalEntry>(callId, version, first, end)) entries.push(...stored);
  return entries;
}

/** The public list: each type's awarded ones, at the top of its ranking (only the pages holding them are read). */
async function publicEntries(callId: string, header: ProposalHeader): Promise<ProposalEntry[]> {
  return [...(await topEntries(callId, header, (t) => t.awarded)).values()].flat().filter((entry) => entry.awarded);
}

function resultRow(call: Call, entry: ProposalEntry): ResultRow {
  return {
    projectTypeId: entry.typeId,
    type: getProjectType(call, entry.typeId)?.name.zh ?? entry.typeId,
    rank: entry.rank,
    unitId: entry.unitId,
    unit: entry.unitName,
    title: entry.title,
    score: displayScore(entry.score),
    requestedCny: entry.requestedCny,
    amountCny: entry.amountCny,
    awarded: entry.awarded,
  };
}

const CSV_COLUMNS: { key: keyof ResultRow; header: string }[] = [
  { key: 'type', header: '项目类型 Type' },
  { key: 'rank', header: '排名 Rank' },
  { key: 'unit', header: '申报单位 Unit' },
  { key: 'title', header: '项目名称 Title' },
  { key: 'score', header: '评审得分 Score' },
  { key: 'requestedCny', header: '申请金额（元）Requested (CNY)' },
  { key: 'amountCny', header: '资助金额（元）Amount (CNY)' },
  { key: 'awarded', header: '是否立项 Awarded' },
];

/** The results as CSV text with a BOM. */
export function resultsCsv(rows: ResultRow[]): string {
  return spreadsheetCsv(
    rows.map((row) => ({ ...row, awarded: row.awarded ? '是 yes' : '否 no' })),
    CSV_COLUMNS,
  );
}
