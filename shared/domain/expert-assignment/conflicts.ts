/** Conflicts of interest, and the next-best expert for one application (a replacement, a late panel). */
import type { Expert } from '../experts';
import { disciplineKeys, personKey } from './names';
import type { ReviewCandidate } from './types';

/** A reusable conflict test for one candidate (its names normalised once). */
function conflictTest(candidate: ReviewCandidate): (expert: Expert) => string | undefined {
  const named = new Map<string, string>();
  for (const person of candidate.namedPeople) {
    const key = personKey(person);
    if (key && !named.has(key)) named.set(key, person.trim());
  }
  const avoid = new Map<string, string>();
  for (const person of candidate.expertsToAvoid) {
    const key = personKey(person);
    if (key && !avoid.has(key)) avoid.set(key, person.trim());
  }
  return (expert) => {
    if (expert.unitIds.includes(candidate.unitId)) return `member of the applying unit ${candidate.unitId}`;
    const name = personKey(expert.name);
    const email = personKey(expert.email);
    const asNamed = named.get(name) ?? named.get(email);
    if (asNamed !== undefined) return `named in the application (${asNamed})`;
    const asAvoided = avoid.get(name) ?? avoid.get(email) ?? avoid.get(personKey(expert.expertId));
    if (asAvoided !== undefined) return `the applying unit asked to avoid them (${asAvoided})`;
    return undefined;
  };
}

/**
 * Why `expert` may not review `candidate`, or undefined: a member of the applying unit, a person
 * the application names (by name, or by email), or one the unit asked to avoid (by name, email or
 * expertId). Names are compared trimmed and whitespace-insensitive.
 */
export function conflictOf(expert: Expert, candidate: ReviewCandidate): string | undefined {
  return conflictTest(candidate)(expert);
}

/**
 * The next-best eligible expert for one application, when an assigned one declines or declares a
 * conflict: no conflict, not in `exclude` nor already assigned to it, below its cap under `load`;
 * the discipline preferred, then the least relative load, then the smallest expertId.
 */
export function nextExpert(
  candidate: ReviewCandidate,
  experts: Expert[],
  load: Map<string, number>,
  exclude: Set<string>,
): Expert | undefined {
  const conflict = conflictTest(candidate);
  const assigned = new Set(candidate.assigned ?? []);
  const wanted = new Set(disciplineKeys(candidate.discipline));
  let best: Expert | undefined;
  let bestMatch = false;
  let bestLoad = 0;
  for (const expert of experts) {
    if (exclude.has(expert.expertId) || assigned.has(expert.expertId)) continue;
    const current = load.get(expert.expertId) ?? 0;
    if (current >= expert.maxLoad || conflict(expert) !== undefined) continue;
    const match = expert.disciplines.some((d) => disciplineKeys(d).some((k) => wanted.has(k)));
    if (best) {
      if (match !== bestMatch) {
        if (!match) continue;
      } else {
        const x = (current + 1) * best.maxLoad;
        const y = (bestLoad + 1) * expert.maxLoad;
        if (x > y || (x === y && expert.expertId >= best.expertId)) continue;
      }
    }
    best = expert;
    bestMatch = match;
    bestLoad = current;
  }
  return best;
}
