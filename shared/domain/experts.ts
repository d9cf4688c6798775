/**
 * The expert pool (评审专家库): the people who score applications. Data, like the call: the seed
 * pool is `seeds/experts.json`, validated here once, at first use; staff manage the stored pool
 * (GET /experts, PUT /experts/{expertId}) with the same schema.
 */
import * as z from './zod';
import experts from '@seeds/experts.json';
import { deepFreeze } from './deep-freeze';

const KEBAB_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const Kebab = z.string().check(z.maxLength(100), z.regex(KEBAB_RE, 'must be a kebab-case id'));
const NonBlank = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** One expert of the pool. */
export const ExpertSchema = z.strictObject({
  /** e.g. "exp-001" */
  expertId: Kebab,
  name: NonBlank(100),
  email: z.email().check(z.maxLength(254)),
  affiliation: NonBlank(200),
  /** the member societies (units) the expert belongs to: never assigned to their applications */
  unitIds: z.array(Kebab).check(
    z.maxLength(20),
    z.refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat a unit' }),
  ),
  /** fields, written as the forms write `discipline.field` (物理学, 电子信息, 农学, 党建 …) */
  disciplines: z.array(NonBlank(100)).check(z.minLength(1), z.maxLength(20)),
  /** the most applications the expert reviews in one call */
  maxLoad: z.int().check(z.gte(1), z.lte(200)),
});
export type Expert = z.infer<typeof ExpertSchema>;

/** A whole pool: every expert valid, ids and emails (case-insensitive) unique. */
export const ExpertPoolSchema = z.array(ExpertSchema).check(
  z.superRefine((pool, ctx) => {
    const ids = new Map<string, number>();
    const emails = new Map<string, number>();
    pool.forEach((expert, i) => {
      const id = ids.get(expert.expertId);
      if (id !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'expertId'],
          message: `repeats the expertId of expert ${id} (${expert.expertId})`,
        });
      else ids.set(expert.expertId, i);
      const key = expert.email.toLowerCase();
      const email = emails.get(key);
      if (email !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'email'],
          message: `repeats the email of expert ${email} (${expert.email})`,
        });
      else emails.set(key, i);
    });
  }),
);

/** Validates a pool; throws an Error naming the source and every invalid field. */
export function parseExpertPool(raw: unknown, source = 'expert pool'): Expert[] {
  const result = ExpertPoolSchema.safeParse(raw);
  if (!result.success) throw new Error(`Invalid ${source}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

let seedExperts: Expert[] | undefined;

/** The seed pool in seeds/experts.json, validated once and frozen. */
export function listSeedExperts(): Expert[] {
  if (!seedExperts) seedExperts = deepFreeze(parseExpertPool(experts, 'seeds/experts.json'));
  return seedExperts;
}
