import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Problem } from '../form/checks';
import type { ObligationView } from '../types';
import { attachmentsOf, reportProblems, useShownProblems } from './checks';
import { fieldsOf, type Values } from './fields';
import { reportKindOf, reportPath } from './obligation';
import { reportProblem } from './problems';
import { initialValues, saveValues } from './saved';
import { useUploads } from './upload';

/**
 * The state of the form that hands a report in: what was typed, the files uploaded, the problems
 * shown, and handing it in (kept on this device, to correct it if it is returned).
 */
export function useReportForm(applicationId: string, obligation: ObligationView, onSent: () => void) {
  const kind = reportKindOf(obligation);
  const route = `/applications/${applicationId}/reports/${reportPath(obligation)}`;
  const [values, setValues] = useState<Values>(() => initialValues(applicationId, obligation));
  const marks = useShownProblems();
  const files = useUploads(route, () => marks.forgetApiProblems((path) => path.startsWith('attachments')));
  const handIn = useHandIn(route, marks.setApiProblems);
  const fields = fieldsOf(kind, values, obligation.targets);
  const problems = reportProblems(kind, obligation.targets, fields, files.done);

  const set = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    marks.forgetApiProblems((path) => path === `fields.${key}` || path.startsWith(`fields.${key}.`));
  };
  const submit = () => {
    marks.showEvery();
    const ready = !problems.length && !files.busy;
    return handIn.send(ready, { fields, attachments: attachmentsOf(files.done) }, () => {
      saveValues(applicationId, obligation, values);
      onSent();
    });
  };
  const { showAll, touch } = marks;
  return { kind, values, set, touch, showAll, ...marks.view(problems), files, submit, ...handIn.status };
}

/** Hands the report in once: a double click sends it once, and the API's refusal is told as problems. */
function useHandIn(route: string, onRefused: (problems: Problem[]) => void) {
  const [error, setError] = useState<Error>();
  const [sending, setSending] = useState(false);
  /** set at once on the first click, so a double click hands the report in once */
  const inFlight = useRef(false);

  const send = async (ready: boolean, body: unknown, onSent: () => void) => {
    setError(undefined);
    if (inFlight.current || !ready) return;
    inFlight.current = true;
    setSending(true);
    try {
      await api('POST', route, { body });
      onSent();
    } catch (e) {
      const details = e instanceof ApiError ? e.details : [];
      onRefused(details.map(reportProblem));
      setError(e as Error);
      setSending(false);
      inFlight.current = false;
    }
  };
  return { send, status: { error, sending } };
}
