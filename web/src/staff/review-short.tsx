import { useState } from 'preact/hooks';
import { api } from '../api';
import { instantText, useText } from '../i18n';
import { RoundError, useAction } from './round-common';

/** An application short of valid scores after the review deadline (`GET /calls/{callId}/review-status`). */
export interface ShortPanel {
  applicationId: string;
  unitId: string;
  projectTypeId: string;
  title: string;
  validScores: number;
  needed: number;
  panel: number;
  dueAt?: string;
}

/** The panels short of scores, each with what staff can do about it: another expert, or more time. */
export function ShortPanels({ panels, onChanged }: { panels: ShortPanel[]; onChanged: () => void }) {
  const { t } = useText();
  return (
    <section aria-labelledby="round-short">
      <h2 id="round-short">{t('评分不足的申报', 'Short of scores')}</h2>
      {panels.length === 0 ? (
        <p>{t('目前没有评分不足的申报。', 'No application is short of scores.')}</p>
      ) : (
        <ul class="round-panels">
          {panels.map((panel) => (
            <ShortPanelItem key={panel.applicationId} panel={panel} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShortPanelItem({ panel, onChanged }: { panel: ShortPanel; onChanged: () => void }) {
  const { t, lang } = useText();
  return (
    <li class="card">
      <h3>{panel.title}</h3>
      <p class="hint">
        {t('申报编号', 'Application')} <code>{panel.applicationId}</code> · {panel.unitId}
      </p>
      <p class="todo">
        {t(
          `有效评分${panel.validScores}份，需要${panel.needed}份（评审组${panel.panel}人）`,
          `${panel.validScores} valid score(s) of ${panel.needed} needed (panel of ${panel.panel})`,
        )}
        {panel.dueAt && (
          <>
            {' '}
            · {t('截止', 'due')} {instantText(panel.dueAt, lang)}
          </>
        )}
      </p>
      <div class="round-forms">
        <AddExpertForm panel={panel} onChanged={onChanged} />
        <ExtendForm panel={panel} onChanged={onChanged} />
      </div>
    </li>
  );
}

const panelPath = (panel: ShortPanel) => `/applications/${encodeURIComponent(panel.applicationId)}`;

/** Another expert for the panel: one named, or the next suitable one; invited at once, so confirmed first. */
function AddExpertForm({ panel, onChanged }: { panel: ShortPanel; onChanged: () => void }) {
  const { t } = useText();
  const [expertId, setExpertId] = useState('');
  const [dueOn, setDueOn] = useState('');
  const add = useAction<unknown>();
  const id = panel.applicationId;
  const question = expertId
    ? t(
        `确定为“${panel.title}”增加专家 ${expertId} 吗？专家会收到评审邀请，不能撤回。`,
        `Add expert ${expertId} to “${panel.title}”? They are invited at once; this cannot be undone.`,
      )
    : t(
        `确定为“${panel.title}”自动增加下一位合适的专家吗？专家会收到评审邀请，不能撤回。`,
        `Add the next suitable expert to “${panel.title}”? They are invited at once; this cannot be undone.`,
      );
  const body = { ...(expertId.trim() ? { expertId: expertId.trim() } : {}), ...(dueOn ? { dueOn } : {}) };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await add.run(question, () => api('POST', `${panelPath(panel)}/experts`, { body }))) onChanged();
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <div class="field">
        <label for={`expert-${id}`}>
          {t('增加专家：专家编号（留空则自动选择）', 'Add an expert: expert id (blank for the next suitable one)')}
        </label>
        <input
          id={`expert-${id}`}
          value={expertId}
          onInput={(e) => setExpertId((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for={`expert-due-${id}`}>
          {t(
            '新专家的评审截止日期（留空：原截止日期，已过则为一周后）',
            "The new expert's deadline (blank: the panel's, or a week from now once that has passed)",
          )}
        </label>
        <input
          id={`expert-due-${id}`}
          type="date"
          value={dueOn}
          onInput={(e) => setDueOn((e.target as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" disabled={add.busy}>
        {t('增加专家', 'Add the expert')}
      </button>
      {add.error && <RoundError error={add.error} />}
    </form>
  );
}

/** More time for the panel's silent experts, who are asked again. */
function ExtendForm({ panel, onChanged }: { panel: ShortPanel; onChanged: () => void }) {
  const { t } = useText();
  const [dueOn, setDueOn] = useState('');
  const extend = useAction<unknown>();
  const id = panel.applicationId;
  const submit = async (event: Event) => {
    event.preventDefault();
    const question = t(
      `确定将“${panel.title}”的评审截止日期延长至${dueOn}吗？未评分的专家会再次收到提醒。`,
      `Extend the review of “${panel.title}” to ${dueOn}? The silent experts are asked again.`,
    );
    if (await extend.run(question, () => api('POST', `${panelPath(panel)}/review-deadline`, { body: { dueOn } })))
      onChanged();
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <div class="field">
        <label for={`due-${id}`}>{t('延长评审期限至', 'Extend the review to')}</label>
        <input
          id={`due-${id}`}
          type="date"
          required
          value={dueOn}
          onInput={(e) => setDueOn((e.target as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" class="secondary" disabled={extend.busy}>
        {t('延长期限', 'Extend the deadline')}
      </button>
      {extend.error && <RoundError error={extend.error} />}
    </form>
  );
}
