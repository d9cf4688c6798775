import { useState } from 'preact/hooks';
import { api } from '../api';
import { useText } from '../i18n';
import { newRow, type PaperAnswer, type Row } from './desk-paper-answer';

/** Application numbers as pasted: one a line, or separated by spaces, commas or semicolons. */
const numbersIn = (pasted: string) =>
  pasted
    .split(/[\s,，；;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The envelopes of the stack, one row each, and the ways staff change them. */
export function usePaperCopyRows() {
  const [rows, setRows] = useState<Row[]>([newRow()]);
  return {
    rows,
    setRows,
    /** the rows with a number that are not recorded yet: what the next submit sends */
    pending: rows.filter((r) => r.applicationId.trim() && r.answer?.status !== 200),
    /** a row changed: its old answer no longer holds */
    update: (key: number, change: Partial<Row>) =>
      setRows((all) => all.map((r) => (r.key === key ? { ...r, ...change, answer: undefined } : r))),
    add: () => setRows((all) => [...all, newRow()]),
    remove: (key: number) => setRows((all) => (all.length > 1 ? all.filter((r) => r.key !== key) : [newRow()])),
    /** the pasted numbers as rows in place of the empty ones; false when there were none */
    addPasted: (pasted: string) => {
      const numbers = numbersIn(pasted);
      if (!numbers.length) return false;
      setRows((all) => [...all.filter((r) => r.applicationId.trim()), ...numbers.map((n) => newRow(n))]);
      return true;
    },
    clearRecorded: () =>
      setRows((all) => {
        const left = all.filter((r) => r.answer?.status !== 200);
        return left.length ? left : [newRow()];
      }),
  };
}

/** Records the pending rows at once, once confirmed, and gives each row its own answer. */
export function useRecordPaperCopies(
  { callId, receivedOn }: { callId: string; receivedOn: string },
  { pending, setRows }: Pick<ReturnType<typeof usePaperCopyRows>, 'pending' | 'setRows'>,
) {
  const { t } = useText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const confirmed = () =>
    window.confirm(
      t(
        `登记 ${pending.length} 份纸质材料？登记后不能撤销。`,
        `Record ${pending.length} paper cop${pending.length > 1 ? 'ies' : 'y'}? This cannot be undone.`,
      ),
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pending.length || busy) return;
    if (!confirmed()) return;
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
  return { busy, error, submit };
}
