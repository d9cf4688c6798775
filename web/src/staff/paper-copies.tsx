import { useState } from 'preact/hooks';
import type { Call } from '@shared/domain/catalogue/call-schema';
import { api } from '../api';
import { instantText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import type { CallListing } from '../types';
import { Field, valueOf } from './desk-fields';
import { beijingDay, type Row } from './desk-paper-answer';
import { PaperRow } from './desk-paper-row';
import { usePaperCopyRows, useRecordPaperCopies } from './desk-paper-rows';

async function loadCalls() {
  const listing = await api<CallListing>('GET', '/calls');
  const calls = await Promise.all(listing.calls.map((c) => api<Call>('GET', `/calls/${encodeURIComponent(c.callId)}`)));
  return { today: beijingDay(listing.now), calls };
}

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
  const { t } = useText();
  const [callId, setCallId] = useState(calls.find((c) => !c.sample)?.callId ?? calls[0]?.callId ?? '');
  const [receivedOn, setReceivedOn] = useState(today);
  const rows = usePaperCopyRows();
  const record = useRecordPaperCopies({ callId, receivedOn }, rows);
  const call = calls.find((c) => c.callId === callId);
  return (
    <form onSubmit={(e) => void record.submit(e)} class="desk-form" noValidate>
      <p class="hint">
        {t(
          '按信封上的申请编号逐份录入（也可一次粘贴多行），填写收到日期后一次提交；每份的登记结果显示在该行旁边。',
          'Type the application number on each envelope (or paste several lines), give the day they arrived and record them at once; each row then shows its answer.',
        )}
      </p>
      {calls.length > 1 && <PaperCallChoice calls={calls} callId={callId} onChange={setCallId} />}
      {call && <PaperDeadline call={call} />}
      <PaperReceivedOn value={receivedOn} today={today} onChange={setReceivedOn} />
      <PaperPaste onAdd={rows.addPasted} />

      <h2 id="paper-rows">{t('本批信封', 'The envelopes')}</h2>
      <ol class="paper-rows" aria-labelledby="paper-rows">
        {rows.rows.map((row, i) => (
          <PaperRow
            key={row.key}
            row={row}
            index={i}
            today={today}
            lastDay={call ? beijingDay(call.paperCopyDeadline) : ''}
            onChange={rows.update}
            onRemove={rows.remove}
          />
        ))}
      </ol>
      <button type="button" class="secondary" onClick={rows.add}>
        {t('添加一行', 'Add a row')}
      </button>
      {record.error && <ErrorNote error={record.error} />}
      <PaperActions rows={rows.rows} pending={rows.pending.length} busy={record.busy} onClear={rows.clearRecorded} />
    </form>
  );
}

function PaperCallChoice(props: { calls: Call[]; callId: string; onChange: (callId: string) => void }) {
  const { t, b } = useText();
  return (
    <Field id="paper-call" label={t('申报批次', 'Call')} problems={[]}>
      {(aria) => (
        <select {...aria} value={props.callId} onChange={(e) => props.onChange(valueOf(e))}>
          {props.calls.map((c) => (
            <option key={c.callId} value={c.callId}>
              {b(c.title)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PaperDeadline({ call }: { call: Call }) {
  const { t, lang } = useText();
  return (
    <p>
      {t('纸质材料截止：', 'Paper copies due: ')}
      {instantText(call.paperCopyDeadline, lang)}
      {t('（此后收到的不予受理）', ' (one received later does not count)')}
    </p>
  );
}

/** The received date for the whole stack. */
function PaperReceivedOn(props: { value: string; today: string; onChange: (day: string) => void }) {
  const { t } = useText();
  return (
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
        <input
          {...aria}
          type="date"
          value={props.value}
          max={props.today}
          onInput={(e) => props.onChange(valueOf(e))}
        />
      )}
    </Field>
  );
}

/** Several application numbers pasted at once, added to the list as rows. */
function PaperPaste({ onAdd }: { onAdd: (pasted: string) => boolean }) {
  const { t } = useText();
  const [pasted, setPasted] = useState('');
  return (
    <>
      <Field
        id="paper-paste"
        label={t('粘贴申请编号（每行一个）', 'Paste application numbers (one a line)')}
        problems={[]}
      >
        {(aria) => <textarea {...aria} rows={4} value={pasted} onInput={(e) => setPasted(valueOf(e))} />}
      </Field>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          if (onAdd(pasted)) setPasted('');
        }}
      >
        {t('加入下表', 'Add to the list')}
      </button>
    </>
  );
}

/** How many rows the API answered, the submit button, and clearing the recorded rows. */
function PaperActions(props: { rows: Row[]; pending: number; busy: boolean; onClear: () => void }) {
  const { t } = useText();
  const { pending, busy } = props;
  const answered = props.rows.filter((r) => r.answer);
  const recorded = answered.filter((r) => r.answer?.status === 200).length;
  return (
    <>
      <p role="status" class="hint">
        {answered.length > 0 &&
          t(
            `已答复 ${answered.length} 份：登记 ${recorded} 份，未登记 ${answered.length - recorded} 份。`,
            `${answered.length} answered: ${recorded} recorded, ${answered.length - recorded} not.`,
          )}
      </p>
      <div class="actions">
        <button type="submit" disabled={busy || !pending}>
          {busy
            ? t('正在登记…', 'Recording…')
            : t(`登记 ${pending} 份`, `Record ${pending} cop${pending === 1 ? 'y' : 'ies'}`)}
        </button>
        {recorded > 0 && (
          <button type="button" class="secondary" onClick={props.onClear}>
            {t('清除已登记的行', 'Clear the recorded rows')}
          </button>
        )}
      </div>
    </>
  );
}
