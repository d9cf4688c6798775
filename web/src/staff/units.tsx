import { useState } from 'preact/hooks';
import { api } from '../api';
import { instantText, useText } from '../i18n';
import { Field, RestOfError, detailsAt, valueOf } from './desk-fields';
import type { UnitProfile } from './desk-unit-profile';
import { UnitStanding } from './desk-unit-standing';
import { useDeskSave } from './desk-save';

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

/** The registration form as typed. */
interface UnitDraft {
  unitId: string;
  zh: string;
  en: string;
  email: string;
}

/** The registration form, and saving it with `PUT /units/{unitId}`. */
function useRegisterUnit(onAnswer: (unit: UnitProfile) => void) {
  const { t } = useText();
  const [draft, setDraft] = useState<UnitDraft>({ unitId: '', zh: '', en: '', email: '' });
  const saving = useDeskSave();
  const submit = async (event: Event) => {
    event.preventDefault();
    await saving.save(async () => {
      const unit = await api<UnitProfile>('PUT', `/units/${encodeURIComponent(draft.unitId.trim())}`, {
        body: { name: { zh: draft.zh, en: draft.en }, email: draft.email },
      });
      onAnswer(unit);
      return t(`已保存：${unit.name?.zh ?? unit.unitId}`, `Saved: ${unit.name?.en ?? unit.unitId}`);
    });
  };
  const set = (key: keyof UnitDraft) => (event: Event) => {
    const value = valueOf(event);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  return { draft, set, ...saving, submit };
}

function RegisterUnit({ onAnswer }: { onAnswer: (unit: UnitProfile) => void }) {
  const { t } = useText();
  const { draft, set, busy, error, done, submit } = useRegisterUnit(onAnswer);
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
        <UnitFields draft={draft} set={set} error={error} />
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

function UnitFields(props: {
  draft: UnitDraft;
  set: (key: keyof UnitDraft) => (event: Event) => void;
  error: Error | undefined;
}) {
  const { t } = useText();
  const { draft, set, error } = props;
  return (
    <>
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
          <input {...aria} value={draft.unitId} autoComplete="off" spellcheck={false} onInput={set('unitId')} />
        )}
      </Field>
      <Field id="unit-name-zh" label={t('中文名称', 'Name in Chinese')} problems={detailsAt(error, 'name.zh')}>
        {(aria) => <input {...aria} value={draft.zh} onInput={set('zh')} />}
      </Field>
      <Field id="unit-name-en" label={t('英文名称', 'Name in English')} problems={detailsAt(error, 'name.en')}>
        {(aria) => <input {...aria} value={draft.en} lang="en" onInput={set('en')} />}
      </Field>
      <Field id="unit-email" label={t('登记邮箱', 'Registered email')} problems={detailsAt(error, 'email')}>
        {(aria) => <input {...aria} type="email" value={draft.email} autoComplete="off" onInput={set('email')} />}
      </Field>
    </>
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
