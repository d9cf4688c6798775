import * as z from 'zod';
import { returnForCorrection } from '@shared/use-cases/steps/correction';
import { stepHandler } from './lib/step';

export const handler = stepHandler(z.object({ applicationId: z.string(), taskToken: z.string().min(1) }), ({ applicationId, taskToken }) =>
  returnForCorrection(applicationId, taskToken),
);
