import { z } from 'zod';
import { sendReceipt } from '@shared/workflow-steps';
import { stepHandler } from './lib/step';

export const handler = stepHandler(z.object({ applicationId: z.string() }), ({ applicationId }) => sendReceipt(applicationId));
