import type { ApplicationForm } from '@shared/domain/application-form';
import type { TypeRanking } from '@shared/domain/award-ranking';
import type { Bilingual, Call, ProjectType } from '@shared/domain/catalogue';
import type { ObligationRecord, ReportSubmission } from '@shared/domain/obligations';
import type { LinkTaskKind, TaskAnswer } from '@shared/domain/tasks/record';

export type TaskPageState = 'OPEN' | 'DONE' | 'EXPIRED' | 'CANCELLED' | 'CLOSING';

export interface TaskPageView {
  taskId: string;
  kind: LinkTaskKind;
  state: TaskPageState;
  dueAt: Date;
  /** until when an answer is taken (paper copy: the paper deadline plus the grace period) */
  answerableUntil?: Date;
  /** the task link itself: the form POSTs to it (application/x-www-form-urlencoded) */
  postUrl: string;
  assignee: { name: string };
  application: {
    applicationId: string;
    title: string;
    unitName: string;
    typeName: Bilingual;
    requestedCny: number;
    /** Beijing ISO instant */
    submittedAt: string;
    form: ApplicationForm;
    /** the automatic formal check's findings, if any */
    formalCheckReasons?: { text: Bilingual }[];
  };
  type: ProjectType;
  call: Call;
  /** the answer, once given */
  answer?: TaskAnswer;
  /** report-review: the report handed in, with links to download its files */
  report?: ReportReviewView;
}

/** A report under review, as its page shows it. */
export interface ReportReviewView {
  obligation: ObligationRecord;
  submission: ReportSubmission;
  downloads: { fileName: string; contentType: string; size: number; url: string }[];
}

/** The award proposal of a whole call, as the department head confirms it (an award-confirmation task). */
export interface AwardProposalView {
  taskId: string;
  state: TaskPageState;
  dueAt: Date;
  /** the task link itself: the form POSTs to it (application/x-www-form-urlencoded) */
  postUrl: string;
  assignee: { name: string };
  call: Call;
  /** the proposal's version (a revised proposal is a new version) */
  version: number;
  /** Beijing ISO instant */
  proposedAt: string;
  /**
   * per project type: its ranking down past the cut (the awarded and the next ones; `ranked` counts
   * them all), its name, and the names of the units shown (by unit id)
   */
  types: Array<TypeRanking & { ranked: number; typeName: Bilingual; unitNames: Record<string, string> }>;
  /** the answer, once given */
  answer?: TaskAnswer;
}

export type LinkProblemCode = 'LINK_INVALID' | 'LINK_EXPIRED' | 'ALREADY_DONE' | 'NOT_FOUND' | 'VALIDATION_FAILED';

export interface StaffTaskListItem {
  taskId: string;
  kind: LinkTaskKind;
  /** absent for a call-level task (the award's confirmation) */
  applicationId?: string;
  title: string;
  unitName: string;
  dueAt: Date;
  link: string;
  overdue: boolean;
}
