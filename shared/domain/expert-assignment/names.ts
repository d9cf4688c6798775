/** How people and disciplines are compared, and what an application names (the candidate of a stored form). */
import type { ApplicationForm } from '../application-form';
import type { Expert } from '../experts';
import type { ReviewCandidate } from './types';

/** Printable ASCII and CJK unified ideographs: text that NFKC leaves as it is. */
const NFKC_STABLE_RE = /^[ -~\u4e00-\u9fff]*$/;

/** A person's name, an email or an id as compared: NFKC, no whitespace at all, lower case. */
export function personKey(value: string): string {
  // ASCII and CJK unified ideographs are unchanged by NFKC: skip it (the common case, and costly).
  const normalized = NFKC_STABLE_RE.test(value) ? value : value.normalize('NFKC');
  return normalized.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '').toLowerCase();
}

/**
 * The keys a discipline is matched by: the field itself, and its base without a bracketed
 * qualifier ("物理学（量子科技）" is matched by experts of 物理学 and of 物理学（量子科技）).
 */
export function disciplineKeys(field: string): string[] {
  const full = personKey(field);
  if (!full) return [];
  const base = full.replace(/\([^()]*\)$/, '');
  return base && base !== full ? [full, base] : [full];
}

/** Whether the expert works in the candidate's discipline. */
export function disciplineMatches(expert: Expert, discipline: string): boolean {
  const wanted = new Set(disciplineKeys(discipline));
  return expert.disciplines.some((d) => disciplineKeys(d).some((k) => wanted.has(k)));
}

function addName(into: string[], value: unknown): void {
  if (typeof value === 'string' && value.trim()) into.push(value.trim());
}

function namesOf(list: unknown): string[] {
  const names: string[] = [];
  if (Array.isArray(list))
    for (const item of list)
      if (item !== null && typeof item === 'object') addName(names, (item as { name?: unknown }).name);
  return names;
}

/**
 * The review candidate of a stored application: its unit, discipline, the people it names (the
 * lead's and the contact's names and emails, the speakers and the main-forum experts), and the
 * experts its unit asked to avoid.
 */
export function candidateFromForm(
  applicationId: string,
  unitId: string,
  form: ApplicationForm & { expertsToAvoid?: string[] },
): ReviewCandidate {
  const named: string[] = [];
  addName(named, form.lead?.name);
  addName(named, form.contact?.name);
  addName(named, form.lead?.email);
  addName(named, form.contact?.email);
  const details = (form.details ?? {}) as Record<string, unknown>;
  named.push(...namesOf(details.speakers), ...namesOf(details.mainForumExperts));
  const seen = new Set<string>();
  const namedPeople = named.filter((name) => {
    const key = personKey(name);
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const expertsToAvoid: string[] = [];
  for (const name of form.expertsToAvoid ?? []) addName(expertsToAvoid, name);
  return { applicationId, unitId, discipline: form.discipline?.field ?? '', namedPeople, expertsToAvoid };
}
