/**
 * The task pages: server-rendered HTML for a staff member, an expert or the department head who
 * opens a task link from an email, usually on a phone. What a link carries, how it is signed and
 * answered, and what each page offers is the task-link contract, described in docs/design.md
 * (section "The task-link contract").
 *
 * Every page is a whole document, Chinese first with English under or beside it, readable without
 * JavaScript, one column with large tap targets. Every dynamic value goes through `escapeHtml`, and
 * only through it. Pure functions: the caller reads the task, the application and the call and
 * passes them in.
 *
 * What differs per link-task kind (title, answer labels, what to check, the form) is in kinds/, one
 * module per kind, gathered in kinds/registry.ts; the compiler refuses a kind without all its parts.
 */
export type {
  AwardProposalView,
  LinkProblemCode,
  ReportReviewView,
  StaffTaskListItem,
  TaskPageState,
  TaskPageView,
} from './views';
export type { AnswerLabels, ForEachLinkTaskKind } from './kinds/kind-page';
export { escapeHtml } from './frame';
export { renderAnswered, renderTaskPage } from './task-page';
export { renderAwardConfirmationPage, renderAwardConfirmed } from './award-proposal';
export { renderLinkProblem } from './problem-page';
export { renderStaffTaskList } from './staff-task-list';
