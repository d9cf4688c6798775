import type { ApplicationForm } from './application-form';
import type { Priority, ProjectType } from './catalogue';

/**
 * The 同等条件下优先 criteria of the notice that the form can show, which the award ranking counts in
 * a tie (award-ranking.ts).
 */

const CO_ORGANISER_KINDS_PREFERRED: ReadonlySet<string> = new Set([
  'national-society',
  'city-association',
  'society-alliance',
  'leading-enterprise',
]);

export interface PriorityCheck {
  /** a short Chinese name for tie-break reasons (the English reasons use the id) */
  zh: string;
  met: (form: ApplicationForm) => boolean;
}

export const PRIORITY_CHECKS: Readonly<Record<string, PriorityCheck>> = {
  /** a co-organiser of a preferred kind: national society, city association, society alliance, leading enterprise */
  'co-organised': {
    zh: '联合承办',
    met: (form) => form.coOrganisers.some((c) => CO_ORGANISER_KINDS_PREFERRED.has(c.kind)),
  },
  /** the forum names the city whose industry it is tied to */
  'city-industry-link': {
    zh: '结合地市产业',
    met: (form) => {
      const city = (form.details as { industryLinkCity?: unknown }).industryLinkCity;
      return typeof city === 'string' && city.trim().length > 0;
    },
  },
  'basic-science': {
    zh: '基础学科',
    met: (form) => form.discipline.basicScience === true,
  },
  'matching-funds': {
    zh: '有配套资金',
    met: (form) => (form.budget.matchingFundsCny ?? 0) > 0,
  },
  /** national or provincial expert service groups brought into the activity month */
  'expert-service-groups': {
    zh: '引入专业服务团',
    met: (form) => {
      const groups = (form.details as { expertServiceGroups?: unknown }).expertServiceGroups;
      return Array.isArray(groups) && groups.length > 0;
    },
  },
  // Not checkable from the form, so never counted in a tie-break (undefined below):
  //  - 'media-relations-and-experience' (communication programme): relations with mainstream media
  //    and experience of similar projects need evidence (agreements, past coverage) the 2024 form
  //    does not carry;
  //  - 'prior-association-projects' (Nanyue platform): earlier association projects need the
  //    association's own records of past awards, which the 2024 form does not carry.
};

/** The check of `priorityId`, or undefined for one the form cannot show or this code does not know. */
export function priorityCheck(priorityId: string): PriorityCheck | undefined {
  return Object.prototype.hasOwnProperty.call(PRIORITY_CHECKS, priorityId) ? PRIORITY_CHECKS[priorityId] : undefined;
}

/**
 * The 同等条件下优先 criteria the ranking reads from the form and counts in a tie. The call data
 * marks each priority `applied` accordingly (a test holds the data to this set); the others
 * (media relations and experience, earlier association projects) are named on the department
 * head's page and in the confirmation email as not applied, for staff to weigh themselves.
 */
export const RANKED_PRIORITIES: ReadonlySet<string> = new Set(Object.keys(PRIORITY_CHECKS));

/**
 * The tie-breaks after the priorities, in the order compareTied applies them: the notice names
 * none, so the call data lists them (awardRanking.furtherTieBreaks) as the department's
 * assumptions, and a test holds that list to this one.
 */
export const FURTHER_TIE_BREAKS = ['score-spread', 'submission-time'] as const;

/** The type's priorities split by whether the ranking counts them (the call data's `applied`, only where the code can check). */
export function prioritiesByRanking(type: ProjectType): { applied: Priority[]; notApplied: Priority[] } {
  const applied = type.priorities.filter((p) => p.applied && RANKED_PRIORITIES.has(p.id));
  return { applied, notApplied: type.priorities.filter((p) => !applied.includes(p)) };
}

/**
 * Whether the application's form shows it meets the 同等条件下优先 criterion `priorityId`:
 * true / false for the criteria the form can show, undefined for one it cannot (media relations
 * and experience, earlier association projects: they need evidence the 2024 form does not carry)
 * or an id this code does not know. A criterion whose field the form kind lacks is false.
 */
export function priorityMet(priorityId: string, form: ApplicationForm): boolean | undefined {
  const check = priorityCheck(priorityId);
  return check ? check.met(form) : undefined;
}

/** The type's criteria the form shows it meets (what the ranking reads instead of the whole form). */
export function prioritiesMetOn(type: ProjectType, form: ApplicationForm): string[] {
  return type.priorities.filter((p) => p.applied && priorityMet(p.id, form) === true).map((p) => p.id);
}
