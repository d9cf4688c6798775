/**
 * When a report is due: a calendar period after the forum's end or the project's end, and again
 * from the forum's real end once its unit records the dates (a forum that moves moves its reports).
 */
import * as z from '../zod';
import type { ApplicationForm } from '../application-form';
import type { Obligation } from '../catalogue';
import { isIsoDate } from '../catalogue/fields';
import type { FieldDetail } from '../errors';
import { fieldDetails } from '../field-details';
import { once } from '../once';
import type { ForumDates, ObligationRecord } from './records';

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

/** Built on first use (../once.ts says why). */
const forumDatesSchema = once(() =>
  z.strictObject({
    startDate: z
      .string()
      .check(z.refine(isIsoDate, { message: 'the day the forum opens, a real date written YYYY-MM-DD' })),
    endDate: z
      .string()
      .check(z.refine(isIsoDate, { message: 'the day the forum closes, a real date written YYYY-MM-DD' })),
  }),
);

/** Reads a forum's real dates: each a real date, the end not before the start; every bad field named. */
export function readForumDates(body: unknown): { ok: true; dates: ForumDates } | { ok: false; details: FieldDetail[] } {
  const input = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const parsed = forumDatesSchema().safeParse(input, { reportInput: true });
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
