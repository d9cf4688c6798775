import { requireCall } from '@shared/domain/catalogue';
import { notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { getCallRecord, getProposalHeader } from '@shared/adapters/dynamodb/review-items';
import {
  proposalAnswer,
  shownOf,
  topEntries,
  type AwardRecord,
  type ProposalHeader,
} from '@shared/use-cases/award-records';

/** Where the latest proposal stands: waiting for the department head, confirmed, or sent back. */
export type ProposalState = 'PROPOSED' | 'CONFIRMED' | 'REVISION_ASKED';

/**
 * `GET /calls/{callId}/award-proposal` (staff): the latest proposal as its POST answered it, with
 * where it stands. Staff otherwise saw a proposal only in the answer that made it, and never learnt
 * from the API that the head had sent it back, or why.
 */
export async function readLatestProposal(callId: string, caller: Caller) {
  requireStaff(caller);
  requireCall(callId);
  const award = (await getCallRecord<AwardRecord>(callId, 'award')) ?? {};
  const header = await latestHeader(callId, award.latestVersion ?? 0);
  if (!header) throw notFound(`An award proposal of ${callId}`);
  const shown = await topEntries(callId, header, shownOf);
  return { ...proposalAnswer(header, (t) => shown.get(t.typeId) ?? []), ...stateOf(award, header.version) };
}

/**
 * The newest stored header. A proposal's version is claimed before its header is written, so for a
 * moment the claimed version has none: the one before it is then still the latest there is.
 */
async function latestHeader(callId: string, version: number): Promise<ProposalHeader | undefined> {
  if (version < 1) return undefined;
  const header = await getProposalHeader<ProposalHeader>(callId, version);
  return header ?? (version > 1 ? getProposalHeader<ProposalHeader>(callId, version - 1) : undefined);
}

function stateOf(award: AwardRecord, version: number) {
  if (award.confirmedVersion === version)
    return { state: 'CONFIRMED' as ProposalState, ...(award.confirmedAt ? { confirmedAt: award.confirmedAt } : {}) };
  const revision = award.revisions?.[`v${version}`];
  if (revision) return { state: 'REVISION_ASKED' as ProposalState, revision };
  return { state: 'PROPOSED' as ProposalState };
}
