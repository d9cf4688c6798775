import type { Call } from '@shared/domain/catalogue/call-schema';
import { useMemo, useState } from 'preact/hooks';
import { formProblems, type Problem } from './checks';
import type { FormValue } from './values';

/**
 * A 申请书 being edited (a draft or an amendment): its value, the fields left, whether every problem
 * shows, and its problems: the schema's and the notice's as it is typed, and the API's last refusal,
 * which stays by its fields until the form changes.
 */
export function useApplicationForm(call: Call, initial: FormValue, refusal: Problem[] = [], showAllAtFirst = false) {
  const [form, setForm] = useState<FormValue>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(showAllAtFirst || refusal.length > 0);
  const [refused, setRefusedProblems] = useState({ form: initial, problems: refusal });
  const problems = useMemo(
    () => [...formProblems(call, form), ...(refused.form === form ? refused.problems : [])],
    [call, form, refused],
  );
  return {
    form,
    problems,
    showAll,
    showEveryProblem: () => setShowAll(true),
    /** The API refused the form as it is now: its problems by their fields. */
    refuse: (byField: Problem[]) => setRefusedProblems({ form, problems: byField }),
    editorProps: {
      call,
      value: form,
      onChange: setForm,
      problems,
      touched,
      onTouch: (path: string) => setTouched((s) => new Set([...s, path])),
      showAll,
    },
  };
}
