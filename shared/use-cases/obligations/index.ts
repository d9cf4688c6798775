/**
 * After the award: each awarded project's reports, from the call data, due from the right event;
 * the unit hands each in with its files (uploaded straight to S3 with a presigned URL), staff review
 * it from a task link (accept, or return with reasons; for the summary, each target met or not), the
 * sweep reminds before and after each due date, and the call's overdue reports are listed for staff.
 */
export * from './award-obligations';
export * from './reminders';
export * from './report-review';
export * from './listings';
export * from './reporting-round';
