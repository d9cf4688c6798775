import type { Bilingual } from '../i18n';
import type { Job } from './job-progress';

/** One ranked application of a proposal (`POST /calls/{callId}/award-proposal`). */
export interface ProposalEntry {
  applicationId: string;
  unitId: string;
  unitName: string;
  title: string;
  rank: number;
  score: number;
  awarded: boolean;
  requestedCny: number;
  amountCny: number;
  tieBreak?: { with: string[]; by: string; reason: Bilingual };
}

export interface ProposalType {
  typeId: string;
  typeName: Bilingual;
  quota: number;
  awarded: number;
  unfilled: number;
  ranked: number;
  notScored: Array<{ applicationId: string; reason: string }>;
  entries: ProposalEntry[];
}

export interface Proposal {
  callId: string;
  version: number;
  proposedAt: string;
  totalCny: number;
  types: ProposalType[];
}

/**
 * The latest proposal as `GET /calls/{callId}/award-proposal` gives it: waiting for the department
 * head, confirmed, or sent back with the head's reasons; with `job` while a new one is being made (or
 * why it failed) and `decisionJob` once the confirmed award's decisions are carried out. Before the
 * first proposal is made, only its job.
 */
export type StoredProposal =
  | (Proposal & {
      state: 'PROPOSED' | 'CONFIRMED' | 'REVISION_ASKED';
      revision?: { reasons: string[]; at: string };
      confirmedAt?: string;
      job?: Job;
      decisionJob?: Job;
    })
  | { callId: string; state: 'PROPOSING' | 'PROPOSAL_FAILED'; job: Job; decisionJob?: undefined };

/** A proposal that has been made (as opposed to one still being made). */
export const isMade = (p: StoredProposal | undefined): p is Extract<StoredProposal, { version: number }> =>
  p !== undefined && 'version' in p;

/** `GET /calls/{callId}/results` (staff, once confirmed). */
export interface Results {
  callId: string;
  confirmedAt?: string;
  published: boolean;
  publishedAt?: string;
  rows: Array<{
    projectTypeId: string;
    type: string;
    rank: number;
    unit: string;
    title: string;
    score: string;
    requestedCny: number;
    amountCny: number;
    awarded: boolean;
  }>;
  page: number;
  pages: number;
}
