import { useState } from 'preact/hooks';
import { api } from '../api';
import { useText } from '../i18n';
import { ErrorNote } from '../load';
import { Field, RestOfError, detailsAt, valueOf } from './desk-fields';
import type { UnitProfile } from './desk-unit-profile';
import { UnitStanding } from './desk-unit-standing';
import { UnitAnswer } from './desk-unit-answer';
import { UnitList } from './desk-unit-list';
import { useDeskSave } from './desk-save';

/**
 * 会员单位: the registered units, each opened to its standing, the reasons computed for it and the
 * log of every change; register a member society or change its name and registered email, and set or
 * lift its bar with a reason. Each form shows what the API answered.
 */
export function UnitsPage() {
  const { t } = useText();
  const [answer, setAnswer] = useState<UnitProfile>();
  const [opening, setOpening] = useState<{ error?: Error }>({});
  /** Saved answers bump the list, so a registered unit or a changed standing shows there too. */
  const [saved, setSaved] = useState(0);
  const show = (unit: UnitProfile) => {
    setAnswer(unit);
    setSaved((n) => n + 1);
  };
  const open = async (unitId: string) => {
    try {
      setAnswer(await api<UnitProfile>('GET', `/units/${encodeURIComponent(unitId)}`));
      setOpening({});
      document.getElementById('unit-answer')?.scrollIntoView();
    } catch (error) {
      setOpening({ error: error as Error });
    }
  };
  return (
    <>
      <h1>{t('会员单位', 'Member units')}</h1>
      <p class="hint">
        {t(
          '只有登记的会员单位可以申报；发给学会的邮件都寄往登记邮箱。',
          'Only registered member units may apply; every email to a unit goes to its registered address.',
        )}
      </p>
      <UnitList onOpen={(unitId) => void open(unitId)} version={saved} />
      {opening.error && <ErrorNote error={opening.error} />}
      {answer && <UnitAnswer unit={answer} />}
      <RegisterUnit onAnswer={show} />
      <UnitStanding onAnswer={show} />
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
