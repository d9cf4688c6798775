import * as z from '@shared/domain/zod';
import { runFormalCheck } from '@shared/use-cases/steps/check';
import { stepHandler } from './lib/step';

export const handler = stepHandler(z.object({ applicationId: z.string() }), ({ applicationId }) =>
  runFormalCheck(applicationId),
);
