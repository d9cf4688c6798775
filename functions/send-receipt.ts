import * as z from 'zod';
import { sendReceipt } from '@shared/use-cases/steps/receipt';
import { stepHandler } from './lib/step';

export const handler = stepHandler(z.object({ applicationId: z.string() }), ({ applicationId }) => sendReceipt(applicationId));
