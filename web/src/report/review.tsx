import { instantText, useText } from '../i18n';
import type { ObligationView } from '../types';
import { dueText, OBLIGATION_STATE_WORDS } from './obligation';

/** When the report is due, where it stands, and how many times it was handed in. */
export function ReportFacts({ obligation }: { obligation: ObligationView }) {
  const { t, b, lang } = useText();
  return (
    <dl class="facts">
      <dt>{t('截止时间', 'Due')}</dt>
      <dd>{dueText(obligation, lang)}</dd>
      <dt>{t('状态', 'State')}</dt>
      <dd>
        <span class="report-state" role="status">
          {b(OBLIGATION_STATE_WORDS[obligation.state])}
        </span>
      </dd>
      {(obligation.submissions ?? 0) > 0 && [
        <dt key="n">{t('已提交次数', 'Times handed in')}</dt>,
        <dd key="nd">{obligation.submissions}</dd>,
      ]}
    </dl>
  );
}

/** Said once the report was handed in from this page. */
export function SentNote() {
  const { t } = useText();
  return (
    <p class="card">
      {t(
        '报告已提交，省科协审核后将以邮件通知。',
        'The report was handed in; the association will email you its review.',
      )}
    </p>
  );
}

/** Why the reviewer returned the report, and when (nothing unless it was returned). */
export function ReviewReasons({ obligation }: { obligation: ObligationView }) {
  const { t, lang } = useText();
  const reasons = obligation.review?.answer === 'return' ? (obligation.review.reasons ?? []) : [];
  if (!reasons.length) return null;
  return (
    <section class="card" aria-labelledby="review-reasons">
      <h2 id="review-reasons">{t('退回意见', "The reviewer's reasons")}</h2>
      <ul>
        {reasons.map((reason, i) => (
          <li key={i}>{reason}</li>
        ))}
      </ul>
      {obligation.review && (
        <p class="hint">
          {t('退回时间：', 'Returned on ')}
          {instantText(obligation.review.at, lang)}
        </p>
      )}
    </section>
  );
}

/** When the association accepted the report (nothing until it has). */
export function AcceptedNote({ obligation }: { obligation: ObligationView }) {
  const { t, lang } = useText();
  if (obligation.state !== 'ACCEPTED' || !obligation.review) return null;
  return (
    <p class="card">
      {t('省科协已于', 'The association accepted it on ')}
      {instantText(obligation.review.at, lang)}
      {t('审核通过此报告。', '.')}
    </p>
  );
}
