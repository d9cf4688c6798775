/**
 * A project type of the call (项目类型): its quota, funding, form, requirements and post-award duties.
 * The schemas are built on first use (../once.ts says why).
 */
import * as z from '../zod';
import { once } from '../once';
import { checkSchemas } from './checks';
import { fieldSchemas } from './fields';

export const FORM_KINDS = [
  'forum',
  'activity-month',
  'public-service',
  'salon',
  'training',
  'lecture-hall',
  'publicity',
  'general',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export const CATEGORY_IDS = ['academic-exchange', 'society-capacity', 'support-programme', 'party-building'] as const;

const fundingSchema = () =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fixed'), amountCny: z.int().check(z.positive()) }),
    z
      .strictObject({
        kind: z.literal('range'),
        minCny: z.int().check(z.positive()),
        maxCny: z.int().check(z.positive()),
      })
      .check(z.refine((f) => f.minCny <= f.maxCny, { message: 'minCny must not exceed maxCny' })),
  ]);
export type Funding = z.infer<ReturnType<typeof fundingSchema>>;

/**
 * The reports a project hands in after its award (each has its own form: obligations/report-fields.ts).
 * `duty`: the unit's statement of how it carried out one duty of the notice that names no report of its own.
 */
export const REPORT_KINDS = [
  'forum-statistics',
  'development-report',
  'communication-data-report',
  'summary',
  'duty',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * A post-award duty of a type. With a `report`, the unit hands one in, due a period after an event:
 * the forum's own end (its date and days on the form), or the project's end. Periods are calendar
 * ones: "1个月" is a calendar month (10-19 → 11-19), "1周" 7 days. Without one it is a duty the
 * notice gives no date for: the unit answers for it with a statement (report `duty`) due with the
 * summary report, as the call's `dutyReports` states (the department's assumption).
 */
function obligationSchema() {
  const { BilingualSchema, Kebab } = fieldSchemas();
  return z
    .strictObject({
      id: Kebab,
      text: BilingualSchema,
      report: z.optional(z.enum(REPORT_KINDS)),
      due: z.optional(
        z.strictObject({
          after: z.enum(['forum-end', 'project-end']),
          days: z.optional(z.int().check(z.gte(0), z.lte(366))),
          weeks: z.optional(z.int().check(z.gte(0), z.lte(52))),
          months: z.optional(z.int().check(z.gte(0), z.lte(12))),
        }),
      ),
    })
    .check(
      z.refine((o) => (o.report === undefined) === (o.due === undefined), {
        message: 'a report needs its due rule, and a due rule its report',
        path: ['due'],
      }),
    );
}
export type Obligation = z.infer<ReturnType<typeof obligationSchema>>;

/**
 * A 同等条件下优先 criterion of the notice. `applied`: whether the award ranking reads it from the
 * form and counts it in a tie (award-ranking.ts RANKED_PRIORITIES; a test holds the data to the
 * code). One the form cannot show (`applied: false`) is named as not applied on the department
 * head's page and in the confirmation email: staff weigh it themselves.
 */
function prioritySchema() {
  const { BilingualSchema, Kebab } = fieldSchemas();
  return z.strictObject({ id: Kebab, text: BilingualSchema, applied: z.boolean() });
}
export type Priority = z.infer<ReturnType<typeof prioritySchema>>;

function projectTypeFields() {
  const { BilingualSchema, IsoDate, Kebab, NonBlank, Phone, TextItem } = fieldSchemas();
  return z.strictObject({
    no: z.int().check(z.gte(1)),
    typeId: Kebab,
    category: z.strictObject({ id: z.enum(CATEGORY_IDS), name: BilingualSchema }),
    name: BilingualSchema,
    objective: BilingualSchema,
    /** the objectives to pick one from (type 4) */
    objectives: z.optional(z.array(TextItem).check(z.minLength(1))),
    /** number of awards (项目数量) */
    quota: z.int().check(z.gte(1)),
    funding: fundingSchema(),
    /** the project must be finished by this date (inclusive, Beijing time) */
    finishBy: IsoDate,
    /** how many applications of this type one unit may submit; null = only the call's limit */
    perUnitLimit: z.nullable(z.int().check(z.gte(1))),
    /** the staff member who handles this type; staff tasks (formal review, paper copy) go to this address */
    contact: z.strictObject({ department: BilingualSchema, name: NonBlank, phone: Phone, email: z.email() }),
    /** which type-specific details the application form needs */
    form: z.enum(FORM_KINDS),
    /** the checkable requirements, evaluated by the automatic formal check */
    requirements: z.array(checkSchemas().RequirementSchema),
    /** 同等条件下优先: the notice's tie-breaking criteria, each saying whether the ranking applies it */
    priorities: z.array(prioritySchema()),
    /** encouragements and duties of the notice that are not checkable from the form */
    guidance: z.array(TextItem),
    /** post-award duties, and the reports due after the forum's or the project's end */
    obligations: z.array(obligationSchema()),
  });
}
type ProjectTypeFields = z.infer<ReturnType<typeof projectTypeFields>>;
type Ctx = z.core.$RefinementCtx<ProjectTypeFields>;

/** Each id names one item (an obligation's id keys its record): a duplicate would make two items one. */
function requireUniqueItemIds(t: ProjectTypeFields, ctx: Ctx): void {
  for (const key of ['requirements', 'priorities', 'guidance', 'obligations'] as const) {
    const seen = new Set<string>();
    t[key].forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id ${item.id}` });
      seen.add(item.id);
    });
  }
}

/** Only the forum form asks for the forum's dates: a report due from a forum's end on another form would have no date to count from. */
function requireForumFormForForumEnd(t: ProjectTypeFields, ctx: Ctx): void {
  t.obligations.forEach((o, i) => {
    if (o.due?.after === 'forum-end' && t.form !== 'forum')
      ctx.addIssue({
        code: 'custom',
        path: ['obligations', i, 'due', 'after'],
        message: "a report due from the forum's end needs the forum form (it asks for the forum's dates)",
      });
  });
}

/** The public-service form asks the unit to pick one of the type's objectives, so there must be some to pick. */
function requireObjectivesToPick(t: ProjectTypeFields, ctx: Ctx): void {
  if (t.form === 'public-service' && !t.objectives) {
    ctx.addIssue({ code: 'custom', path: ['objectives'], message: 'a public-service type needs its objectives' });
  }
  if (t.objectives) {
    const ids = t.objectives.map((o) => o.id);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: ['objectives'], message: 'duplicate objective id' });
    }
  }
}

export const projectTypeSchema = once(() =>
  projectTypeFields().check(
    z.superRefine((t, ctx) => {
      requireUniqueItemIds(t, ctx);
      requireForumFormForForumEnd(t, ctx);
      requireObjectivesToPick(t, ctx);
    }),
  ),
);
export type ProjectType = z.infer<ReturnType<typeof projectTypeSchema>>;
