import type { ApplicationForm } from './application-form';
import type { Bilingual } from './catalogue';

/** What the award ranking reads and what it returns (award-ranking.ts). */

export interface RankCandidate {
  applicationId: string;
  unitId: string;
  title: string;
  projectTypeId: string;
  /** ISO 8601 instant with an offset */
  submittedAt: string;
  requestedCny: number;
  /** the form, whose 同等条件下优先 criteria are read when `prioritiesMet` is not given */
  form?: ApplicationForm;
  /** the type's criteria (ids) the form was seen to meet (prioritiesMetOn), read once when it was scored */
  prioritiesMet?: readonly string[];
  /** each expert's weighted total (0–100) */
  totals: number[];
}

export type TieBreakBy = 'priority' | 'spread' | 'submission';

export interface TieBreak {
  /** the application(s) this tie-break separated this one from: its neighbour in the tied group */
  with: string[];
  by: TieBreakBy;
  reason: Bilingual;
}

export interface RankedEntry {
  applicationId: string;
  unitId: string;
  title: string;
  /** 1..n within the type, no shared ranks */
  rank: number;
  /** full precision; display with two decimals */
  score: number;
  spread: number;
  awarded: boolean;
  /** what the application's budget asks for (budget.requestedCny) */
  requestedCny: number;
  /** the funding awarded (awardAmount); 0 when not awarded */
  amountCny: number;
  /** the type's priority criteria (ids) this application is seen to meet on its form */
  priorityMet: string[];
  tieBreak?: TieBreak;
}

export interface TypeRanking {
  typeId: string;
  quota: number;
  awarded: number;
  /** quota − awarded: places left empty (an unfilled quota stays unfilled) */
  unfilled: number;
  entries: RankedEntry[];
  /** the candidates with fewer than 3 expert totals, by application id */
  notScored: { applicationId: string; reason: string }[];
}
