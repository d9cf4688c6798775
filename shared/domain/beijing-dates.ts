/**
 * Dates as people read them in an email: Beijing time (UTC+08:00, no daylight saving), written the
 * Chinese way ("2023年9月28日 17时", "2023年9月25日 17时30分"), with an English twin.
 *
 * One convention throughout: a deadline stored as the last millisecond of its day
 * (23:59:59.999, as the call's deadlines are) is written as 24时 of that day ("2023年9月25日 24时",
 * English "25 September 2023, 24:00"), the way the association's notices write it; callers append
 * 前 / "by" themselves. Seconds are never shown (they are truncated).
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

interface BeijingParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-24 (24 only for the end of a day)
  minute: number;
}

function parts(instant: Date): BeijingParts {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('beijing-dates: invalid Date');
  const shifted = new Date(t + BEIJING_OFFSET_MS);
  const p: BeijingParts = {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
  // The last second of a day (23:59:59.xxx) is that day's 24时: how an inclusive deadline reads.
  if (p.hour === 23 && p.minute === 59 && shifted.getUTCSeconds() === 59) return { ...p, hour: 24, minute: 0 };
  return p;
}

function dateParts(isoDate: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`beijing-dates: not a YYYY-MM-DD date: ${isoDate}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const zhDate = (p: { year: number; month: number; day: number }) => `${p.year}年${p.month}月${p.day}日`;
const enDate = (p: { year: number; month: number; day: number }) => `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year}`;

/** "2023年9月28日 17时", "2023年9月25日 23时5分", "2023年9月25日 24时" (for 23:59:59.999). */
export function beijingDateTimeZh(instant: Date): string {
  const p = parts(instant);
  return `${zhDate(p)} ${p.hour}时${p.minute === 0 ? '' : `${p.minute}分`}`;
}

/** "28 September 2023, 17:00", "25 September 2023, 23:05", "25 September 2023, 24:00" (Beijing time). */
export function beijingDateTimeEn(instant: Date): string {
  const p = parts(instant);
  return `${enDate(p)}, ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The Beijing calendar day of an instant: "2023年9月28日" (23:59:59.999 stays on its own day). */
export function beijingDateZh(instant: Date): string {
  return zhDate(parts(instant));
}

/** The Beijing calendar day of an instant: "28 September 2023". */
export function beijingDateEn(instant: Date): string {
  return enDate(parts(instant));
}

/** A calendar date written YYYY-MM-DD (already a Beijing date), the Chinese way: "2023年9月27日". */
export function isoDateZh(isoDate: string): string {
  return zhDate(dateParts(isoDate));
}

/** A calendar date written YYYY-MM-DD, in English: "27 September 2023". */
export function isoDateEn(isoDate: string): string {
  return enDate(dateParts(isoDate));
}
