import { DomainError, type FieldDetail } from '@shared/domain/errors';

/**
 * A list's `?limit=&after=` (the units, the expert pool): `after` is the last id of the page before,
 * which must look like one; every bad parameter is named at once.
 */
export function parsePageQuery(
  query: Record<string, string>,
  rules: { max: number; defaultLimit: number; id: RegExp; idIs: string },
): { limit: number; after?: string } {
  const details: FieldDetail[] = [];
  const limit = query.limit === undefined ? rules.defaultLimit : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > rules.max)
    details.push({ path: 'query.limit', code: 'INVALID_VALUE', message: `a whole number 1–${rules.max}` });
  if (query.after !== undefined && !rules.id.test(query.after))
    details.push({ path: 'query.after', code: 'INVALID_VALUE', message: rules.idIs });
  if (details.length) throw new DomainError('VALIDATION_FAILED', 'Invalid listing', details);
  return { limit, after: query.after };
}
