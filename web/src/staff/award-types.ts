import type { Bilingual } from '../i18n';

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
 * head, confirmed, or sent back with the head's reasons.
 */
export interface StoredProposal extends Proposal {
  state: 'PROPOSED' | 'CONFIRMED' | 'REVISION_ASKED';
  revision?: { reasons: string[]; at: string };
  confirmedAt?: string;
}

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
