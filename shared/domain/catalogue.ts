/**
 * The call catalogue: a call (its project types, quotas, funding, deadlines, rules and
 * checkable requirements) is data in `seeds/`, validated here once, at first use.
 *
 * Nothing about a call is hard-coded: next year's call is a new seed file `seeds/call-<year>.json`,
 * and nothing else changes.
 */
import * as z from './zod';
import units from '@seeds/units.json';
import { deepFreeze } from './deep-freeze';
import { notFound } from './errors';
import { ScoringFormSchema } from './scoring';

/** The years a call seed may be for. */
const SEED_YEARS = { from: 2000, to: 2100 };

/**
 * Every `seeds/call-<year>.json` there is. The require's path is a template, so esbuild bundles
 * every file the pattern matches (and jest reads them from disk): a new seed needs no code. A year
 * without a file is simply skipped.
 */
function readCallSeeds(): { source: string; raw: unknown }[] {
  const seeds: { source: string; raw: unknown }[] = [];
  for (let year = SEED_YEARS.from; year <= SEED_YEARS.to; year++) {
    let raw: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a glob the bundler expands; see above
      raw = require(`../../seeds/call-${year}.json`);
    } catch {
      continue;
    }
    seeds.push({ source: `seeds/call-${year}.json`, raw });
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** An ISO 8601 instant with an explicit offset, e.g. "2023-09-25T23:59:59.999+08:00". */
const ISO_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const KEBAB_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A dot path into the application body: "details.offlineAttendance", "details.speakers". */
const DOT_PATH_RE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** True for a real calendar date written "YYYY-MM-DD" (no 2023-02-30). */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || !ISO_DATE_RE.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const IsoDate = z.string().check(z.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' }));
const IsoInstant = z.string().check(
  z.refine((s) => ISO_INSTANT_RE.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 instant with an offset, e.g. 2023-09-25T23:59:59.999+08:00',
  }),
);
const Kebab = z.string().check(z.regex(KEBAB_RE, 'must be a kebab-case id'));
const DotPath = z.string().check(z.regex(DOT_PATH_RE, 'must be a dot path such as details.offlineAttendance'));
const NonBlank = z.string().check(z.trim(), z.minLength(1));

export const BilingualSchema = z.strictObject({ zh: NonBlank, en: NonBlank });
export type Bilingual = z.infer<typeof BilingualSchema>;

const TextItem = z.strictObject({ id: Kebab, text: BilingualSchema });

const Phone = z.string().check(z.regex(/^[0-9+\- ]{5,30}$/, 'must be a phone number'));

// ---------------------------------------------------------------------------------------------
// Checks: the checkable requirements of a project type, as data. `path` is a dot path into the
// application body; `field` is a dot path into each item of the array at `path`.

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Sources a `oneOf` check may take its values from: a string array on the call. */
export const VALUE_SOURCES = ['guangdongCities'] as const;

export const CheckSchema = z.discriminatedUnion('op', [
  /** number at path ≥ value */
  z.strictObject({ op: z.literal('min'), path: DotPath, value: z.number() }),
  /** number at path ≤ value */
  z.strictObject({ op: z.literal('max'), path: DotPath, value: z.number() }),
  /** value at path is one of `values`, or of the call's list named by `valuesFrom` */
  z
    .strictObject({
      op: z.literal('oneOf'),
      path: DotPath,
      values: z.optional(z.array(z.string()).check(z.minLength(1))),
      valuesFrom: z.optional(z.enum(VALUE_SOURCES)),
    })
    .check(
      z.refine((c) => (c.values === undefined) !== (c.valuesFrom === undefined), {
        message: 'a oneOf check needs exactly one of values or valuesFrom',
      }),
    ),
  /** array length ≥ value */
  z.strictObject({ op: z.literal('minCount'), path: DotPath, value: z.int().check(z.gte(0)) }),
  /** distinct values of `field` among the array's items ≥ value */
  z.strictObject({ op: z.literal('minDistinct'), path: DotPath, field: DotPath, value: z.int().check(z.gte(0)) }),
  /** items whose `field` === equals ≥ value */
  z.strictObject({
    op: z.literal('minCountWhere'),
    path: DotPath,
    field: DotPath,
    equals: Scalar,
    value: z.int().check(z.gte(0)),
  }),
  /** items matching `where` whose `field` is filled in (not blank) ≥ value */
  z.strictObject({
    op: z.literal('minCountWith'),
    path: DotPath,
    field: DotPath,
    where: z.strictObject({ field: DotPath, equals: Scalar }),
    value: z.int().check(z.gte(0)),
  }),
  /** every one of `values` appears as `field` of some item (of the items matching `where`, if given) */
  z.strictObject({
    op: z.literal('coversAll'),
    path: DotPath,
    field: DotPath,
    values: z.array(z.string()).check(z.minLength(1)),
    where: z.optional(z.strictObject({ field: DotPath, equals: Scalar })),
    /** how to name each value in a formal-check reason; the raw value is used when absent */
    labels: z.optional(z.record(z.string(), BilingualSchema)),
  }),
]);
export type Check = z.infer<typeof CheckSchema>;
export type CheckOp = Check['op'];

export const RequirementSchema = z.strictObject({ id: Kebab, text: BilingualSchema, check: CheckSchema });
export type Requirement = z.infer<typeof RequirementSchema>;

// ---------------------------------------------------------------------------------------------
// Project types

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
export const FormKindSchema = z.enum(FORM_KINDS);
export type FormKind = z.infer<typeof FormKindSchema>;

export const CATEGORY_IDS = ['academic-exchange', 'society-capacity', 'support-programme', 'party-building'] as const;

export const FundingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), amountCny: z.int().check(z.positive()) }),
  z
    .strictObject({
      kind: z.literal('range'),
      minCny: z.int().check(z.positive()),
      maxCny: z.int().check(z.positive()),
    })
    .check(z.refine((f) => f.minCny <= f.maxCny, { message: 'minCny must not exceed maxCny' })),
]);
export type Funding = z.infer<typeof FundingSchema>;

/**
 * The reports a project hands in after its award (each has its own form: obligations.ts). `duty`:
 * the unit's statement of how it carried out one duty of the notice that names no report of its own.
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
export const ObligationSchema = z
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
export type Obligation = z.infer<typeof ObligationSchema>;

/**
 * A 同等条件下优先 criterion of the notice. `applied`: whether the award ranking reads it from the
 * form and counts it in a tie (award-ranking.ts RANKED_PRIORITIES; a test holds the data to the
 * code). One the form cannot show (`applied: false`) is named as not applied on the department
 * head's page and in the confirmation email: staff weigh it themselves.
 */
export const PrioritySchema = z.strictObject({ id: Kebab, text: BilingualSchema, applied: z.boolean() });
export type Priority = z.infer<typeof PrioritySchema>;

export const ProjectTypeSchema = z
  .strictObject({
    no: z.int().check(z.gte(1)),
    typeId: Kebab,
    category: z.strictObject({ id: z.enum(CATEGORY_IDS), name: BilingualSchema }),
    name: BilingualSchema,
    objective: BilingualSchema,
    /** the objectives to pick one from (type 4) */
    objectives: z.optional(z.array(TextItem).check(z.minLength(1))),
    /** number of awards (项目数量) */
    quota: z.int().check(z.gte(1)),
    funding: FundingSchema,
    /** the project must be finished by this date (inclusive, Beijing time) */
    finishBy: IsoDate,
    /** how many applications of this type one unit may submit; null = only the call's limit */
    perUnitLimit: z.nullable(z.int().check(z.gte(1))),
    /** the staff member who handles this type; staff tasks (formal review, paper copy) go to this address */
    contact: z.strictObject({ department: BilingualSchema, name: NonBlank, phone: Phone, email: z.email() }),
    /** which type-specific details the application form needs */
    form: FormKindSchema,
    /** the checkable requirements, evaluated by the automatic formal check */
    requirements: z.array(RequirementSchema),
    /** 同等条件下优先: the notice's tie-breaking criteria, each saying whether the ranking applies it */
    priorities: z.array(PrioritySchema),
    /** encouragements and duties of the notice that are not checkable from the form */
    guidance: z.array(TextItem),
    /** post-award duties, and the reports due after the forum's or the project's end */
    obligations: z.array(ObligationSchema),
  })
  .check(
    z.superRefine((t, ctx) => {
      for (const key of ['requirements', 'priorities', 'guidance', 'obligations'] as const) {
        const seen = new Set<string>();
        t[key].forEach((item, i) => {
          if (seen.has(item.id))
            ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id ${item.id}` });
          seen.add(item.id);
        });
      }
      // Only the forum form asks for the forum's dates: a report due from a forum's end on another form would have no date to count from.
      t.obligations.forEach((o, i) => {
        if (o.due?.after === 'forum-end' && t.form !== 'forum')
          ctx.addIssue({
            code: 'custom',
            path: ['obligations', i, 'due', 'after'],
            message: "a report due from the forum's end needs the forum form (it asks for the forum's dates)",
          });
      });
      if (t.form === 'public-service' && !t.objectives) {
        ctx.addIssue({ code: 'custom', path: ['objectives'], message: 'a public-service type needs its objectives' });
      }
      if (t.objectives) {
        const ids = t.objectives.map((o) => o.id);
        if (new Set(ids).size !== ids.length) {
          ctx.addIssue({ code: 'custom', path: ['objectives'], message: 'duplicate objective id' });
        }
      }
    }),
  );
export type ProjectType = z.infer<typeof ProjectTypeSchema>;

// ---------------------------------------------------------------------------------------------
// The association's own reviews

const StaffMemberSchema = z.strictObject({ name: NonBlank, email: z.email(), title: z.optional(BilingualSchema) });
export type StaffMember = z.infer<typeof StaffMemberSchema>;

export const StaffReviewSchema = z.strictObject({
  assumptions: BilingualSchema,
  department: BilingualSchema,
  /** copied on every overdue staff task */
  departmentHead: StaffMemberSchema,
  /** the staff formal review (形式审查) is due this many days after the automatic check passes */
  formalReviewDays: z._default(z.int().check(z.gte(1), z.lte(60)), 3),
  /** the performance-target review (绩效目标审核) is due this many days after it opens */
  targetReviewDays: z._default(z.int().check(z.gte(1), z.lte(60)), 5),
  /** a unit whose application staff return has this many days to correct it, unless staff set a date */
  correctionDays: z._default(z.int().check(z.gte(1), z.lte(60)), 5),
  /** staff may record a paper copy this many days after the paper deadline (envelopes are opened late) */
  paperCopyGraceDays: z._default(z.int().check(z.gte(0), z.lte(30)), 3),
  /** who reviews performance targets; empty: the type's contact */
  targetReviewers: z._default(z.array(StaffMemberSchema), []),
});
export type StaffReview = z.infer<typeof StaffReviewSchema>;

export const ExpertReviewSchema = z
  .strictObject({
    assumptions: BilingualSchema,
    /** the review round opens by itself at this instant (staff may start it earlier) */
    opensAt: IsoInstant,
    /** every expert task is due at this instant */
    deadline: IsoInstant,
    /** an application is never ranked on fewer than 3 valid scores (scoring.ts), so at least 3 */
    expertsPerApplication: z._default(z.int().check(z.gte(3), z.lte(15)), 5),
    scoringForm: ScoringFormSchema,
  })
  .check(
    z.refine((r) => Date.parse(r.opensAt) < Date.parse(r.deadline), {
      message: 'the review must open before its deadline',
      path: ['deadline'],
    }),
  );
export type ExpertReview = z.infer<typeof ExpertReviewSchema>;

// ---------------------------------------------------------------------------------------------
// The call

export const CallSchema = z
  .strictObject({
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
    /**
     * How the association's own reviews run. The notice names no dates for them: the values are the
     * department's working assumptions, stated in `assumptions`, changed in data, never in code.
     */
    staffReview: StaffReviewSchema,
    /** The expert review (专家评审): dates, panel size and the scoring form, as the department's assumptions. */
    review: ExpertReviewSchema,
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
    /** the call before this one: its obligations decide a unit's standing in this one */
    previousCallId: z.optional(Kebab),
    /** the prefecture-level cities of Guangdong, Chinese names without 市 */
    guangdongCities: z.array(NonBlank).check(z.minLength(1)),
    projectTypes: z.array(ProjectTypeSchema).check(z.minLength(1)),
  })
  .check(
    z.superRefine((c, ctx) => {
      const opens = Date.parse(c.opensAt);
      const sub = Date.parse(c.submissionDeadline);
      const paper = Date.parse(c.paperCopyDeadline);
      if (!(opens < sub))
        ctx.addIssue({ code: 'custom', path: ['submissionDeadline'], message: 'must be after opensAt' });
      if (!(sub <= paper)) {
        ctx.addIssue({ code: 'custom', path: ['paperCopyDeadline'], message: 'must not be before submissionDeadline' });
      }
      if (new Set(c.guangdongCities).size !== c.guangdongCities.length) {
        ctx.addIssue({ code: 'custom', path: ['guangdongCities'], message: 'duplicate city' });
      }
      const ruleIds = c.rules.map((r) => r.id);
      if (new Set(ruleIds).size !== ruleIds.length)
        ctx.addIssue({ code: 'custom', path: ['rules'], message: 'duplicate rule id' });

      const typeIds = new Set<string>();
      const categoryNames = new Map<string, string>();
      c.projectTypes.forEach((t, i) => {
        if (t.no !== i + 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['projectTypes', i, 'no'],
            message: `project types must be numbered 1..n in order (expected ${i + 1})`,
          });
        }
        if (typeIds.has(t.typeId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['projectTypes', i, 'typeId'],
            message: `duplicate typeId ${t.typeId}`,
          });
        }
        typeIds.add(t.typeId);
        const catName = JSON.stringify(t.category.name);
        const prev = categoryNames.get(t.category.id);
        if (prev !== undefined && prev !== catName) {
          ctx.addIssue({
            code: 'custom',
            path: ['projectTypes', i, 'category'],
            message: `category ${t.category.id} is named differently elsewhere`,
          });
        }
        categoryNames.set(t.category.id, catName);
        if (!(t.finishBy >= c.issuedOn)) {
          ctx.addIssue({
            code: 'custom',
            path: ['projectTypes', i, 'finishBy'],
            message: 'must not be before the call was issued',
          });
        }
      });
    }),
  );
export type Call = z.infer<typeof CallSchema>;

// ---------------------------------------------------------------------------------------------
// Sample units (member societies)

export const UnitSeedSchema = z.strictObject({
  unitId: Kebab,
  name: BilingualSchema,
  email: z.email(),
  standing: z.strictObject({ barred: z.boolean(), reason: z.optional(NonBlank) }),
});
export type UnitSeed = z.infer<typeof UnitSeedSchema>;

// ---------------------------------------------------------------------------------------------
// Loading

/** Validates one call seed; throws an Error naming the seed and every invalid field. */
export function parseCall(raw: unknown, source = 'call seed'): Call {
  const result = CallSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`Invalid call catalogue in ${source}:\n${z.prettifyError(result.error)}`);
  }
  return deepFreeze(result.data);
}

let calls: Call[] | undefined;
let unitSeeds: UnitSeed[] | undefined;

/** Every call in the seeds, validated once (at first use) and frozen. */
export function listCalls(): Call[] {
  if (!calls) {
    const parsed = readCallSeeds().map(({ source, raw }) => parseCall(raw, source));
    const ids = parsed.map((c) => c.callId);
    if (new Set(ids).size !== ids.length) throw new Error(`Invalid call seeds: duplicate callId in ${ids.join(', ')}`);
    calls = deepFreeze(parsed);
  }
  return calls;
}

export function getCall(callId: string): Call | undefined {
  return listCalls().find((c) => c.callId === callId);
}

/** The call, or NOT_FOUND: what a request about a call checks first. */
export function requireCall(callId: string): Call {
  const call = getCall(callId);
  if (!call) throw notFound(`Call ${callId}`);
  return call;
}

export function getProjectType(call: Call, typeId: string): ProjectType | undefined {
  return call.projectTypes.find((t) => t.typeId === typeId);
}

/**
 * Whether the call takes submissions at `now`: open iff opensAt ≤ now ≤ submissionDeadline
 * (the deadline is stored as the last millisecond of its day, Beijing time).
 */
export function submissionOpen(call: Call, now: Date): 'not-open' | 'open' | 'closed' {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('submissionOpen: now is an invalid Date');
  if (t < Date.parse(call.opensAt)) return 'not-open';
  if (t <= Date.parse(call.submissionDeadline)) return 'open';
  return 'closed';
}

/**
 * Whether a request of `requestedCny` is within the type's funding: for a range type,
 * minCny ≤ requested ≤ maxCny; for a fixed type, 0 < requested ≤ amountCny (额度 is the
 * amount awarded per project, so asking for more is refused). Whole yuan only.
 */
export function fundingAllows(type: ProjectType, requestedCny: number): boolean {
  if (!Number.isSafeInteger(requestedCny) || requestedCny <= 0) return false;
  const f = type.funding;
  return f.kind === 'fixed' ? requestedCny <= f.amountCny : requestedCny >= f.minCny && requestedCny <= f.maxCny;
}

/** The funding as people write it: "100000" or "50000–100000". */
export function fundingLabel(type: ProjectType): string {
  const f = type.funding;
  return f.kind === 'fixed' ? `${f.amountCny}` : `${f.minCny}–${f.maxCny}`;
}

/** The sample member societies in seeds/units.json, validated once. */
export function listSeedUnits(): UnitSeed[] {
  if (!unitSeeds) {
    const result = z.array(UnitSeedSchema).safeParse(units);
    if (!result.success) throw new Error(`Invalid seeds/units.json:\n${z.prettifyError(result.error)}`);
    unitSeeds = deepFreeze(result.data);
  }
  return unitSeeds;
}

/** What `GET /calls` lists of a call: enough to choose one and see its deadlines. */
export function callSummary(call: Call) {
  return {
    callId: call.callId,
    year: call.year,
    documentNo: call.documentNo,
    /** a sample call, not an issued notice: `sampleNote` says so */
    sample: call.sample !== undefined,
    ...(call.sample ? { sampleNote: call.sample.note } : {}),
    title: call.title,
    opensAt: call.opensAt,
    submissionDeadline: call.submissionDeadline,
    paperCopyDeadline: call.paperCopyDeadline,
    projectTypes: call.projectTypes.length,
    awards: call.projectTypes.reduce((sum, type) => sum + type.quota, 0),
  };
}
