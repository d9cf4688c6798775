/**
 * After the award (立项后): the reports an awarded project owes, when each is due, what each report
 * holds, and what they decide about the unit's standing in the next call. Pure: the use cases store
 * the records and run the reminders.
 */
import * as z from './zod';
import type { ApplicationForm, Indicator, PerformanceTargets } from './application-form';
import type { Bilingual, Call, Obligation, ProjectType, ReportKind } from './catalogue';
import { isIsoDate } from './catalogue';
import type { FieldDetail } from './errors';
import { fieldDetails } from './field-details';

/**
 * Where an obligation stands. AWAITING_DATE: the summary report, until staff open the reporting round
 * (and a forum's report on a form stored without the forum's date, until its unit records the dates).
 */
export type ObligationState = 'AWAITING_DATE' | 'OPEN' | 'SUBMITTED' | 'RETURNED' | 'ACCEPTED';

export interface Attachment {
  key: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** One version of a report as its unit handed it in (stored apart from its obligation: it can be some 350 KB). */
export interface ReportSubmission {
  fields: Record<string, unknown>;
  attachments: Attachment[];
  submittedAt: string; // Beijing ISO
  version: number;
}

/** What an obligation keeps of its latest version (the emails about it say when it came and with how many files). */
export interface ReportBrief {
  version: number;
  submittedAt: string; // Beijing ISO
  files: number;
}

export const briefOf = (s: ReportSubmission): ReportBrief => ({
  version: s.version,
  submittedAt: s.submittedAt,
  files: s.attachments.length,
});

/** One performance target of the form, and (for the summary) whether the reviewer found it met. */
export interface TargetOutcome {
  path: string;
  indicator: string;
  target: string;
  /** what the latest version says was achieved: read from that version (items stored before versions were items of their own hold it here) */
  achieved?: string;
  met?: boolean;
}

/** The targets with what a version's fields say was achieved for each (as they were when a version does not say). */
export function targetsAchieved(
  targets: readonly TargetOutcome[],
  fields: Record<string, unknown> | undefined,
): TargetOutcome[] {
  const given = Array.isArray(fields?.achieved) ? (fields.achieved as { path?: unknown; achieved?: unknown }[]) : [];
  return targets.map((t) => {
    const achieved = given.find((a) => a?.path === t.path)?.achieved;
    return typeof achieved === 'string' ? { ...t, achieved } : t;
  });
}

export interface ObligationRecord {
  applicationId: string;
  callId: string;
  unitId: string;
  projectTypeId: string;
  title: string;
  obligationId: string;
  report: ReportKind;
  text: Bilingual;
  /** what the due date counts from, and the date it counts from (YYYY-MM-DD, Beijing) */
  dueFrom: 'forum-end' | 'project-end' | 'reporting-round';
  fromDate?: string;
  /** the last day (YYYY-MM-DD, Beijing) and the instant it ends (UTC ISO); absent while AWAITING_DATE */
  dueOn?: string;
  dueAt?: string;
  /** a forum's real dates as its unit recorded them after the award (the due date counts from their end) */
  forumDates?: ForumDates & { recordedAt: string };
  state: ObligationState;
  /** how many versions were handed in: the latest's number (each version is stored on its own) */
  versions: number;
  latest?: ReportBrief;
  /** the staff review of the latest submission */
  review?: { answer: 'accept' | 'return'; reasons?: string[]; at: string; taskId: string; by?: string };
  /**
   * summary report: the performance targets and the reviewer's finding on each (what was achieved is
   * in each version's fields, not here: 500 characters for each of up to 180 targets)
   */
  targets?: TargetOutcome[];
  firstSubmittedAt?: string;
  acceptedAt?: string;
  createdAt: string;
  updatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Dates

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date plus whole days. */
export function addDays(date: string, days: number): string {
  const [, y, m, d] = ISO_DAY.exec(date) ?? [];
  const t = Date.UTC(Number(y), Number(m) - 1, Number(d) + days);
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * A calendar date plus whole calendar months (1个月 = one calendar month, not 30 days): the same day
 * of the month, or the month's last day when it has no such day (01-31 + 1 month → 02-29 in 2024).
 */
export function addMonths(date: string, months: number): string {
  const [, y, m, d] = ISO_DAY.exec(date) ?? [];
  const monthIndex = Number(m) - 1 + months;
  const year = Number(y) + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(Number(d), lastDay))).toISOString().slice(0, 10);
}

/** The last instant of a Beijing day, as UTC ISO. */
export const endOfBeijingDay = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

/**
 * The forum's last day as the form plans it: its start date plus its days. Undefined only on a form
 * stored before the form required the date: its reports then wait for the real dates rather than
 * counting from some other event.
 */
export function forumEnd(form: ApplicationForm): string | undefined {
  const forum = (form.details ?? {}) as { startDate?: string; days?: number };
  if (!forum.startDate || !isIsoDate(forum.startDate) || !Number.isInteger(forum.days) || (forum.days ?? 0) < 1)
    return undefined;
  return addDays(forum.startDate, (forum.days ?? 1) - 1);
}

/** The last day of an obligation's period after `fromDate`, counted in calendar units. */
export function dueAfter(due: NonNullable<Obligation['due']>, fromDate: string): string {
  let date = fromDate;
  if (due.months) date = addMonths(date, due.months);
  if (due.weeks) date = addDays(date, 7 * due.weeks);
  if (due.days) date = addDays(date, due.days);
  return date;
}

/** The due date of an obligation with a due rule, from the form's dates; undefined while its event has no date. */
export function dueDateOf(
  obligation: Obligation,
  form: ApplicationForm,
): { fromDate: string; dueOn: string } | undefined {
  if (!obligation.due) return undefined;
  const fromDate = obligation.due.after === 'forum-end' ? forumEnd(form) : form.endDate;
  return fromDate ? { fromDate, dueOn: dueAfter(obligation.due, fromDate) } : undefined;
}

/** A forum's real dates, as its unit records them once they are known (the plan may move). */
export interface ForumDates {
  startDate: string;
  endDate: string;
}

const ForumDatesSchema = z.strictObject({
  startDate: z
    .string()
    .check(z.refine(isIsoDate, { message: 'the day the forum opens, a real date written YYYY-MM-DD' })),
  endDate: z
    .string()
    .check(z.refine(isIsoDate, { message: 'the day the forum closes, a real date written YYYY-MM-DD' })),
});

/** Reads a forum's real dates: each a real date, the end not before the start; every bad field named. */
export function readForumDates(body: unknown): { ok: true; dates: ForumDates } | { ok: false; details: FieldDetail[] } {
  const input = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const parsed = ForumDatesSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, details: fieldDetails(parsed.error.issues, [], "the forum's dates") };
  const { startDate, endDate } = parsed.data;
  if (endDate < startDate)
    return {
      ok: false,
      details: [
        {
          path: 'endDate',
          code: 'END_BEFORE_START',
          message: `endDate (${endDate}) must not be before startDate (${startDate})`,
        },
      ],
    };
  return { ok: true, dates: { startDate, endDate } };
}

/**
 * An obligation due from the forum's end, due again from the forum's real end (a forum that moves
 * moves its reports' due dates); undefined for one due from another event.
 */
export function redatedFromForum(
  o: ObligationRecord,
  obligation: Obligation,
  dates: ForumDates,
  at: string,
): ObligationRecord | undefined {
  if (obligation.due?.after !== 'forum-end') return undefined;
  const dueOn = dueAfter(obligation.due, dates.endDate);
  return {
    ...o,
    fromDate: dates.endDate,
    dueOn,
    dueAt: endOfBeijingDay(dueOn),
    forumDates: { ...dates, recordedAt: at },
    state: o.state === 'AWAITING_DATE' ? 'OPEN' : o.state,
    updatedAt: at,
  };
}

/**
 * The last segment of the route a report is handed in at: its kind, or for a duty statement (a
 * project may owe several) the duty's id.
 */
export const reportPathOf = (o: Pick<ObligationRecord, 'report' | 'obligationId'>) =>
  o.report === 'duty' ? o.obligationId : o.report;

/** The summary report's obligation id (one per awarded project, from the call's `summaryReport`). */
export const SUMMARY_OBLIGATION = 'summary-report';

/** The performance targets of a form as the summary report lists them, each by its path on the form. */
export function targetsOf(targets: PerformanceTargets): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  const add = (path: string, indicators: readonly Indicator[] | undefined) =>
    (indicators ?? []).forEach((indicator, i) =>
      out.push({ path: `${path}.${i}`, indicator: indicator.name, target: `${indicator.target}${indicator.unit}` }),
    );
  for (const [kind, indicators] of Object.entries(targets.output ?? {})) add(`output.${kind}`, indicators);
  add('effect', targets.effect);
  add('satisfaction', targets.satisfaction);
  return out;
}

/**
 * The obligations an awarded application owes: every report of its type, due from the right event,
 * and the summary report, whose date staff set when they open the reporting round.
 */
export function obligationsFor(
  call: Call,
  type: ProjectType,
  app: { applicationId: string; unitId: string; form: ApplicationForm },
  at: string,
): ObligationRecord[] {
  const base = {
    applicationId: app.applicationId,
    callId: call.callId,
    unitId: app.unitId,
    projectTypeId: type.typeId,
    title: app.form.title,
    versions: 0,
    createdAt: at,
    updatedAt: at,
  };
  const reports = type.obligations.flatMap((obligation): ObligationRecord[] => {
    if (!obligation.report || !obligation.due) return [];
    const due = dueDateOf(obligation, app.form);
    const owed = {
      ...base,
      obligationId: obligation.id,
      report: obligation.report,
      text: obligation.text,
      dueFrom: obligation.due.after,
    };
    // A forum's form stored without its date: the report waits for the real dates the unit records.
    if (!due) return [{ ...owed, state: 'AWAITING_DATE' as const }];
    return [
      { ...owed, fromDate: due.fromDate, dueOn: due.dueOn, dueAt: endOfBeijingDay(due.dueOn), state: 'OPEN' as const },
    ];
  });
  // A duty the notice gives no date for is answered for with a statement due with the summary report.
  const duties = type.obligations.flatMap((obligation): ObligationRecord[] =>
    obligation.report
      ? []
      : [
          {
            ...base,
            obligationId: obligation.id,
            report: 'duty',
            text: obligation.text,
            dueFrom: 'reporting-round',
            state: 'AWAITING_DATE',
          },
        ],
  );
  const summary: ObligationRecord = {
    ...base,
    obligationId: SUMMARY_OBLIGATION,
    report: 'summary',
    text: call.summaryReport.text,
    dueFrom: 'reporting-round',
    state: 'AWAITING_DATE',
    targets: targetsOf(app.form.performanceTargets),
  };
  return [...reports, ...duties, summary];
}

// ---------------------------------------------------------------------------------------------
// The reports' fields

const Count = z.int().check(z.gte(0), z.lte(10_000_000));
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const IsoDate = z.string().check(z.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' }));

const REPORT_FIELDS: Record<ReportKind, z.ZodMiniType> = {
  'forum-statistics': z.strictObject({
    startDate: IsoDate,
    endDate: IsoDate,
    offlineAttendance: Count,
    onlineAttendance: Count,
    speakers: Count,
    papers: Count,
    mediaReports: Count,
    notes: z.optional(Text(5000)),
  }),
  'development-report': z.strictObject({
    reportTitle: Text(200),
    summary: Text(20_000),
    recommendations: z.array(Text(2000)).check(z.minLength(1), z.maxLength(50)),
  }),
  'communication-data-report': z.strictObject({
    reach: Count,
    views: Count,
    articles: Count,
    summary: Text(20_000),
  }),
  duty: z.strictObject({
    /** how the unit carried out the duty (the signed statement as the PDF) */
    statement: Text(5000),
  }),
  summary: z.strictObject({
    summary: Text(20_000),
    /** each performance target of the form (by path), with what was achieved */
    achieved: z.array(z.strictObject({ path: Text(100), achieved: Text(500) })).check(z.minLength(1), z.maxLength(200)),
  }),
};

/** What each report must be accompanied by: the signed PDF (and, for a forum's statistics, photos may follow). */
export const ATTACHMENT_RULES = {
  /** PDF for the signed report; photos as JPEG or PNG */
  contentTypes: ['application/pdf', 'image/jpeg', 'image/png'] as readonly string[],
  maxBytes: 20 * 1024 * 1024,
  maxFiles: 10,
} as const;

/** S3's limit on an object key: 1,024 bytes of UTF-8. */
export const OBJECT_KEY_MAX_BYTES = 1024;
/** A name longer than this is no file name a person gave (and pages show it whole). */
const FILE_NAME_MAX_CHARS = 200;
/**
 * Characters no file name needs and a key or a page must not carry: control characters (C0, DEL,
 * C1), line and paragraph separators, the bidirectional overrides and isolates (U+202E makes
 * `x<U+202E>fdp.exe` read as `xexe.pdf`), and lone surrogates (no UTF-8 form: encoding one throws).
 */
const ODD_CHARACTERS = /[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** The key of the file `fileName` in `folder`: the name URL-encoded, so whatever it holds it stays one segment. */
export const fileKey = (folder: string, fileName: string) => `${folder}${encodeURIComponent(fileName)}`;

/**
 * The one rule for a report file's name, as the last segment of its object keys: checked when an
 * upload is asked for (so no URL is signed for a key S3 or the hand-in would refuse) and again
 * when a report names the upload's key (readFileKey), so both say the same. `folders` are every
 * folder the file will be kept under (its upload's, and the one a report moves it to): the whole
 * key under the longest counts against S3's 1,024 bytes, the name as encoded (a Chinese
 * character is 9 bytes: %E8%AF%B7). A path separator, `..` or an odd character is refused
 * however it would be encoded: nobody names a report that way, and it is what an attack on a
 * path looks like.
 */
export function fileNameProblem(
  fileName: string,
  folders: readonly string[],
): { code: 'REQUIRED' | 'INVALID_VALUE' | 'TOO_LONG'; message: string } | undefined {
  if (!fileName.trim()) return { code: 'REQUIRED', message: 'the file name (without folders)' };
  if (/[\\/]/.test(fileName) || fileName.includes('..') || fileName === '.' || ODD_CHARACTERS.test(fileName))
    return {
      code: 'INVALID_VALUE',
      message: 'a file name without folders: no / or \\, no "..", no control or direction characters',
    };
  const keyBytes = Math.max(...folders.map((folder) => utf8Bytes(fileKey(folder, fileName))));
  if ([...fileName].length > FILE_NAME_MAX_CHARS || keyBytes > OBJECT_KEY_MAX_BYTES)
    return {
      code: 'TOO_LONG',
      message:
        `the file name is too long: at most ${FILE_NAME_MAX_CHARS} characters, and its storage key (the name URL-encoded, a Chinese ` +
        `character as 9 bytes) within ${OBJECT_KEY_MAX_BYTES} bytes; this one would take ${keyBytes}`,
    };
  return undefined;
}

/**
 * The upload a key names, when it is a key fileKey made for a name the rule takes, in one upload
 * folder (`{parent}{upload id}/`) right under `parent`; undefined for any other key (another
 * report's, one with folders of its own, one not encoded as made here, or a name the rule refuses).
 * `alsoKeptUnder` gives the other folders the file will be kept under, for the rule's length.
 */
export function readFileKey(
  key: string,
  parent: string,
  alsoKeptUnder: (folder: string) => readonly string[] = () => [],
): { folder: string; fileName: string } | undefined {
  if (!key.startsWith(parent)) return undefined;
  const parts = /^([A-Za-z0-9-]{1,64})\/([^/]+)$/.exec(key.slice(parent.length));
  if (!parts) return undefined;
  let fileName: string;
  try {
    fileName = decodeURIComponent(parts[2]);
  } catch {
    return undefined; // not UTF-8 once decoded
  }
  const folder = `${parent}${parts[1]}/`;
  if (fileKey(folder, fileName) !== key || fileNameProblem(fileName, [folder, ...alsoKeptUnder(folder)]))
    return undefined;
  return { folder, fileName };
}

/**
 * Reads an attachment announced for upload (its name, type and size are checked before any URL is
 * signed). `folders`: where the file will be kept (see fileNameProblem).
 */
export function readUploadRequest(
  body: unknown,
  folders: readonly string[],
): { ok: true; fileName: string; contentType: string; size: number } | { ok: false; details: FieldDetail[] } {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const details: FieldDetail[] = [];
  const fileName = typeof input.fileName === 'string' ? input.fileName.trim() : '';
  const nameProblem = fileNameProblem(fileName, folders);
  if (nameProblem) details.push({ path: 'fileName', ...nameProblem });
  const contentType = typeof input.contentType === 'string' ? input.contentType.trim().toLowerCase() : '';
  if (!ATTACHMENT_RULES.contentTypes.includes(contentType))
    details.push({
      path: 'contentType',
      code: contentType ? 'UNSUPPORTED_TYPE' : 'REQUIRED',
      message: `a report's files are ${ATTACHMENT_RULES.contentTypes.join(', ')} (given ${JSON.stringify(contentType.slice(0, 50))})`,
    });
  const size = input.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
    details.push({
      path: 'size',
      code: size === undefined ? 'REQUIRED' : 'INVALID_VALUE',
      message: 'the file size in bytes, a whole number from 1',
    });
  else if (size > ATTACHMENT_RULES.maxBytes)
    details.push({
      path: 'size',
      code: 'TOO_LARGE',
      message: `a file may have at most ${ATTACHMENT_RULES.maxBytes / 1024 / 1024} MB (given ${size} bytes)`,
    });
  return details.length ? { ok: false, details } : { ok: true, fileName, contentType, size: size as number };
}

/** Reads a report's fields for its kind, and the keys of its uploaded attachments; every bad field named. */
export function readReport(
  obligation: Pick<ObligationRecord, 'report' | 'targets'>,
  body: unknown,
): { ok: true; fields: Record<string, unknown>; attachmentKeys: string[] } | { ok: false; details: FieldDetail[] } {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const details: FieldDetail[] = [];
  const parsed = REPORT_FIELDS[obligation.report].safeParse(input.fields ?? {}, { reportInput: true });
  if (!parsed.success) details.push(...fieldDetails(parsed.error.issues, ['fields'], 'a report'));
  if (parsed.success && obligation.report === 'summary') {
    const achieved = (parsed.data as { achieved: { path: string }[] }).achieved;
    const known = new Set((obligation.targets ?? []).map((t) => t.path));
    achieved.forEach((a, i) => {
      if (!known.has(a.path))
        details.push({
          path: `fields.achieved.${i}.path`,
          code: 'UNKNOWN_TARGET',
          message: `${a.path} is not a performance target of the application`,
        });
    });
    const given = new Set(achieved.map((a) => a.path));
    for (const target of obligation.targets ?? []) {
      if (!given.has(target.path))
        details.push({
          path: `fields.achieved`,
          code: 'TARGET_MISSING',
          message: `say what was achieved for ${target.path} (${target.indicator})`,
        });
    }
  }
  const attachments = input.attachments;
  const keys: string[] = [];
  if (!Array.isArray(attachments) || attachments.length === 0) {
    details.push({
      path: 'attachments',
      code: 'REQUIRED',
      message: 'attach the signed report (PDF): upload it first with POST …/attachments',
    });
  } else if (attachments.length > ATTACHMENT_RULES.maxFiles) {
    details.push({
      path: 'attachments',
      code: 'TOO_MANY_ITEMS',
      message: `at most ${ATTACHMENT_RULES.maxFiles} files`,
    });
  } else {
    attachments.forEach((a, i) => {
      const key = (a as { key?: unknown })?.key;
      if (typeof key !== 'string' || !key)
        details.push({ path: `attachments.${i}.key`, code: 'REQUIRED', message: 'the key the upload answer gave' });
      else keys.push(key);
    });
  }
  return details.length || !parsed.success
    ? { ok: false, details }
    : { ok: true, fields: parsed.data as Record<string, unknown>, attachmentKeys: keys };
}

// ---------------------------------------------------------------------------------------------
// Standing in the next call

/**
 * The rule an obligation breaks. The notice's (二(四)): its summary report not handed in by its due
 * date (`summary-missing`), a target found not met (`targets-unmet`). The department's, only where
 * the call data adopts them (`standingAssumptions`): handed in late (`summary-late`), returned and
 * not handed in again by its due date (`summary-returned`). `summary-not-accepted` is no longer
 * computed: lifts logged before carry it.
 */
export type StandingRule =
  'summary-missing' | 'targets-unmet' | 'summary-late' | 'summary-returned' | 'summary-not-accepted';

/** Whose rule a breach is: the notice's words, or the department's working assumption in the call data. */
export type StandingBasis = 'notice' | 'department-assumption';

/** One breach of the standing rules: which obligation, which rule, whose rule, and why (as `reasons` says it). */
export interface StandingBreach {
  applicationId: string;
  obligationId: string;
  rule: StandingRule;
  /** absent on breaches logged with lifts before the basis was recorded */
  basis?: StandingBasis;
  reason: Bilingual;
}

export interface StandingVerdict {
  barred: boolean;
  /** why, naming the project and the obligation (Chinese, then English) */
  reasons: Bilingual[];
  /** the same, each with its obligation and rule: what a lift by staff covers (standing.ts) */
  breaches: StandingBreach[];
}

/** The department's additional reasons to bar, as the previous call's data adopts them (none when absent). */
export interface StandingAssumptions {
  barIfSummaryLate?: boolean;
  barIfSummaryReturnedAndNotResubmitted?: boolean;
}

/** The notice's own words on standing, which the emails and the refusal cite for the notice's reasons alone. */
export const STANDING_NOTICE: Bilingual = {
  zh: '通知二（四）：未完成上一年度项目目标以及未提交项目总结报告的单位均不得申报本年度项目',
  en: "the notice, 2(4): a unit that did not meet last year's project targets or did not hand in its summary report may not apply this year",
};

/**
 * A unit's standing for a call from its obligations in the previous call. The notice (二(四)) bars
 * a unit whose summary report is not handed in once its due date has passed, or whose targets the
 * reviewer recorded as not met. A report handed in on time and not yet reviewed never bars: staff's
 * pace is no fault of the unit's. Handed in late, or returned and not handed in again by the due
 * date, bars only as the department's assumption, where `assumptions` (the previous call's
 * `standingAssumptions`) adopts it. A report returned and handed in again counts as on time when it
 * was first handed in on time.
 */
export function standingFrom(
  previous: readonly ObligationRecord[],
  now: Date,
  assumptions: StandingAssumptions = {},
): StandingVerdict {
  const breaches: StandingBreach[] = [];
  const breach = (o: ObligationRecord, rule: StandingRule, basis: StandingBasis, reason: Bilingual) =>
    breaches.push({ applicationId: o.applicationId, obligationId: o.obligationId, rule, basis, reason });
  for (const o of previous) {
    if (o.report !== 'summary') continue;
    const project = `「${o.title}」`;
    const due = o.dueAt ? Date.parse(o.dueAt) : undefined;
    const pastDue = due !== undefined && now.getTime() > due;
    const first = o.firstSubmittedAt ? Date.parse(o.firstSubmittedAt) : undefined;
    if (pastDue && first === undefined) {
      breach(o, 'summary-missing', 'notice', {
        zh: `项目${project}的项目总结报告截止日期（${o.dueOn}）已过仍未提交`,
        en: `the summary report of ${project} (${o.applicationId}) was not handed in by its due date ${o.dueOn}`,
      });
      continue;
    }
    if (assumptions.barIfSummaryLate && due !== undefined && first !== undefined && first > due) {
      breach(o, 'summary-late', 'department-assumption', {
        zh: `项目${project}的项目总结报告逾期提交（截止日期${o.dueOn}）`,
        en: `the summary report of ${project} (${o.applicationId}) was handed in after its due date ${o.dueOn}`,
      });
      continue;
    }
    if (assumptions.barIfSummaryReturnedAndNotResubmitted && pastDue && o.state === 'RETURNED') {
      breach(o, 'summary-returned', 'department-assumption', {
        zh: `项目${project}的项目总结报告被退回修改，截止日期（${o.dueOn}）已过仍未重新提交`,
        en: `the summary report of ${project} (${o.applicationId}) was returned for changes and not handed in again by its due date ${o.dueOn}`,
      });
      continue;
    }
    const unmet = (o.targets ?? []).filter((t) => t.met === false);
    if (o.state === 'ACCEPTED' && unmet.length) {
      breach(o, 'targets-unmet', 'notice', {
        zh: `项目${project}未完成绩效目标：${unmet.map((t) => t.indicator).join('、')}`,
        en: `${project} (${o.applicationId}) did not meet its performance targets: ${unmet.map((t) => t.indicator).join(', ')}`,
      });
    }
  }
  return { barred: breaches.length > 0, reasons: breaches.map((b) => b.reason), breaches };
}

/**
 * The refusal of a barred unit, each reason under the rule it rests on: the notice's cited as the
 * notice, the department's as its working assumption, never the one for the other.
 */
export function standingRefusal(breaches: readonly StandingBreach[]): {
  zh: string;
  en: string;
  details: { path: string; code: string; message: string }[];
} {
  const byNotice = breaches.filter((b) => b.basis !== 'department-assumption');
  const byDepartment = breaches.filter((b) => b.basis === 'department-assumption');
  const zh = [
    byNotice.length ? `${byNotice.map((b) => b.reason.zh).join('；')}（${STANDING_NOTICE.zh}）` : '',
    byDepartment.length
      ? `${byDepartment.map((b) => b.reason.zh).join('；')}（学会学术部的规定，工作假设，通知未作规定）`
      : '',
  ].filter(Boolean);
  const en = [
    byNotice.length ? `${byNotice.map((b) => b.reason.en).join('; ')} (${STANDING_NOTICE.en})` : '',
    byDepartment.length
      ? `${byDepartment.map((b) => b.reason.en).join('; ')} (the department's rule (working assumption); the notice says nothing of it)`
      : '',
  ].filter(Boolean);
  return {
    zh: zh.join('；'),
    en: en.join('; '),
    details: breaches.map((b, i) => ({
      path: `standing.${i}`,
      code: b.basis === 'department-assumption' ? 'DEPARTMENT_ASSUMPTION' : 'PREVIOUS_CALL_OBLIGATION',
      message:
        b.basis === 'department-assumption'
          ? `${b.reason.zh}（学会学术部的规定，工作假设） / ${b.reason.en} (the department's rule (working assumption))`
          : `${b.reason.zh}（通知二（四）） / ${b.reason.en} (the notice, 2(4))`,
    })),
  };
}
