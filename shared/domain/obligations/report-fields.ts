/** What each kind of report holds, and reading a report as its unit hands it in. */
import * as z from '../zod';
import type { ReportKind } from '../catalogue';
import { isIsoDate } from '../catalogue/fields';
import type { FieldDetail } from '../errors';
import { fieldDetails } from '../field-details';
import { once } from '../once';
import type { ObligationRecord, TargetOutcome } from './records';
import { ATTACHMENT_RULES } from './report-files';

/** Each kind's fields, built on first use (../once.ts says why). */
const reportFields = once((): Record<ReportKind, z.ZodMiniType> => {
  const Count = z.int().check(z.gte(0), z.lte(10_000_000));
  const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
  const IsoDate = z.string().check(z.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' }));

  return {
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
      achieved: z
        .array(z.strictObject({ path: Text(100), achieved: Text(500) }))
        .check(z.minLength(1), z.maxLength(200)),
    }),
  };
});

/** Reads a report's fields for its kind, and the keys of its uploaded attachments; every bad field named. */
export function readReport(
  obligation: Pick<ObligationRecord, 'report' | 'targets'>,
  body: unknown,
): { ok: true; fields: Record<string, unknown>; attachmentKeys: string[] } | { ok: false; details: FieldDetail[] } {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const details: FieldDetail[] = [];
  const parsed = reportFields()[obligation.report].safeParse(input.fields ?? {}, { reportInput: true });
  if (!parsed.success) details.push(...fieldDetails(parsed.error.issues, ['fields'], 'a report'));
  if (parsed.success && obligation.report === 'summary') {
    const achieved = (parsed.data as { achieved: { path: string }[] }).achieved;
    details.push(...achievedIssues(achieved, obligation.targets ?? []));
  }
  const keys = attachmentKeys(input.attachments, details);
  return details.length || !parsed.success
    ? { ok: false, details }
    : { ok: true, fields: parsed.data as Record<string, unknown>, attachmentKeys: keys };
}

/** A summary says what was achieved for each of the application's targets, and for nothing else. */
function achievedIssues(achieved: readonly { path: string }[], targets: readonly TargetOutcome[]): FieldDetail[] {
  const details: FieldDetail[] = [];
  const known = new Set(targets.map((t) => t.path));
  achieved.forEach((a, i) => {
    if (!known.has(a.path))
      details.push({
        path: `fields.achieved.${i}.path`,
        code: 'UNKNOWN_TARGET',
        message: `${a.path} is not a performance target of the application`,
      });
  });
  const given = new Set(achieved.map((a) => a.path));
  for (const target of targets) {
    if (!given.has(target.path))
      details.push({
        path: `fields.achieved`,
        code: 'TARGET_MISSING',
        message: `say what was achieved for ${target.path} (${target.indicator})`,
      });
  }
  return details;
}

/** The keys of the uploads a report names (at least the signed PDF); what is wrong with them goes to `details`. */
function attachmentKeys(attachments: unknown, details: FieldDetail[]): string[] {
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
  return keys;
}
