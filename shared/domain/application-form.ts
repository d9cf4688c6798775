/**
 * The application form (申请书): the body of `POST /calls/{callId}/applications` and of
 * `PUT /applications/{applicationId}` (amendments are validated the same way).
 *
 * `validateApplication` lists every bad field (never only the first), never throws, and never
 * writes to its input or to any prototype. It checks the form's shape and the rules that tie
 * fields to the catalogue (dates, funding, budget). Whether the type-specific numbers meet the
 * notice's thresholds (attendance, speakers, sessions…) is the formal check's job
 * (shared/formal-check.ts).
 */
import * as z from './zod';
import type { FieldDetail } from './errors';
import { describeValue, fieldDetails, shortKey } from './field-details';
import {
  type Call,
  type FormKind,
  type ProjectType,
  fundingAllows,
  fundingLabel,
  getProjectType,
  isIsoDate,
} from './catalogue';

/**
 * One bad field. Codes (UPPER_SNAKE): REQUIRED, INVALID_TYPE, NOT_INTEGER, TOO_LONG, TOO_SMALL,
 * TOO_LARGE, TOO_FEW_ITEMS, TOO_MANY_ITEMS, INVALID_VALUE, INVALID_DATE, INVALID_EMAIL,
 * INVALID_PHONE, UNKNOWN_FIELD, UNKNOWN_PROJECT_TYPE, FUNDING_OUT_OF_RANGE, END_BEFORE_START,
 * END_AFTER_FINISH_DATE, BUDGET_MISMATCH, TOO_MANY_ISSUES.
 */
export type FieldIssue = FieldDetail;

export type ValidationResult =
  { ok: true; value: ApplicationForm; type: ProjectType } | { ok: false; issues: FieldIssue[] };

/** At most this many issues are listed (a hostile body could otherwise produce millions). */
export const MAX_ISSUES = 200;

// ---------------------------------------------------------------------------------------------
// Field building blocks. Length checks abort, so a 10 MB string is refused before any regex runs.

const EMAIL_RE =
  /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;
const PHONE_RE = /^[0-9+\- ]{5,30}$/;

/** A text field of min..max characters; a required text (min ≥ 1) must not be blank. */
function text(min: number, max: number) {
  const base = z.string().check(z.maxLength(max, { abort: true }));
  return min > 0
    ? base.check(
        z.refine((s) => s.trim().length >= min, {
          message: min === 1 ? 'must not be empty' : `must have at least ${min} characters`,
          params: { code: min === 1 ? 'REQUIRED' : 'TOO_SHORT' },
        }),
      )
    : base;
}

/**
 * A city in Guangdong as societies write it: "广州", "广州市" or "广东省广州市" all mean 广州, the
 * form the catalogue's city list uses, so the formal check compares like with like.
 */
const CityName = z.pipe(
  text(1, 50),
  z.transform(
    (name: string) =>
      name
        .trim()
        .replace(/^广东省?/, '')
        .replace(/市$/, '') || name.trim(),
  ),
);

/** isIsoDate looks at the length first, so a huge string costs nothing. */
const IsoDateField = z
  .string()
  .check(z.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD', params: { code: 'INVALID_DATE' } }));

const EmailField = z.string().check(
  z.maxLength(254, { abort: true }),
  z.refine((s) => EMAIL_RE.test(s), { message: 'must be an email address', params: { code: 'INVALID_EMAIL' } }),
);

const PhoneField = z.string().check(
  z.refine((s) => s.length <= 30 && PHONE_RE.test(s), {
    message: 'must be 5–30 characters of digits, +, - and spaces',
    params: { code: 'INVALID_PHONE' },
  }),
);

/** A count: a non-negative integer. */
const Count = z.int().check(z.gte(0));
/** Hours and other non-negative quantities. */
const Quantity = z.number().check(z.gte(0));

/** An array of min..max items; the length is checked before the items, and aborts. */
function list<T extends z.ZodMiniType>(item: T, min: number, max: number) {
  const base = z.array(item).check(z.maxLength(max, { abort: true }));
  return min > 0 ? base.check(z.minLength(min)) : base;
}

const PersonSchema = z.strictObject({
  name: text(1, 100),
  /** job title / professional title (职务/职称) */
  title: text(1, 100),
  phone: PhoneField,
  email: EmailField,
});
export type Person = z.infer<typeof PersonSchema>;

const BudgetItemSchema = z.strictObject({ name: text(1, 200), amountCny: Count });
const BudgetSchema = z.strictObject({
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

// ---------------------------------------------------------------------------------------------
// Type-specific details, chosen by the project type's `form` kind

const ForumDetailsSchema = z.strictObject({
  venueCity: CityName,
  days: z.int().check(z.gte(1)),
  /** required: the forum's reports are due from its end (this date plus its days), which nothing else tells */
  startDate: IsoDateField,
  offlineAttendance: Count,
  onlineAttendance: z.optional(Count),
  speakers: list(
    z.strictObject({ name: text(1, 100), title: text(1, 100), affiliation: text(1, 200), subField: text(1, 100) }),
    0,
    50,
  ),
  /** the city whose industry the forum is tied to, if any (a priority criterion) */
  industryLinkCity: z.optional(text(1, 50)),
});

export const SUB_FORUM_KINDS = [
  'lingnan-press-conference',
  'local-economy-seminar',
  'professional-forum',
  'other',
] as const;
export const SOCIETY_DISCIPLINES = ['science', 'engineering', 'agriculture', 'medicine', 'comprehensive'] as const;

const ActivityMonthDetailsSchema = z.strictObject({
  venueCity: CityName,
  days: z.int().check(z.gte(1)),
  offlineAttendance: Count,
  onlineAttendance: z.optional(Count),
  mainForumExperts: list(z.strictObject({ name: text(1, 100), title: text(1, 100), affiliation: text(1, 200) }), 0, 50),
  subForums: list(
    z.strictObject({
      title: text(1, 200),
      kind: z.enum(SUB_FORUM_KINDS),
      /** the member society co-organising it */
      coOrganiser: z.optional(text(1, 200)),
      /** that society's discipline group (理/工/农/医/综合) */
      discipline: z.optional(z.enum(SOCIETY_DISCIPLINES)),
    }),
    0,
    50,
  ),
  expertServiceGroups: z.optional(list(text(1, 200), 0, 20)),
});

/** Static shape; at run time `objective` must be one of the type's objective ids. */
const PublicServiceDetailsSchema = z.strictObject({ objective: text(1, 100) });

const SalonDetailsSchema = z.strictObject({
  sessions: list(z.strictObject({ title: text(1, 200), plannedDate: IsoDateField }), 0, 20),
});

const TrainingDetailsSchema = z.strictObject({ trainees: Count, trips: Count, destination: text(1, 200) });

const LectureHallDetailsSchema = z.strictObject({
  lectures: Count,
  secretaryRecordedHours: Quantity,
  staffRecordedHours: Quantity,
});

const PublicityDetailsSchema = z.strictObject({ bulletinIssues: Count, organisationsCovered: Count });

const GeneralDetailsSchema = z.strictObject({});

export type ForumDetails = z.infer<typeof ForumDetailsSchema>;
export type ActivityMonthDetails = z.infer<typeof ActivityMonthDetailsSchema>;
export type PublicServiceDetails = z.infer<typeof PublicServiceDetailsSchema>;
export type SalonDetails = z.infer<typeof SalonDetailsSchema>;
export type TrainingDetails = z.infer<typeof TrainingDetailsSchema>;
export type LectureHallDetails = z.infer<typeof LectureHallDetailsSchema>;
export type PublicityDetails = z.infer<typeof PublicityDetailsSchema>;
export type GeneralDetails = z.infer<typeof GeneralDetailsSchema>;

export interface DetailsByFormKind {
  forum: ForumDetails;
  'activity-month': ActivityMonthDetails;
  'public-service': PublicServiceDetails;
  salon: SalonDetails;
  training: TrainingDetails;
  'lecture-hall': LectureHallDetails;
  publicity: PublicityDetails;
  general: GeneralDetails;
}
export type ApplicationDetails = DetailsByFormKind[FormKind];

/** The static details schema of each form kind (public-service is narrowed per type at run time). */
export const detailsSchemas: { readonly [K in FormKind]: z.ZodMiniType<DetailsByFormKind[K]> } = {
  forum: ForumDetailsSchema,
  'activity-month': ActivityMonthDetailsSchema,
  'public-service': PublicServiceDetailsSchema,
  salon: SalonDetailsSchema,
  training: TrainingDetailsSchema,
  'lecture-hall': LectureHallDetailsSchema,
  publicity: PublicityDetailsSchema,
  general: GeneralDetailsSchema,
};

const publicServiceSchemas = new WeakMap<ProjectType, z.ZodMiniType>();

function detailsSchemaFor(type: ProjectType): z.ZodMiniType {
  if (type.form !== 'public-service') return detailsSchemas[type.form];
  let schema = publicServiceSchemas.get(type);
  if (!schema) {
    const ids = (type.objectives ?? []).map((o) => o.id);
    schema = z.strictObject({ objective: z.enum(ids as [string, ...string[]]) });
    publicServiceSchemas.set(type, schema);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// The form

/** The top-level fields, each validated on its own (so every bad field is listed). */
const FIELDS = {
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

type FieldName = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
const ALL_FIELD_NAMES: ReadonlySet<string> = new Set<string>([...FIELD_NAMES, 'details']);

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

// ---------------------------------------------------------------------------------------------
// Issues

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Own property only: never reads through the prototype chain (`constructor`, `__proto__`). */
function own(obj: unknown, key: string): unknown {
  return isPlainObject(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function parseField<T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
  prefix: string[],
  out: FieldIssue[],
): { ok: true; data: T } | { ok: false } {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return { ok: true, data: r.data };
  out.push(...fieldDetails(r.error.issues, prefix, 'the application form'));
  return { ok: false };
}

/** The parsed value if `value` satisfies `schema`, else undefined (no issues reported). */
function peek<T>(schema: z.ZodMiniType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Validates an application body against the call: every bad field is listed. Used for new
 * applications and for amendments alike.
 */
export function validateApplication(call: Call, body: unknown): ValidationResult {
  try {
    return validate(call, body);
  } catch {
    // Not expected to happen: a schema bug must not become a 5xx on hostile input.
    return { ok: false, issues: [{ path: '', code: 'INVALID_BODY', message: 'the application could not be read' }] };
  }
}

/** Amendments (PUT /applications/{id}) carry the full form: same rules. */
export const validateAmendment = validateApplication;

function unknownFields(body: Record<string, unknown>, issues: FieldIssue[]): void {
  for (const key of Object.keys(body)) {
    if (!ALL_FIELD_NAMES.has(key)) {
      const p = shortKey(key);
      issues.push({ path: p, code: 'UNKNOWN_FIELD', message: `${p} is not a field of the application form` });
      if (issues.length > MAX_ISSUES) return;
    }
  }
}

/** The project type the body names, if it is one of the call's (an unknown one is an issue). */
function projectTypeOf(call: Call, body: Record<string, unknown>, issues: FieldIssue[]): ProjectType | undefined {
  const typeId = peek(FIELDS.projectTypeId, own(body, 'projectTypeId'));
  if (typeId === undefined) return undefined;
  const type = getProjectType(call, typeId);
  if (!type) {
    issues.push({
      path: 'projectTypeId',
      code: 'UNKNOWN_PROJECT_TYPE',
      message: `projectTypeId must be one of ${call.projectTypes.map((t) => t.typeId).join(', ')} (given ${JSON.stringify(shortKey(typeId))})`,
    });
  }
  return type;
}

/** The dates: the end not before the start, and not after the type's finish date. */
function checkDates(body: Record<string, unknown>, type: ProjectType | undefined, issues: FieldIssue[]): void {
  const start = peek(IsoDateField, own(body, 'startDate'));
  const end = peek(IsoDateField, own(body, 'endDate'));
  if (start !== undefined && end !== undefined && end < start) {
    issues.push({
      path: 'endDate',
      code: 'END_BEFORE_START',
      message: `endDate (${end}) must not be before startDate (${start})`,
    });
  }
  if (type && end !== undefined && end > type.finishBy) {
    issues.push({
      path: 'endDate',
      code: 'END_AFTER_FINISH_DATE',
      message: `endDate (${end}) must not be after ${type.finishBy}: ${type.typeId} projects must finish by then`,
    });
  }
}

/** The budget: the amount within the type's funding, and the items adding up to it. */
function checkBudget(body: Record<string, unknown>, type: ProjectType | undefined, issues: FieldIssue[]): void {
  const rawBudget = own(body, 'budget');
  const requested = peek(BudgetSchema.shape.requestedCny, own(rawBudget, 'requestedCny'));
  if (type && requested !== undefined && !fundingAllows(type, requested)) {
    const f = type.funding;
    const allowed = f.kind === 'fixed' ? `at most ${f.amountCny}` : `between ${f.minCny} and ${f.maxCny}`;
    issues.push({
      path: 'budget.requestedCny',
      code: 'FUNDING_OUT_OF_RANGE',
      message: `budget.requestedCny must be ${allowed} CNY for ${type.typeId} (funding ${fundingLabel(type)}; given ${requested})`,
    });
  }
  const rawItems = peek(list(z.unknown(), 1, 50), own(rawBudget, 'items'));
  if (requested === undefined || rawItems === undefined) return;
  const amounts = rawItems.map((item) => peek(Count, own(item, 'amountCny')));
  if (!amounts.every((a): a is number => a !== undefined)) return;
  const sum = amounts.reduce((total, a) => total + a, 0);
  if (sum !== requested) {
    issues.push({
      path: 'budget.items',
      code: 'BUDGET_MISMATCH',
      message: `the budget items add up to ${sum} CNY but budget.requestedCny is ${requested}`,
    });
  }
}

function capped(issues: FieldIssue[]): FieldIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  return [
    ...issues.slice(0, MAX_ISSUES),
    { path: '', code: 'TOO_MANY_ISSUES', message: `only the first ${MAX_ISSUES} issues are listed` },
  ];
}

function validate(call: Call, body: unknown): ValidationResult {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      issues: [
        {
          path: '',
          code: 'INVALID_TYPE',
          message: `the application must be a JSON object (given ${describeValue(body)})`,
        },
      ],
    };
  }
  const issues: FieldIssue[] = [];
  unknownFields(body, issues);

  const parsed: Partial<Record<FieldName, unknown>> = {};
  let allFieldsOk = true;
  for (const name of FIELD_NAMES) {
    const r = parseField(FIELDS[name] as z.ZodMiniType, own(body, name), [name], issues);
    if (r.ok) parsed[name] = r.data;
    else allFieldsOk = false;
  }

  // The project type, and the details its form kind needs.
  const type = projectTypeOf(call, body, issues);
  const rawDetails = own(body, 'details');
  const details =
    type &&
    parseField(
      detailsSchemaFor(type),
      type.form === 'general' && rawDetails === undefined ? {} : rawDetails,
      ['details'],
      issues,
    );

  // Cross-field rules, each checked as soon as the fields it reads are valid on their own.
  checkDates(body, type, issues);
  checkBudget(body, type, issues);

  if (issues.length > 0 || !allFieldsOk || !type || !details?.ok) return { ok: false, issues: capped(issues) };
  const value: ApplicationForm = {
    ...(parsed as Omit<ApplicationForm, 'coOrganisers' | 'details'>),
    coOrganisers: (parsed.coOrganisers as CoOrganiser[] | undefined) ?? [],
    ...(parsed.expertsToAvoid
      ? { expertsToAvoid: (parsed.expertsToAvoid as string[]).map((name) => name.trim()) }
      : {}),
    details: details.data as ApplicationDetails,
  };
  return { ok: true, value, type };
}
