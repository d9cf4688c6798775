import { requireCall } from '@shared/domain/catalogue';
import { notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { getCallRecord, getProposalHeader } from '@shared/adapters/dynamodb/review-items';
import { jobViewOf } from '@shared/use-cases/jobs';
import {
  proposalAnswer,
  shownOf,
  topEntries,
  type AwardRecord,
  type ProposalHeader,
} from '@shared/use-cases/award-records';

/**
 * Where the latest proposal stands: waiting for the department head, confirmed, or sent back; or,
 * before the first is made, its job running (PROPOSING) or failed (PROPOSAL_FAILED).
 */
export type ProposalState = 'PROPOSED' | 'CONFIRMED' | 'REVISION_ASKED' | 'PROPOSING' | 'PROPOSAL_FAILED';

/**
 * `GET /calls/{callId}/award-proposal` (staff): the latest proposal as its POST answered it, with
 * where it stands. Staff otherwise saw a proposal only in the answer that made it, and never learnt
 * from the API that the head had sent it back, or why. With `job`, the proposal job when one is
 * running or failed (a new proposal on its way, or why it did not come); with `decisionJob`, the
 * confirmed award's decisions.
 */
export async function readLatestProposal(callId: string, caller: Caller) {
  requireStaff(caller);
  requireCall(callId);
  const award = (await getCallRecord<AwardRecord>(callId, 'award')) ?? {};
  const [header, proposalJob, decisionJob] = await Promise.all([
    latestHeader(callId, award.latestVersion ?? 0),
    jobViewOf(award.proposalJob),
    jobViewOf(award.decisionJob),
  ]);
  const job = proposalJob?.state === 'DONE' ? undefined : proposalJob;
  const jobs = { ...(job ? { job } : {}), ...(decisionJob ? { decisionJob } : {}) };
  if (!header) {
    if (!job) throw notFound(`An award proposal of ${callId}`);
    return { callId, state: (job.state === 'FAILED' ? 'PROPOSAL_FAILED' : 'PROPOSING') as ProposalState, job };
  }
  const shown = await topEntries(callId, header, shownOf);
  return { ...proposalAnswer(header, (t) => shown.get(t.typeId) ?? []), ...stateOf(award, header.version), ...jobs };
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
