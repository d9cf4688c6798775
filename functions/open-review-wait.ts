import * as z from '@shared/domain/zod';
import { openReviewWait } from '@shared/use-cases/steps/expert-steps';
import { stepHandler } from './lib/step';

/** AwaitExpertAssignment, AwaitReviewTopUp, AwaitAwardDecision: the application waits for a call-level step or staff. */
export const handler = stepHandler(
  z.object({
    applicationId: z.string(),
    kind: z.enum(['expert-assignment', 'review-top-up', 'award-decision']),
    taskToken: z.string(),
  }),
  ({ applicationId, kind, taskToken }) => openReviewWait(applicationId, kind, taskToken),
);
