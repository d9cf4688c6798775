/**
 * The common fields of the application form (申请书), the same for every project type. Each
 * top-level field is its own schema so validation can list every bad field, not stop at the first.
 */
import * as z from '../zod';
import type { ApplicationDetails } from './details-schemas';
import { once } from '../once';
import { formFieldSchemas, list, text } from './field-schemas';

function personSchema() {
  const { EmailField, PhoneField } = formFieldSchemas();
  return z.strictObject({
    name: text(1, 100),
    /** job title / professional title (职务/职称) */
    title: text(1, 100),
    phone: PhoneField,
    email: EmailField,
  });
}
export type Person = z.infer<ReturnType<typeof personSchema>>;

function budgetSchema() {
  const { Count } = formFieldSchemas();
  return z.strictObject({
    requestedCny: z.int().check(z.positive()),
    items: list(z.strictObject({ name: text(1, 200), amountCny: Count }), 1, 50),
    /** the unit's own matching funds, if any */
    matchingFundsCny: z.optional(Count),
  });
}
export type Budget = z.infer<ReturnType<typeof budgetSchema>>;

const indicatorSchema = () =>
  z.strictObject({ name: text(1, 200), target: z.union([text(1, 100), z.number()]), unit: text(0, 30) });
export type Indicator = z.infer<ReturnType<typeof indicatorSchema>>;

function performanceTargetsSchema() {
  const Indicators = list(indicatorSchema(), 0, 30);
  return z.strictObject({
    output: z.strictObject({ quantity: Indicators, quality: Indicators, timeliness: Indicators, cost: Indicators }),
    effect: Indicators,
    satisfaction: Indicators,
  });
}
export type PerformanceTargets = z.infer<ReturnType<typeof performanceTargetsSchema>>;

export const CO_ORGANISER_KINDS = [
  'national-society',
  'city-association',
  'society-alliance',
  'leading-enterprise',
  'other',
] as const;
const coOrganiserSchema = () => z.strictObject({ name: text(1, 200), kind: z.enum(CO_ORGANISER_KINDS) });
export type CoOrganiser = z.infer<ReturnType<typeof coOrganiserSchema>>;

/** The top-level fields, in the order their issues are listed. */
export const FIELD_NAMES = [
  'projectTypeId',
  'title',
  'lead',
  'contact',
  'startDate',
  'endDate',
  'summary',
  'implementationPlan',
  'budget',
  'performanceTargets',
  'coOrganisers',
  'discipline',
  'expertsToAvoid',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
/** `details` is not in formFields: its schema depends on the project type, so it is parsed after the type is known. */
export const ALL_FIELD_NAMES: ReadonlySet<string> = new Set<string>([...FIELD_NAMES, 'details']);

/** The top-level fields, each validated on its own (so every bad field is listed); built on first use (../once.ts). */
export const formFields = once(() => {
  const { IsoDateField } = formFieldSchemas();
  const person = personSchema();
  return {
    projectTypeId: text(1, 100),
    title: text(1, 200),
    lead: person,
    contact: person,
    startDate: IsoDateField,
    endDate: IsoDateField,
    summary: text(1, 5000),
    implementationPlan: text(1, 20000),
    budget: budgetSchema(),
    performanceTargets: performanceTargetsSchema(),
    /** optional; [] when omitted */
    coOrganisers: z.optional(list(coOrganiserSchema(), 0, 20)),
    discipline: z.strictObject({ basicScience: z.boolean(), field: text(1, 100) }),
    /** optional: up to 3 experts the unit asks not to review it (回避专家) */
    expertsToAvoid: z.optional(list(text(1, 100), 0, 3)),
  } satisfies Record<FieldName, z.ZodMiniType>;
});

export type ApplicationForm = {
  projectTypeId: string;
  title: string;
  lead: Person;
  contact: Person;
  startDate: string;
  endDate: string;
  summary: string;
  implementationPlan: string;
  budget: Budget;
  performanceTargets: PerformanceTargets;
  coOrganisers: CoOrganiser[];
  expertsToAvoid?: string[];
  discipline: { basicScience: boolean; field: string };
  details: ApplicationDetails;
};
