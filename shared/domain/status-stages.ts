import type { ApplicationStatus } from '@shared/domain/application-record';
import type { Bilingual } from '@shared/domain/catalogue/fields';

/**
 * The statuses grouped as staff work through a call: the API's `?stage=` filter of
 * `GET /calls/{callId}/applications` and the web workspace's tabs read this one list, so the two
 * cannot group a status differently. Every status is in exactly one group (a unit test holds it).
 */
export type StageGroupId = 'formal' | 'staff' | 'review' | 'final';

export interface StageGroup {
  id: StageGroupId;
  name: Bilingual;
  statuses: readonly ApplicationStatus[];
}

export const STAGE_GROUPS: readonly StageGroup[] = [
  {
    id: 'formal',
    name: { zh: '形式审查', en: 'Formal check' },
    statuses: ['SUBMITTED', 'RETURNED_FOR_CORRECTION'],
  },
  {
    id: 'staff',
    name: { zh: '省科协审核', en: 'Staff review' },
    statuses: ['FORMAL_CHECK_PASSED', 'FORMAL_REVIEW_PASSED'],
  },
  {
    id: 'review',
    name: { zh: '专家评审', en: 'Expert review' },
    statuses: ['READY_FOR_EXPERT_REVIEW', 'IN_EXPERT_REVIEW', 'SHORT_OF_SCORES', 'SCORED'],
  },
  {
    id: 'final',
    name: { zh: '已结束', en: 'Closed' },
    statuses: ['AWARDED', 'NOT_AWARDED', 'REJECTED', 'WITHDRAWN'],
  },
];

export const STAGE_GROUP_IDS: readonly StageGroupId[] = STAGE_GROUPS.map((group) => group.id);

/** The group a status belongs to. */
export function stageGroupOf(status: ApplicationStatus): StageGroup {
  const group = STAGE_GROUPS.find((g) => g.statuses.includes(status));
  if (!group) throw new Error(`status ${status} is in no stage group`);
  return group;
}

/** The statuses of a group, in the order an application moves through them. */
export function statusesOfStage(id: StageGroupId): readonly ApplicationStatus[] {
  return STAGE_GROUPS.find((g) => g.id === id)?.statuses ?? [];
}
