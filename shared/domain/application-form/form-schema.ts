/**
 * The common fields of the application form (申请书), the same for every project type. Each
 * top-level field is its own schema so validation can list every bad field, not stop at the first.
 */
import * as z from '../zod';
import type { ApplicationDetails } from './details-schemas';
import { Count, EmailField, IsoDateField, list, PhoneField, text } from './field-schemas';

const PersonSchema = z.strictObject({
  name: text(1, 100),
  /** job title / professional title (职务/职称) */
  title: text(1, 100),
  phone: PhoneField,
  email: EmailField,
});
export type Person = z.infer<typeof PersonSchema>;

const BudgetItemSchema = z.strictObject({ name: text(1, 200), amountCny: Count });
export const BudgetSchema = z.strictObject({
  requestedCny: z.int().check(z.positive()),
  items: list(BudgetItemSchema, 1, 50),
  /** the unit's own matching funds, if any */
  matchingFundsCny: z.optional(Count),
});
export type Budget = z.infer<typeof BudgetSchema>;

const IndicatorSchema = z.strictObject({
  name: text(1, 200),
  target: z.union([text(1, 100), z.number()]),
  unit: text(0, 30),
});
export type Indicator = z.infer<typeof IndicatorSchema>;
const Indicators = list(IndicatorSchema, 0, 30);

const PerformanceTargetsSchema = z.strictObject({
  output: z.strictObject({ quantity: Indicators, quality: Indicators, timeliness: Indicators, cost: Indicators }),
  effect: Indicators,
  satisfaction: Indicators,
});
export type PerformanceTargets = z.infer<typeof PerformanceTargetsSchema>;

export const CO_ORGANISER_KINDS = [
  'national-society',
  'city-association',
  'society-alliance',
  'leading-enterprise',
  'other',
] as const;
const CoOrganiserSchema = z.strictObject({ name: text(1, 200), kind: z.enum(CO_ORGANISER_KINDS) });
export type CoOrganiser = z.infer<typeof CoOrganiserSchema>;

const DisciplineSchema = z.strictObject({ basicScience: z.boolean(), field: text(1, 100) });

/** The top-level fields, each validated on its own (so every bad field is listed). */
export const FIELDS = {
  projectTypeId: text(1, 100),
  title: text(1, 200),
  lead: PersonSchema,
  contact: PersonSchema,
  startDate: IsoDateField,
  endDate: IsoDateField,
  summary: text(1, 5000),
  implementationPlan: text(1, 20000),
  budget: BudgetSchema,
  performanceTargets: PerformanceTargetsSchema,
  /** optional; [] when omitted */
  coOrganisers: z.optional(list(CoOrganiserSchema, 0, 20)),
  discipline: DisciplineSchema,
  /** optional: up to 3 experts the unit asks not to review it (回避专家) */
  expertsToAvoid: z.optional(list(text(1, 100), 0, 3)),
} as const;

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
/** `details` is not in FIELDS: its schema depends on the project type, so it is parsed after the type is known. */
export const ALL_FIELD_NAMES: ReadonlySet<string> = new Set<string>([...FIELD_NAMES, 'details']);

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
