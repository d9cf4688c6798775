import * as z from '@shared/domain/zod';
import { openExpertReview } from '@shared/use-cases/steps/expert-steps';
import { stepHandler } from './lib/step';

/** ExpertReview (inside the Map): waits on one expert's review of the application. */
export const handler = stepHandler(
  z.object({ applicationId: z.string(), taskId: z.string(), taskToken: z.string() }),
  ({ applicationId, taskId, taskToken }) => openExpertReview(applicationId, taskId, taskToken),
);
