/**
 * The call (申报通知) as its seed states it: dates, limits, rules, the reviews' assumptions and the
 * project types. Pure schema, so a browser can validate against it as the Lambdas do.
 */
import * as z from '../zod';
import { once } from '../once';
import { fieldSchemas } from './fields';
import { projectTypeSchema } from './project-type';
import { expertReviewSchema, staffReviewSchema } from './reviews';

/** What the notice states of itself: its document, dates, limits, paper copy, rules and support. */
function noticeFields() {
  const { BilingualSchema, IsoDate, IsoInstant, Kebab, NonBlank, Phone, TextItem } = fieldSchemas();
  return {
    callId: Kebab,
    year: z.int().check(z.gte(2000), z.lte(2100)),
    documentNo: NonBlank,
    issuedOn: IsoDate,
    /**
     * Set on a call the association never issued (a sample seed): `note` says so, and every listing
     * of the call carries it, so no one takes its document number or dates for a real notice's.
     */
    sample: z.optional(z.strictObject({ note: BilingualSchema })),
    issuer: BilingualSchema,
    title: BilingualSchema,
    /** instants with an explicit offset (Beijing, +08:00); the deadlines are inclusive */
    opensAt: IsoInstant,
    submissionDeadline: IsoInstant,
    paperCopyDeadline: IsoInstant,
    /** applications one unit may submit in the call, all types together */
    maxApplicationsPerUnit: z.int().check(z.gte(1)),
    currency: z.literal('CNY'),
    applicationFormName: z.optional(BilingualSchema),
    submissionSystem: z.optional(z.strictObject({ name: BilingualSchema, url: z.url() })),
    paperCopy: z.optional(
      z.strictObject({
        copies: z.int().check(z.gte(1)),
        sealRequired: z.boolean(),
        recipient: BilingualSchema,
        address: z.optional(BilingualSchema),
      }),
    ),
    rules: z.array(TextItem).check(z.minLength(1)),
    technicalSupport: z.strictObject({
      organisation: BilingualSchema,
      contacts: z.array(z.strictObject({ name: NonBlank, phone: Phone })).check(z.minLength(1)),
    }),
  };
}

/** How the association's own reviews and the award's ranking run: the department's assumptions. */
function reviewFields() {
  const { BilingualSchema } = fieldSchemas();
  return {
    /**
     * How the association's own reviews run. The notice names no dates for them: the values are the
     * department's working assumptions, stated in `assumptions`, changed in data, never in code.
     */
    staffReview: staffReviewSchema(),
    /** The expert review (专家评审): dates, panel size and the scoring form, as the department's assumptions. */
    review: expertReviewSchema(),
    /**
     * The award ranking's tie-breaks after the notice's 同等条件下优先 criteria: the notice names none,
     * so these (the smaller spread of the experts' totals, then the earlier submission) are the
     * department's assumptions, stated in `assumptions` and shown as such, never cited as the notice.
     * `furtherTieBreaks` lists them in the order the ranking applies them (award-ranking.ts
     * FURTHER_TIE_BREAKS; a test holds the data to the code).
     */
    awardRanking: z.strictObject({
      assumptions: BilingualSchema,
      furtherTieBreaks: z.array(
        z.strictObject({ id: z.enum(['score-spread', 'submission-time']), text: BilingualSchema }),
      ),
    }),
  };
}

/** What follows the award: the summary report, a unit's standing for the next call, the duties' statements. */
function afterAwardFields() {
  const { BilingualSchema } = fieldSchemas();
  return {
    /**
     * Every awarded project's summary report (项目总结报告): due on the date staff set when they open
     * the reporting round. A unit that missed it, or whose targets were found not met, may not apply
     * to the next call (`previousCallId` of that call names this one). `text` is the notice's words
     * (二(五)); the notice says nothing of what the report holds, so the report form (each target's
     * outcome and a summary) is the department's assumption, stated in `assumptions`: never cited as the notice.
     */
    summaryReport: z.strictObject({ text: BilingualSchema, assumptions: BilingualSchema }),
    /**
     * What bars a unit from the next call beyond the notice's own reasons (二(四): summary report
     * not handed in, targets not met). The notice says nothing of a summary handed in late, or
     * returned and never handed in again: whether those bar too is the department's working
     * assumption, stated in `assumptions`, changed in data, never in code. Absent: the notice's reasons alone.
     */
    standingAssumptions: z.optional(
      z.strictObject({
        assumptions: BilingualSchema,
        /** a summary report first handed in after its due date bars */
        barIfSummaryLate: z._default(z.boolean(), false),
        /** a summary report returned for changes and not handed in again by its due date bars */
        barIfSummaryReturnedAndNotResubmitted: z._default(z.boolean(), false),
      }),
    ),
    /**
     * How a unit answers for a duty of the notice that names no report or date (舆论导向审核把关,
     * 统一保存以备后用, 收集汇总…各项活动): the notice is silent, so a statement on each, due with the
     * summary report and reviewed by staff, is the department's assumption, stated in `assumptions`.
     */
    dutyReports: z.optional(z.strictObject({ assumptions: BilingualSchema })),
  };
}

const callFields = () => {
  const { Kebab, NonBlank } = fieldSchemas();
  return z.strictObject({
    ...noticeFields(),
    ...reviewFields(),
    ...afterAwardFields(),
    /** the call before this one: its obligations decide a unit's standing in this one */
    previousCallId: z.optional(Kebab),
    /** the prefecture-level cities of Guangdong, Chinese names without 市 */
    guangdongCities: z.array(NonBlank).check(z.minLength(1)),
    projectTypes: z.array(projectTypeSchema()).check(z.minLength(1)),
  });
};
type CallFields = z.infer<ReturnType<typeof callFields>>;
type Ctx = z.core.$RefinementCtx<CallFields>;

/** The deadlines in the order the notice means them: open, submit online, then post the paper copy. */
function requireDatesInOrder(c: CallFields, ctx: Ctx): void {
  const opens = Date.parse(c.opensAt);
  const sub = Date.parse(c.submissionDeadline);
  const paper = Date.parse(c.paperCopyDeadline);
  if (!(opens < sub)) ctx.addIssue({ code: 'custom', path: ['submissionDeadline'], message: 'must be after opensAt' });
  if (!(sub <= paper)) {
    ctx.addIssue({ code: 'custom', path: ['paperCopyDeadline'], message: 'must not be before submissionDeadline' });
  }
}

/** A city or a rule id listed twice is a typo in the seed, never meant. */
function requireNoDuplicates(c: CallFields, ctx: Ctx): void {
  if (new Set(c.guangdongCities).size !== c.guangdongCities.length) {
    ctx.addIssue({ code: 'custom', path: ['guangdongCities'], message: 'duplicate city' });
  }
  const ruleIds = c.rules.map((r) => r.id);
  if (new Set(ruleIds).size !== ruleIds.length)
    ctx.addIssue({ code: 'custom', path: ['rules'], message: 'duplicate rule id' });
}

/**
 * The project types as the notice numbers them (1..n), each id once, each category named one way,
 * and none to be finished before the call was even issued.
 */
function requireConsistentProjectTypes(c: CallFields, ctx: Ctx): void {
  const typeIds = new Set<string>();
  const categoryNames = new Map<string, string>();
  c.projectTypes.forEach((t, i) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path: ['projectTypes', i, ...path], message });
    if (t.no !== i + 1) issue(['no'], `project types must be numbered 1..n in order (expected ${i + 1})`);
    if (typeIds.has(t.typeId)) issue(['typeId'], `duplicate typeId ${t.typeId}`);
    typeIds.add(t.typeId);
    const catName = JSON.stringify(t.category.name);
    const prev = categoryNames.get(t.category.id);
    if (prev !== undefined && prev !== catName)
      issue(['category'], `category ${t.category.id} is named differently elsewhere`);
    categoryNames.set(t.category.id, catName);
    if (!(t.finishBy >= c.issuedOn)) issue(['finishBy'], 'must not be before the call was issued');
  });
}

/** A call seed's schema, built on first use (../once.ts says why). */
export const callSchema = once(() =>
  callFields().check(
    z.superRefine((c, ctx) => {
      requireDatesInOrder(c, ctx);
      requireNoDuplicates(c, ctx);
      requireConsistentProjectTypes(c, ctx);
    }),
  ),
);
export type Call = z.infer<ReturnType<typeof callSchema>>;

/** A sample member society (seeds/units.json). */
export const unitSeedSchema = once(() => {
  const { BilingualSchema, Kebab, NonBlank } = fieldSchemas();
  return z.strictObject({
    unitId: Kebab,
    name: BilingualSchema,
    email: z.email(),
    standing: z.strictObject({ barred: z.boolean(), reason: z.optional(NonBlank) }),
  });
});
export type UnitSeed = z.infer<ReturnType<typeof unitSeedSchema>>;
