import type { ObligationView } from '../types';
import { achievedKey, type Values } from './fields';

/**
 * What this device keeps of a report handed in: what was typed, to correct it without typing it
 * again if it is returned; forgotten once it is accepted.
 */
const savedKey = (applicationId: string, o: ObligationView) => `gdast.report.${applicationId}.${o.obligationId}`;

export const saveValues = (applicationId: string, o: ObligationView, values: Values) =>
  localStorage.setItem(savedKey(applicationId, o), JSON.stringify(values));

export const forgetValues = (applicationId: string, o: ObligationView) =>
  localStorage.removeItem(savedKey(applicationId, o));

/** What was typed the last time this report was handed in (to correct a returned one without typing it again). */
function savedValues(applicationId: string, o: ObligationView): Values {
  try {
    return (JSON.parse(localStorage.getItem(savedKey(applicationId, o)) ?? '{}') as Values) ?? {};
  } catch {
    return {};
  }
}

/** What the form starts with: what was typed last time, and what the API holds as achieved for any target not typed. */
export function initialValues(applicationId: string, o: ObligationView): Values {
  const saved = savedValues(applicationId, o);
  for (const target of o.targets ?? [])
    if (target.achieved !== undefined && saved[achievedKey(target)] === undefined)
      saved[achievedKey(target)] = target.achieved;
  return saved;
}
