/** Conflict-free, capped assignment of expert reviewers to applications (issue 8): see assign.ts. */
export type {
  AssignmentOptions,
  AssignmentResult,
  AssignmentSummary,
  ReviewCandidate,
  UnservedApplication,
} from './types';
export { candidateFromForm, disciplineKeys, disciplineMatches, personKey } from './names';
export { conflictOf, nextExpert } from './conflicts';
export { assignExperts } from './assign';
