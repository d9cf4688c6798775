/**
 * Every email the product sends, as text a busy society secretary (on a phone) or a staff member
 * can act on: a greeting by name, dates the Chinese way in Beijing time, plain steps or one link
 * (never an API call), and a footer saying whom to ask. Chinese first, English after.
 *
 * One module per stage; frame.ts holds what every email shares (and the rule on unit addresses).
 */
export type { Email, UnitAddressee } from '@shared/domain/email';
export { receiptEmail, formalCheckPassedEmail, rejectedEmail } from './submission';
export { returnedForCorrectionEmail, correctionReminderEmail, formalReviewReturnedEmail } from './amendment';
export { paperCopyReceivedEmail, paperCopyReminderEmail } from './paper-copy';
export { formalReviewPassedEmail, targetReviewPassedEmail, excludedEmail, type ExclusionStage } from './staff-review';
export { staffTaskEmail, staffTaskReminderEmail } from './staff-tasks';
export { expertDigestEmail, expertInvitationEmail, expertReminderEmail, type ExpertReviewItem } from './experts';
export { reviewShortEmail, expertRoundBlockedEmail } from './review-round';
export { awardConfirmationEmail, awardOutcomeEmail } from './award';
export { obligationsEmail, obligationReminderEmail } from './obligations';
export { reportingRoundEmail } from './reporting-round';
export { reportReviewRequestEmail, reportReviewedEmail } from './report-review';
