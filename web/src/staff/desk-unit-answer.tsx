import { instantText, useText } from '../i18n';
import type { UnitProfile } from './desk-unit-profile';

/** A unit as stored: its names, registered address, standing with the reasons computed for it, and its log. */
export function UnitAnswer({ unit }: { unit: UnitProfile }) {
  const { t, lang } = useText();
  return (
    <section class="card" aria-labelledby="unit-answer">
      <h2 id="unit-answer">{t('单位现状', 'The unit as stored')}</h2>
      <dl class="facts">
        <dt>{t('单位编号', 'Unit id')}</dt>
        <dd>{unit.unitId}</dd>
        <dt>{t('名称', 'Name')}</dt>
        <dd>{unit.name ? `${unit.name.zh} / ${unit.name.en}` : t('未登记名称', 'no name registered')}</dd>
        <dt>{t('登记邮箱', 'Registered email')}</dt>
        <dd>{unit.email ?? t('未登记', 'none')}</dd>
        <dt>{t('申报资格', 'Standing')}</dt>
        <dd class={unit.barred ? 'todo' : undefined}>
          {unit.barred ? t('限制申报', 'Barred') : t('可以申报', 'May apply')}
          {unit.barred && unit.barredReason ? `（${unit.barredReason}）` : ''}
        </dd>
      </dl>
      {unit.standing && <CallStanding standing={unit.standing} />}
      {unit.standingLog && unit.standingLog.length > 0 && (
        <>
          <h3>{t('变更记录', 'Changes')}</h3>
          <ol class="history">
            {unit.standingLog.map((entry, i) => (
              <li key={i}>
                {instantText(entry.at, lang)} · {entry.barred ? t('限制申报', 'barred') : t('取消限制', 'bar lifted')}
                {entry.reason ? ` · ${entry.reason}` : ''} · {entry.by}
                {entry.lifted && entry.lifted.length > 0 && (
                  <ul>
                    {entry.lifted.map((l, j) => (
                      <li key={j}>
                        {t('涵盖：', 'Covers: ')}
                        {t(l.reason.zh, l.reason.en)}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/**
 * The unit's standing in each call that follows another: barred or not by last year's reports, with
 * the reasons the notice's rule gives, and how many of them a lift by staff still covers.
 */
function CallStanding({ standing }: { standing: NonNullable<UnitProfile['standing']> }) {
  const { t, b } = useText();
  if (standing.calls.length === 0) return null;
  return (
    <>
      <h3>{t('按上年度项目计算的申报资格', "Standing computed from last year's projects")}</h3>
      <ul class="list">
        {standing.calls.map((c) => (
          <li key={c.callId}>
            <code>{c.callId}</code>
            {t('（依据', ' (from ')}
            <code>{c.previousCallId}</code>
            {t('）：', '): ')}
            <span class={c.barred ? 'todo' : undefined}>
              {c.barred ? t('不得申报', 'may not apply') : t('可以申报', 'may apply')}
            </span>
            {c.reasons.length > 0 && (
              <ul>
                {c.reasons.map((reason, i) => (
                  <li key={i}>{b(reason)}</li>
                ))}
              </ul>
            )}
            {c.lifted.length > 0 && (
              <p class="hint">
                {t(`工作人员已取消其中${c.lifted.length}项限制。`, `Staff lifted ${c.lifted.length} of these.`)}
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
