import * as z from '@shared/domain/zod';
import { collectScores } from '@shared/use-cases/steps/expert-steps';
import { stepHandler } from './lib/step';

/** CollectScores: more experts to wait on, scored (3 valid scores at least), or short (staff are told). */
export const handler = stepHandler(z.object({ applicationId: z.string() }), ({ applicationId }) =>
  collectScores(applicationId),
);
