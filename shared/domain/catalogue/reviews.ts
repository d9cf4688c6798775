/**
 * The association's own reviews (staff and expert). The notice names no dates for them, so every
 * number here is the department's working assumption, stated in the seed and changed there.
 * The schemas are built on first use (../once.ts says why).
 */
import * as z from '../zod';
import { scoringFormSchema } from '../scoring';
import { fieldSchemas } from './fields';

function staffMemberSchema() {
  const { BilingualSchema, NonBlank } = fieldSchemas();
  return z.strictObject({ name: NonBlank, email: z.email(), title: z.optional(BilingualSchema) });
}
export type StaffMember = z.infer<ReturnType<typeof staffMemberSchema>>;

export function staffReviewSchema() {
  const { BilingualSchema } = fieldSchemas();
  const StaffMemberSchema = staffMemberSchema();
  return z.strictObject({
    assumptions: BilingualSchema,
    department: BilingualSchema,
    /** copied on every overdue staff task */
    departmentHead: StaffMemberSchema,
    /** the staff formal review (形式审查) is due this many days after the automatic check passes */
    formalReviewDays: z._default(z.int().check(z.gte(1), z.lte(60)), 3),
    /** the performance-target review (绩效目标审核) is due this many days after it opens */
    targetReviewDays: z._default(z.int().check(z.gte(1), z.lte(60)), 5),
    /** a unit whose application staff return has this many days to correct it, unless staff set a date */
    correctionDays: z._default(z.int().check(z.gte(1), z.lte(60)), 5),
    /** staff may record a paper copy this many days after the paper deadline (envelopes are opened late) */
    paperCopyGraceDays: z._default(z.int().check(z.gte(0), z.lte(30)), 3),
    /** who reviews performance targets; empty: the type's contact */
    targetReviewers: z._default(z.array(StaffMemberSchema), []),
  });
}
export type StaffReview = z.infer<ReturnType<typeof staffReviewSchema>>;

export function expertReviewSchema() {
  const { BilingualSchema, IsoInstant } = fieldSchemas();
  return z
    .strictObject({
      assumptions: BilingualSchema,
      /** the review round opens by itself at this instant (staff may start it earlier) */
      opensAt: IsoInstant,
      /** every expert task is due at this instant */
      deadline: IsoInstant,
      /** an application is never ranked on fewer than 3 valid scores (scoring.ts), so at least 3 */
      expertsPerApplication: z._default(z.int().check(z.gte(3), z.lte(15)), 5),
      scoringForm: scoringFormSchema(),
    })
    .check(
      z.refine((r) => Date.parse(r.opensAt) < Date.parse(r.deadline), {
        message: 'the review must open before its deadline',
        path: ['deadline'],
      }),
    );
}
export type ExpertReview = z.infer<ReturnType<typeof expertReviewSchema>>;
