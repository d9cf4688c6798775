/**
 * Milliseconds since the epoch of an ISO 8601 instant with an offset, as the catalogue writes them
 * ("2023-09-25T23:59:59.999+08:00", "2023-09-20T01:00:00Z"); NaN for anything else, including a
 * date that does not exist. Read by character codes (faster than Date.parse, and stricter): the
 * award ranking reads one per candidate, hundreds of thousands at a national funder's scale.
 */
export function instantMs(s: string): number {
  const len = s.length;
  if (len < 20 || len > 29 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':')
    return Number.NaN;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  const offsetAt = fractionEnd(s);
  if (offsetAt < 0) return Number.NaN;
  const offsetMinutes = offsetMinutesAt(s, offsetAt);
  if (Number.isNaN(offsetMinutes) || !isDateTime(year, month, day, hour, minute, second)) return Number.NaN;
  const ms = fractionMs(s, offsetAt);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Where a fraction of seconds may start: right after the seconds, before the offset. */
const FRACTION_AT = 19;

/** The two digits at i..i+1 as a number, or NaN. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

function isDigitAt(s: string, i: number): boolean {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9;
}

/**
 * Where the fraction of seconds ends (FRACTION_AT when there is none; -1 for a '.' no digit follows).
 * No more than three digits are read: a fourth is where the offset must begin, and is refused there.
 */
function fractionEnd(s: string): number {
  if (s[FRACTION_AT] !== '.') return FRACTION_AT;
  let p = FRACTION_AT + 1;
  while (p < FRACTION_AT + 4 && p < s.length && isDigitAt(s, p)) p++;
  return p === FRACTION_AT + 1 ? -1 : p;
}

/** The fraction's one to three digits as milliseconds ('.5' is 500). */
function fractionMs(s: string, end: number): number {
  const digits = end - (FRACTION_AT + 1);
  if (digits <= 0) return 0;
  let ms = 0;
  for (let p = FRACTION_AT + 1; p < end; p++) ms = ms * 10 + (s.charCodeAt(p) - 48);
  return ms * (digits === 1 ? 100 : digits === 2 ? 10 : 1);
}

/** The offset from UTC that ends the text at p ('Z' or ±hh:mm), in minutes; NaN for anything else. */
function offsetMinutesAt(s: string, p: number): number {
  if (s[p] === 'Z' && p + 1 === s.length) return 0;
  if ((s[p] !== '+' && s[p] !== '-') || p + 6 !== s.length || s[p + 3] !== ':') return Number.NaN;
  const oh = twoDigits(s, p + 1);
  const om = twoDigits(s, p + 4);
  if (!(oh <= 23 && om <= 59)) return Number.NaN;
  return (s[p] === '-' ? -1 : 1) * (oh * 60 + om);
}

/** Whether the fields name a moment of the calendar (NaN fields, from non-digits, never do). */
function isDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]);
}
