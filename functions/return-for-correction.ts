import * as z from '@shared/domain/zod';
import { returnForCorrection } from '@shared/use-cases/steps/correction';
import { stepHandler } from './lib/step';

export const handler = stepHandler(
  z.object({ applicationId: z.string(), taskToken: z.string().check(z.minLength(1)) }),
  ({ applicationId, taskToken }) => returnForCorrection(applicationId, taskToken),
);
