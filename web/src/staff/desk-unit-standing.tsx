import { useState } from 'preact/hooks';
import { api } from '../api';
import { useText } from '../i18n';
import { Field, RestOfError, detailsAt, valueOf } from './desk-fields';
import type { UnitProfile } from './desk-unit-profile';
import { useDeskSave } from './desk-save';

type Choice = 'bar' | 'lift' | '';

/** The standing form as typed, and saving it with `PUT /units/{unitId}/standing` once confirmed. */
function useUnitStanding(onAnswer: (unit: UnitProfile) => void) {
  const { t } = useText();
  const [unitId, setUnitId] = useState('');
  const [barred, setBarred] = useState<Choice>('');
  const [reason, setReason] = useState('');
  const saving = useDeskSave();
  const confirmed = (id: string) =>
    barred !== 'bar' ||
    window.confirm(
      t(
        `确定限制 ${id} 本年度申报？该单位将不能提交申请。`,
        `Bar ${id} from applying this year? It will not be able to submit.`,
      ),
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!barred) {
      saving.setError(new Error(t('请选择限制申报或取消限制。', 'Choose whether to bar the unit or lift its bar.')));
      return;
    }
    const id = unitId.trim();
    if (!confirmed(id)) return;
    await saving.save(async () => {
      const unit = await api<UnitProfile>('PUT', `/units/${encodeURIComponent(id)}/standing`, {
        body: { barred: barred === 'bar', ...(reason.trim() ? { reason } : {}) },
      });
      onAnswer(unit);
      return unit.barred
        ? t(`已限制 ${unit.unitId} 申报`, `${unit.unitId} is barred`)
        : t(`已取消对 ${unit.unitId} 的限制，可以申报`, `${unit.unitId} may apply`);
    });
  };
  return { unitId, setUnitId, barred, setBarred, reason, setReason, ...saving, submit };
}

/** Bars a unit from applying, or lifts its bar, with a reason. */
export function UnitStanding({ onAnswer }: { onAnswer: (unit: UnitProfile) => void }) {
  const { t } = useText();
  const form = useUnitStanding(onAnswer);
  const { error, busy } = form;
  return (
    <section class="card" aria-labelledby="unit-standing">
      <h2 id="unit-standing">{t('限制申报或取消限制', 'Bar a unit or lift its bar')}</h2>
      <form onSubmit={(e) => void form.submit(e)} noValidate>
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
              value={form.unitId}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => form.setUnitId(valueOf(e))}
            />
          )}
        </Field>
        <StandingChoice value={form.barred} onChange={form.setBarred} />
        <Field id="standing-reason" label={t('理由', 'Reason')} problems={detailsAt(error, 'reason')}>
          {(aria) => <textarea {...aria} rows={3} value={form.reason} onInput={(e) => form.setReason(valueOf(e))} />}
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('正在保存…', 'Saving…') : t('保存申报资格', 'Save the standing')}
          </button>
        </div>
        <p role="status">{form.done}</p>
      </form>
    </section>
  );
}

/** Bar or lift, as two radio buttons. */
function StandingChoice({ value, onChange }: { value: Choice; onChange: (choice: Choice) => void }) {
  const { t } = useText();
  return (
    <fieldset class="choice-row">
      <legend>{t('申报资格', 'Standing')}</legend>
      <label>
        <input type="radio" name="standing" checked={value === 'bar'} onChange={() => onChange('bar')} />{' '}
        {t('限制申报', 'Bar from applying')}
      </label>
      <label>
        <input type="radio" name="standing" checked={value === 'lift'} onChange={() => onChange('lift')} />{' '}
        {t('取消限制（可以申报）', 'Lift the bar (may apply)')}
      </label>
    </fieldset>
  );
}
