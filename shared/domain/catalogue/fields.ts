/**
 * The field types every part of a call seed is written in. Strict on purpose: a typo in a seed
 * (2023-02-30, an instant without its offset) must fail at load, not on the day it is read.
 */
import * as z from '../zod';
import { once } from '../once';

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

/** The field schemas, built on first use (../once.ts says why). */
export const fieldSchemas = once(() => {
  const Kebab = z.string().check(z.regex(KEBAB_RE, 'must be a kebab-case id'));
  const NonBlank = z.string().check(z.trim(), z.minLength(1));
  const BilingualSchema = z.strictObject({ zh: NonBlank, en: NonBlank });
  return {
    IsoDate: z.string().check(z.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD' })),
    IsoInstant: z.string().check(
      z.refine((s) => ISO_INSTANT_RE.test(s) && !Number.isNaN(Date.parse(s)), {
        message: 'must be an ISO 8601 instant with an offset, e.g. 2023-09-25T23:59:59.999+08:00',
      }),
    ),
    Kebab,
    DotPath: z.string().check(z.regex(DOT_PATH_RE, 'must be a dot path such as details.offlineAttendance')),
    NonBlank,
    BilingualSchema,
    TextItem: z.strictObject({ id: Kebab, text: BilingualSchema }),
    Phone: z.string().check(z.regex(/^[0-9+\- ]{5,30}$/, 'must be a phone number')),
  };
});

export type Bilingual = z.infer<ReturnType<typeof fieldSchemas>['BilingualSchema']>;
