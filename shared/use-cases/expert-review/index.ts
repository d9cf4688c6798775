/** The expert review (专家评审): see round.ts for how the round works. */
export { type ReviewRound, planRound, roundUnderWay, startReviewRound } from './round';
export { loadExpertPool, releaseWait } from './common';
export { assignPanel, openExpertAssignmentWait, openWait } from './panels';
export { emailExpertDigest, remindExpert } from './emails';
export { replaceExpert, replaceIfDeclined } from './replacement';
export { addExpert, extendReview } from './staff-changes';
export { reviewStatus } from './status';
