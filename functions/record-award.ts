import * as z from '@shared/domain/zod';
import { recordAward } from '@shared/use-cases/steps/expert-steps';
import { stepHandler } from './lib/step';

/** RecordAward: the confirmed decision on the application, and the unit's outcome email with its score and rank. */
export const handler = stepHandler(z.object({ applicationId: z.string() }), ({ applicationId }) =>
  recordAward(applicationId),
);
