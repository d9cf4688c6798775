/**
 * The field types the application form is built of. Length checks abort, so a 10 MB string is
 * refused before any regex runs; each type names its issue code, which the form's callers show.
 */
import * as z from '../zod';
import { isIsoDate } from '../catalogue/fields';
import { once } from '../once';

const EMAIL_RE =
  /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;
const PHONE_RE = /^[0-9+\- ]{5,30}$/;

/** A text field of min..max characters; a required text (min ≥ 1) must not be blank. */
export function text(min: number, max: number) {
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

/** The field types, built on first use (../once.ts says why). */
export const formFieldSchemas = once(() => ({
  /**
   * A city in Guangdong as societies write it: "广州", "广州市" or "广东省广州市" all mean 广州, the
   * form the catalogue's city list uses, so the formal check compares like with like.
   */
  CityName: z.pipe(
    text(1, 50),
    z.transform(
      (name: string) =>
        name
          .trim()
          .replace(/^广东省?/, '')
          .replace(/市$/, '') || name.trim(),
    ),
  ),
  /** isIsoDate looks at the length first, so a huge string costs nothing. */
  IsoDateField: z
    .string()
    .check(
      z.refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD', params: { code: 'INVALID_DATE' } }),
    ),
  EmailField: z.string().check(
    z.maxLength(254, { abort: true }),
    z.refine((s) => EMAIL_RE.test(s), { message: 'must be an email address', params: { code: 'INVALID_EMAIL' } }),
  ),
  PhoneField: z.string().check(
    z.refine((s) => s.length <= 30 && PHONE_RE.test(s), {
      message: 'must be 5–30 characters of digits, +, - and spaces',
      params: { code: 'INVALID_PHONE' },
    }),
  ),
  /** A count: a non-negative integer. */
  Count: z.int().check(z.gte(0)),
  /** Hours and other non-negative quantities. */
  Quantity: z.number().check(z.gte(0)),
}));

/** An array of min..max items; the length is checked before the items, and aborts. */
export function list<T extends z.ZodMiniType>(item: T, min: number, max: number) {
  const base = z.array(item).check(z.maxLength(max, { abort: true }));
  return min > 0 ? base.check(z.minLength(min)) : base;
}
