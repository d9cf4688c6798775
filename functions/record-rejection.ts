import * as z from '@shared/domain/zod';
import { DEADLINE_REJECTION, recordRejection } from '@shared/use-cases/steps/outcome';
import { stepHandler } from './lib/step';

const REASONS = { DeadlinePassed: DEADLINE_REJECTION } as const;

export const handler = stepHandler(
  z.object({ applicationId: z.string(), reason: z.enum(['DeadlinePassed']) }),
  ({ applicationId, reason }) => recordRejection(applicationId, REASONS[reason]),
);
