/**
 * The award (立项): staff ask for a proposal once the review is over; within each type the scored
 * applications are ranked (award-ranking.ts: score, then the notice's priorities the form can show,
 * then, as the department's assumptions, the smaller spread and the earlier submission, every
 * tie-break explained) and the quota awarded from the top, never above the budget asked for.
 * The department head confirms it through a task link, or sends it back; confirming decides every
 * application (in batches the sweep finishes at scale) and each unit hears its outcome. Staff then
 * publish the results.
 *
 * One import for the handlers and the sweep; each stage lives in a module of its own:
 * award-proposal-job.ts (the proposal as a job), award-proposal.ts (the ranking proposed), award-proposal-read.ts (the latest proposal, where it stands),
 * award-confirmation.ts (the department head's answer and
 * the decisions it sets going), award-results.ts (publication and the results list), over what they
 * all store (award-records.ts).
 */
export type { AwardRecord, ProposalEntry, ProposalHeader, TypeSummary } from '@shared/use-cases/award-records';
export { SHOWN_BELOW_THE_CUT } from '@shared/use-cases/award-records';
export { requestAwardProposal } from '@shared/use-cases/award-proposal-job';
export { readLatestProposal } from '@shared/use-cases/award-proposal-read';
export {
  answerAwardConfirmation,
  carryOutAwardConfirmation,
  decideApplication,
  readAwardConfirmation,
  remindAwardConfirmation,
} from '@shared/use-cases/award-confirmation';
export { callResults, publishResults, resultsCsv, RESULTS_PAGE, type ResultRow } from '@shared/use-cases/award-results';
