import * as z from '@shared/domain/zod';
import { sendReceipt } from '@shared/use-cases/steps/receipt';
import { stepHandler } from './lib/step';

export const handler = stepHandler(
  z.object({ applicationId: z.string(), executionArn: z.optional(z.string()) }),
  ({ applicationId, executionArn }) => sendReceipt(applicationId, executionArn),
);
