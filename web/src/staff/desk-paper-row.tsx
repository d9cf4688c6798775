import { useText } from '../i18n';
import { valueOf } from './desk-fields';
import { answerWords, type Row } from './desk-paper-answer';

interface PaperRowProps {
  row: Row;
  /** its place in the list, from 0 */
  index: number;
  today: string;
  lastDay: string;
  onChange: (key: number, change: Partial<Row>) => void;
  onRemove: (key: number) => void;
}

/** One envelope: its application number, its own received date if different, and the API's answer. */
export function PaperRow({ row, index, today, lastDay, onChange, onRemove }: PaperRowProps) {
  const { t, b } = useText();
  const words = row.answer && answerWords(row.answer, lastDay);
  const n = index + 1;
  const answerId = words ? `paper-answer-${row.key}` : undefined;
  const dateProblem = row.answer?.error?.details?.some((d) => d.path === 'receivedOn');
  return (
    <li class={`paper-row${words ? ` answer-${words.kind}` : ''}`}>
      <div class="field">
        <label for={`paper-id-${row.key}`}>{t(`第${n}份 申请编号`, `No. ${n}: application number`)}</label>
        <input
          id={`paper-id-${row.key}`}
          value={row.applicationId}
          autoComplete="off"
          spellcheck={false}
          aria-invalid={row.answer?.error?.code === 'NOT_FOUND' ? 'true' : undefined}
          aria-describedby={answerId}
          onInput={(e) => onChange(row.key, { applicationId: valueOf(e) })}
        />
      </div>
      <div class="field">
        <label for={`paper-date-${row.key}`}>
          {t(`第${n}份 收到日期（如不同）`, `No. ${n}: received on (if different)`)}
        </label>
        <input
          id={`paper-date-${row.key}`}
          type="date"
          value={row.receivedOn}
          max={today}
          aria-invalid={dateProblem ? 'true' : undefined}
          aria-describedby={answerId}
          onInput={(e) => onChange(row.key, { receivedOn: valueOf(e) })}
        />
      </div>
      <button type="button" class="link" onClick={() => onRemove(row.key)}>
        {t(`删除第${n}行`, `Remove row ${n}`)}
      </button>
      {words && (
        <p id={answerId} class={`paper-answer ${words.kind}`}>
          {b(words.text)}
        </p>
      )}
    </li>
  );
}
