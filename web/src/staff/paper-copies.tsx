import { useState } from 'preact/hooks';
import type { Call } from '@shared/domain/catalogue/call-schema';
import { api, type FieldDetail } from '../api';
import { instantText, useText, type Bilingual } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import type { CallListing } from '../types';
import { Field, valueOf } from './desk-fields';

/** One item of `POST /calls/{callId}/paper-copies`'s answer, by its place in the stack. */
interface PaperAnswer {
  index: number;
  applicationId: string;
  status: number;
  state?: 'DONE';
  receivedOn?: string;
  error?: { code: string; message: string; details?: FieldDetail[] };
}

interface Row {
  key: number;
  applicationId: string;
  /** its own received date, when the envelope came on another day than the rest */
  receivedOn: string;
  answer?: PaperAnswer;
}

/** A day in Beijing as YYYY-MM-DD. */
const beijingDay = (iso: string) =>
  new Date(iso).toLocaleDateString('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });

async function loadCalls() {
  const listing = await api<CallListing>('GET', '/calls');
  const calls = await Promise.all(listing.calls.map((c) => api<Call>('GET', `/calls/${encodeURIComponent(c.callId)}`)));
  return { today: beijingDay(listing.now), calls };
}

/** What one row's answer means, in words: recorded, refused as late, unknown, or what the API said. */
function answerWords(answer: PaperAnswer, lastDay: string): { kind: 'done' | 'late' | 'refused'; text: Bilingual } {
  if (answer.status === 200)
    return {
      kind: 'done',
      text: { zh: `已登记，收到日期 ${answer.receivedOn ?? ''}`, en: `Recorded, received ${answer.receivedOn ?? ''}` },
    };
  const code = answer.error?.code ?? '';
  const detail = answer.error?.details?.[0]?.code;
  if (detail === 'AFTER_PAPER_DEADLINE')
    return {
      kind: 'late',
      text: {
        zh: `逾期，不予受理：纸质材料须在 ${lastDay} 前收到`,
        en: `Late, refused: a paper copy counts only if received by ${lastDay}`,
      },
    };
  if (code === 'LINK_EXPIRED')
    return {
      kind: 'late',
      text: { zh: '逾期，不予受理：登记期限已过或申请已结束', en: 'Late, refused: recording has closed for it' },
    };
  if (code === 'NOT_FOUND')
    return {
      kind: 'refused',
      text: { zh: '未找到：本次申报中没有这个申请编号', en: 'Unknown: no such application number in this call' },
    };
  if (code === 'ALREADY_DONE')
    return { kind: 'refused', text: { zh: '此前已登记过，未改动', en: 'Already recorded before; nothing changed' } };
  if (detail === 'IN_THE_FUTURE')
    return { kind: 'refused', text: { zh: '收到日期不能晚于今天', en: 'The received date is after today' } };
  if (detail === 'REQUIRED' || detail === 'INVALID_DATE')
    return { kind: 'refused', text: { zh: '请填写收到日期', en: 'Give the received date' } };
  const message = answer.error?.message ?? String(answer.status);
  return { kind: 'refused', text: { zh: `未登记：${message}`, en: `Not recorded: ${message}` } };
}

let nextKey = 1;
const newRow = (applicationId = ''): Row => ({ key: nextKey++, applicationId, receivedOn: '' });

/**
 * 纸质材料登记: the envelopes of the day. Staff type or paste the application numbers on the
 * envelopes, give the day they arrived once for all (or per envelope), and record the stack at once;
 * each row then says whether it was recorded, refused as late, or not found.
 */
export function PaperCopiesPage() {
  const { t } = useText();
  const loaded = useLoad(loadCalls, []);
  return (
    <>
      <h1>{t('纸质材料登记', 'Paper copies')}</h1>
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.error && <ErrorNote error={loaded.error} />}
      {loaded.data && <PaperCopyForm calls={loaded.data.calls} today={loaded.data.today} />}
    </>
  );
}

function PaperCopyForm({ calls, today }: { calls: Call[]; today: string }) {
  const { t, b, lang } = useText();
  const [callId, setCallId] = useState(calls.find((c) => !c.sample)?.callId ?? calls[0]?.callId ?? '');
  const [receivedOn, setReceivedOn] = useState(today);
  const [pasted, setPasted] = useState('');
  const [rows, setRows] = useState<Row[]>([newRow()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const call = calls.find((c) => c.callId === callId);
  const lastDay = call ? beijingDay(call.paperCopyDeadline) : '';
  const pending = rows.filter((r) => r.applicationId.trim() && r.answer?.status !== 200);

  const update = (key: number, change: Partial<Row>) =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...change, answer: undefined } : r)));
  const addPasted = () => {
    const numbers = pasted
      .split(/[\s,，；;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!numbers.length) return;
    setRows((all) => [...all.filter((r) => r.applicationId.trim()), ...numbers.map((n) => newRow(n))]);
    setPasted('');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pending.length || busy) return;
    const ok = window.confirm(
      t(
        `登记 ${pending.length} 份纸质材料？登记后不能撤销。`,
        `Record ${pending.length} paper cop${pending.length > 1 ? 'ies' : 'y'}? This cannot be undone.`,
      ),
    );
    if (!ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ recorded: number; results: PaperAnswer[] }>(
        'POST',
        `/calls/${encodeURIComponent(callId)}/paper-copies`,
        {
          body: {
            received: pending.map((r) => ({
              applicationId: r.applicationId.trim(),
              receivedOn: r.receivedOn || receivedOn,
            })),
          },
        },
      );
      const byKey = new Map(pending.map((r, i) => [r.key, answer.results.find((a) => a.index === i)]));
      setRows((all) => all.map((r) => (byKey.has(r.key) ? { ...r, answer: byKey.get(r.key) } : r)));
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };

  const answered = rows.filter((r) => r.answer);
  const recorded = answered.filter((r) => r.answer?.status === 200).length;
  return (
    <form onSubmit={(e) => void submit(e)} class="desk-form" noValidate>
      <p class="hint">
        {t(
          '按信封上的申请编号逐份录入（也可一次粘贴多行），填写收到日期后一次提交；每份的登记结果显示在该行旁边。',
          'Type the application number on each envelope (or paste several lines), give the day they arrived and record them at once; each row then shows its answer.',
        )}
      </p>
      {calls.length > 1 && (
        <Field id="paper-call" label={t('申报批次', 'Call')} problems={[]}>
          {(aria) => (
            <select {...aria} value={callId} onChange={(e) => setCallId(valueOf(e))}>
              {calls.map((c) => (
                <option key={c.callId} value={c.callId}>
                  {b(c.title)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {call && (
        <p>
          {t('纸质材料截止：', 'Paper copies due: ')}
          {instantText(call.paperCopyDeadline, lang)}
          {t('（此后收到的不予受理）', ' (one received later does not count)')}
        </p>
      )}
      <Field
        id="paper-received-on"
        label={t('收到日期（适用于全部）', 'Received on (for all)')}
        hint={t(
          '个别信封收到日期不同的，在该行另填。',
          'For an envelope that came on another day, give its own date in its row.',
        )}
        problems={[]}
      >
        {(aria) => (
          <input {...aria} type="date" value={receivedOn} max={today} onInput={(e) => setReceivedOn(valueOf(e))} />
        )}
      </Field>
      <Field
        id="paper-paste"
        label={t('粘贴申请编号（每行一个）', 'Paste application numbers (one a line)')}
        problems={[]}
      >
        {(aria) => <textarea {...aria} rows={4} value={pasted} onInput={(e) => setPasted(valueOf(e))} />}
      </Field>
      <button type="button" class="secondary" onClick={addPasted}>
        {t('加入下表', 'Add to the list')}
      </button>

      <h2 id="paper-rows">{t('本批信封', 'The envelopes')}</h2>
      <ol class="paper-rows" aria-labelledby="paper-rows">
        {rows.map((row, i) => {
          const words = row.answer && answerWords(row.answer, lastDay);
          const idProblem = row.answer?.error?.code === 'NOT_FOUND';
          const dateProblem = row.answer?.error?.details?.some((d) => d.path === 'receivedOn');
          return (
            <li key={row.key} class={`paper-row${words ? ` answer-${words.kind}` : ''}`}>
              <div class="field">
                <label for={`paper-id-${row.key}`}>
                  {t(`第${i + 1}份 申请编号`, `No. ${i + 1}: application number`)}
                </label>
                <input
                  id={`paper-id-${row.key}`}
                  value={row.applicationId}
                  autoComplete="off"
                  spellcheck={false}
                  aria-invalid={idProblem ? 'true' : undefined}
                  aria-describedby={words ? `paper-answer-${row.key}` : undefined}
                  onInput={(e) => update(row.key, { applicationId: valueOf(e) })}
                />
              </div>
              <div class="field">
                <label for={`paper-date-${row.key}`}>
                  {t(`第${i + 1}份 收到日期（如不同）`, `No. ${i + 1}: received on (if different)`)}
                </label>
                <input
                  id={`paper-date-${row.key}`}
                  type="date"
                  value={row.receivedOn}
                  max={today}
                  aria-invalid={dateProblem ? 'true' : undefined}
                  aria-describedby={words ? `paper-answer-${row.key}` : undefined}
                  onInput={(e) => update(row.key, { receivedOn: valueOf(e) })}
                />
              </div>
              <button
                type="button"
                class="link"
                onClick={() => setRows((all) => (all.length > 1 ? all.filter((r) => r.key !== row.key) : [newRow()]))}
              >
                {t(`删除第${i + 1}行`, `Remove row ${i + 1}`)}
              </button>
              {words && (
                <p id={`paper-answer-${row.key}`} class={`paper-answer ${words.kind}`}>
                  {b(words.text)}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" class="secondary" onClick={() => setRows((all) => [...all, newRow()])}>
        {t('添加一行', 'Add a row')}
      </button>
      {error && <ErrorNote error={error} />}
      <p role="status" class="hint">
        {answered.length > 0 &&
          t(
            `已答复 ${answered.length} 份：登记 ${recorded} 份，未登记 ${answered.length - recorded} 份。`,
            `${answered.length} answered: ${recorded} recorded, ${answered.length - recorded} not.`,
          )}
      </p>
      <div class="actions">
        <button type="submit" disabled={busy || !pending.length}>
          {busy
            ? t('正在登记…', 'Recording…')
            : t(`登记 ${pending.length} 份`, `Record ${pending.length} cop${pending.length === 1 ? 'y' : 'ies'}`)}
        </button>
        {recorded > 0 && (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              setRows((all) => {
                const left = all.filter((r) => r.answer?.status !== 200);
                return left.length ? left : [newRow()];
              })
            }
          >
            {t('清除已登记的行', 'Clear the recorded rows')}
          </button>
        )}
      </div>
    </form>
  );
}
