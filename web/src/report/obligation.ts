import type { ReportKind } from '@shared/domain/catalogue/project-type';
import type { ObligationState } from '@shared/domain/obligations/records';
import { reportNameOf } from '@shared/domain/email-texts/report-terms';
import { instantText, type Bilingual, type Lang } from '../i18n';
import type { ObligationView } from '../types';

/** Where an obligation stands, in words (every state has them, or this does not compile). */
export const OBLIGATION_STATE_WORDS: { readonly [S in ObligationState]: Bilingual } = {
  AWAITING_DATE: { zh: '截止日期待定', en: 'Due date not yet set' },
  OPEN: { zh: '待提交', en: 'To hand in' },
  SUBMITTED: { zh: '已提交，待省科协审核', en: 'Handed in, with the association for review' },
  RETURNED: { zh: '退回修改，请重新提交', en: 'Returned: correct it and hand it in again' },
  ACCEPTED: { zh: '已通过审核', en: 'Accepted' },
};

/** The kind of report an obligation asks for (a duty's statement when it names none). */
export const reportKindOf = (o: Pick<ObligationView, 'kind'>) => (o.kind ?? 'duty') as ReportKind;

/** The route segment a report is handed in at: its kind, or a duty's statement at the duty's id. */
export const reportPath = (o: Pick<ObligationView, 'kind' | 'obligationId'>) =>
  o.kind === 'duty' || !o.kind ? o.obligationId : o.kind;

export const reportName = (o: Pick<ObligationView, 'kind'>) => reportNameOf({ report: reportKindOf(o) });

/** A due date as a person reads it: the instant in Beijing time, or that it is still to be set. */
export function dueText(o: Pick<ObligationView, 'dueAt'>, lang: Lang): string {
  if (!o.dueAt) return lang === 'en' ? 'to be set (the association will announce it)' : '待定（省科协通知后确定）';
  return lang === 'en' ? `${instantText(o.dueAt, lang)} (Beijing time)` : `${instantText(o.dueAt, lang)}（北京时间）`;
}
