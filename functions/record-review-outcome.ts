import * as z from '@shared/domain/zod';
import { recordReviewOutcome, REVIEW_OUTCOMES } from '@shared/use-cases/steps/review-outcomes';
import { stepHandler } from './lib/step';

/** Records a staff task's decision (or the move to the next stage) on the application, and tells the unit. */
export const handler = stepHandler(
  z.object({
    applicationId: z.string(),
    outcome: z.enum(REVIEW_OUTCOMES),
    taskId: z.optional(z.string()),
    failure: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
  }),
  (input) => recordReviewOutcome(input),
);
