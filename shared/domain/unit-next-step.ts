import type { ApplicationStatus } from './application-record';
import type { Bilingual } from './catalogue';
import type { ObligationState } from './obligations';

/**
 * What a society reads about each of its applications: where it stands in words, what the
 * association is doing with it, and what the society itself must do next and by when. One table
 * keyed by status, so a new status that has no words does not compile.
 */
export interface StatusWords {
  status: Bilingual;
  /** the stage the application waits on, or undefined once it is over */
  waitsOn?: Bilingual;
}

export const STATUS_WORDS: { readonly [S in ApplicationStatus]: StatusWords } = {
  SUBMITTED: {
    status: { zh: '已提交', en: 'Submitted' },
    waitsOn: { zh: '自动形式审查', en: 'the automatic formal check' },
  },
  RETURNED_FOR_CORRECTION: {
    status: { zh: '退回修改', en: 'Returned for correction' },
    waitsOn: { zh: '申报单位修改', en: 'your correction' },
  },
  FORMAL_CHECK_PASSED: {
    status: { zh: '自动形式审查通过', en: 'Passed the automatic formal check' },
    waitsOn: { zh: '省科协形式审查与纸质材料', en: "the association's formal review and the paper copy" },
  },
  FORMAL_REVIEW_PASSED: {
    status: { zh: '形式审查通过', en: 'Passed the formal review' },
    waitsOn: { zh: '绩效目标审核', en: 'the performance-target review' },
  },
  READY_FOR_EXPERT_REVIEW: {
    status: { zh: '待专家评审', en: 'Ready for expert review' },
    waitsOn: { zh: '专家评审开始', en: 'the start of the expert review' },
  },
  IN_EXPERT_REVIEW: {
    status: { zh: '专家评审中', en: 'In expert review' },
    waitsOn: { zh: '专家评分', en: "the experts' scores" },
  },
  SHORT_OF_SCORES: {
    status: { zh: '专家评审中（补充评分）', en: 'In expert review (more scores needed)' },
    waitsOn: { zh: '补充专家评分', en: 'further expert scores' },
  },
  SCORED: { status: { zh: '评审完成', en: 'Scored' }, waitsOn: { zh: '立项结果', en: 'the award decision' } },
  AWARDED: { status: { zh: '已立项', en: 'Awarded' } },
  NOT_AWARDED: { status: { zh: '未立项', en: 'Not awarded' } },
  REJECTED: { status: { zh: '未通过审查', en: 'Rejected' } },
  WITHDRAWN: { status: { zh: '已撤回', en: 'Withdrawn' } },
};

export type UnitAction =
  | { kind: 'amend'; dueAt: string }
  | { kind: 'paper-copy'; dueAt: string }
  | { kind: 'report'; obligationId: string; report: string; dueAt?: string };

export interface NextStepInput {
  status: ApplicationStatus;
  staffReturn?: { correctionDueAt: string };
  paperCopy?: { receivedOn: string };
  /** the reports the application owes and their state (GET /units/me/obligations) */
  obligations?: ReadonlyArray<{ obligationId: string; report?: string; state: ObligationState; dueAt?: string }>;
}

export interface CallDeadlines {
  submissionDeadline: string;
  paperCopyDeadline: string;
}

const PAPER_COPY_AWAITED: readonly ApplicationStatus[] = ['SUBMITTED', 'FORMAL_CHECK_PASSED'];
/** A report still to hand in: not yet due-dated, open, or returned for changes (not one under review or accepted). */
const REPORT_OWED: readonly ObligationState[] = ['AWAITING_DATE', 'OPEN', 'RETURNED'];

/** What the society must do next for one application, soonest first; empty when nothing. */
export function unitActions(app: NextStepInput, call: CallDeadlines): UnitAction[] {
  if (app.status === 'RETURNED_FOR_CORRECTION')
    return [{ kind: 'amend', dueAt: app.staffReturn?.correctionDueAt ?? call.submissionDeadline }];
  if (PAPER_COPY_AWAITED.includes(app.status) && !app.paperCopy)
    return [{ kind: 'paper-copy', dueAt: call.paperCopyDeadline }];
  if (app.status !== 'AWARDED') return [];
  return (
    (app.obligations ?? [])
      .filter((o) => o.report && REPORT_OWED.includes(o.state))
      .map((o) => ({ kind: 'report' as const, obligationId: o.obligationId, report: o.report!, dueAt: o.dueAt }))
      // Code-point order of Beijing ISO instants is time order; a report still waiting for its date goes last.
      .sort((a, b) => ((a.dueAt ?? '~') < (b.dueAt ?? '~') ? -1 : 1))
  );
}
