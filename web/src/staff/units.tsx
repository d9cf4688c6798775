import { useState } from 'preact/hooks';
import { api } from '../api';
import { instantText, useText } from '../i18n';
import { Field, RestOfError, detailsAt, valueOf } from './desk-fields';

/** A member unit as `PUT /units/{unitId}` and `PUT /units/{unitId}/standing` answer it. */
interface UnitProfile {
  unitId: string;
  name?: { zh: string; en: string };
  email?: string;
  barred: boolean;
  barredReason?: string | null;
  standingUpdatedAt?: string;
  standingUpdatedBy?: string;
  standingLog?: Array<{
    barred: boolean;
    reason?: string;
    by: string;
    at: string;
    lifted?: Array<{ reason: { zh: string; en: string } }>;
  }>;
}

/**
 * 会员单位: register a member society or change its name and registered email, and set or lift its
 * bar with a reason. Each form shows what the API answered: the unit as now stored, with its standing
 * and the log of every change.
 */
export function UnitsPage() {
  const { t } = useText();
  const [answer, setAnswer] = useState<UnitProfile>();
  return (
    <>
      <h1>{t('会员单位', 'Member units')}</h1>
      <p class="hint">
        {t(
          '只有登记的会员单位可以申报；发给学会的邮件都寄往登记邮箱。',
          'Only registered member units may apply; every email to a unit goes to its registered address.',
        )}
      </p>
      <RegisterUnit onAnswer={setAnswer} />
      <UnitStanding onAnswer={setAnswer} />
      {answer && <UnitAnswer unit={answer} />}
    </>
  );
}

function RegisterUnit({ onAnswer }: { onAnswer: (unit: UnitProfile) => void }) {
  const { t } = useText();
  const [unitId, setUnitId] = useState('');
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      const unit = await api<UnitProfile>('PUT', `/units/${encodeURIComponent(unitId.trim())}`, {
        body: { name: { zh, en }, email },
      });
      setDone(t(`已保存：${unit.name?.zh ?? unit.unitId}`, `Saved: ${unit.name?.en ?? unit.unitId}`));
      onAnswer(unit);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="unit-register">
      <h2 id="unit-register">{t('登记或修改会员单位', 'Register or edit a member unit')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p class="hint">
          {t(
            '修改已登记的单位时，填写其单位编号和全部信息：名称和邮箱将被替换，限制申报状态不变。',
            'To edit a registered unit, give its id and all its details: the names and email are replaced, its standing is kept.',
          )}
        </p>
        <RestOfError error={error} fields={['unitId', 'name.zh', 'name.en', 'email']} />
        <Field
          id="unit-id"
          label={t('单位编号', 'Unit id')}
          hint={t(
            '2–64位小写字母、数字或连字符，如 gd-physics-society',
            '2–64 of a–z, 0–9 and -, e.g. gd-physics-society',
          )}
          problems={detailsAt(error, 'unitId')}
        >
          {(aria) => (
            <input
              {...aria}
              value={unitId}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => setUnitId(valueOf(e))}
            />
          )}
        </Field>
        <Field id="unit-name-zh" label={t('中文名称', 'Name in Chinese')} problems={detailsAt(error, 'name.zh')}>
          {(aria) => <input {...aria} value={zh} onInput={(e) => setZh(valueOf(e))} />}
        </Field>
        <Field id="unit-name-en" label={t('英文名称', 'Name in English')} problems={detailsAt(error, 'name.en')}>
          {(aria) => <input {...aria} value={en} lang="en" onInput={(e) => setEn(valueOf(e))} />}
        </Field>
        <Field id="unit-email" label={t('登记邮箱', 'Registered email')} problems={detailsAt(error, 'email')}>
          {(aria) => (
            <input {...aria} type="email" value={email} autoComplete="off" onInput={(e) => setEmail(valueOf(e))} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('正在保存…', 'Saving…') : t('保存单位', 'Save the unit')}
          </button>
        </div>
        <p role="status">{done}</p>
      </form>
    </section>
  );
}

function UnitStanding({ onAnswer }: { onAnswer: (unit: UnitProfile) => void }) {
  const { t } = useText();
  const [unitId, setUnitId] = useState('');
  const [barred, setBarred] = useState<'bar' | 'lift' | ''>('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!barred) {
      setError(new Error(t('请选择限制申报或取消限制。', 'Choose whether to bar the unit or lift its bar.')));
      return;
    }
    const id = unitId.trim();
    if (
      barred === 'bar' &&
      !window.confirm(
        t(
          `确定限制 ${id} 本年度申报？该单位将不能提交申请。`,
          `Bar ${id} from applying this year? It will not be able to submit.`,
        ),
      )
    )
      return;
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      const unit = await api<UnitProfile>('PUT', `/units/${encodeURIComponent(id)}/standing`, {
        body: { barred: barred === 'bar', ...(reason.trim() ? { reason } : {}) },
      });
      setDone(
        unit.barred
          ? t(`已限制 ${unit.unitId} 申报`, `${unit.unitId} is barred`)
          : t(`已取消对 ${unit.unitId} 的限制，可以申报`, `${unit.unitId} may apply`),
      );
      onAnswer(unit);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="unit-standing">
      <h2 id="unit-standing">{t('限制申报或取消限制', 'Bar a unit or lift its bar')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p class="hint">
          {t(
            '依通知第4条：上年度项目未达绩效目标或未提交总结报告的单位本年度不得申报。取消因报告而产生的限制须说明理由。',
            "Notice rule 4: a unit that missed last year's targets or summary report may not apply this year. Lifting a bar the reports caused needs a reason.",
          )}
        </p>
        <RestOfError error={error} fields={['unitId', 'reason']} />
        <Field id="standing-unit-id" label={t('单位编号', 'Unit id')} problems={detailsAt(error, 'unitId')}>
          {(aria) => (
            <input
              {...aria}
              value={unitId}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => setUnitId(valueOf(e))}
            />
          )}
        </Field>
        <fieldset class="choice-row">
          <legend>{t('申报资格', 'Standing')}</legend>
          <label>
            <input type="radio" name="standing" checked={barred === 'bar'} onChange={() => setBarred('bar')} />{' '}
            {t('限制申报', 'Bar from applying')}
          </label>
          <label>
            <input type="radio" name="standing" checked={barred === 'lift'} onChange={() => setBarred('lift')} />{' '}
            {t('取消限制（可以申报）', 'Lift the bar (may apply)')}
          </label>
        </fieldset>
        <Field id="standing-reason" label={t('理由', 'Reason')} problems={detailsAt(error, 'reason')}>
          {(aria) => <textarea {...aria} rows={3} value={reason} onInput={(e) => setReason(valueOf(e))} />}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('正在保存…', 'Saving…') : t('保存申报资格', 'Save the standing')}
          </button>
        </div>
        <p role="status">{done}</p>
      </form>
    </section>
  );
}

function UnitAnswer({ unit }: { unit: UnitProfile }) {
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
