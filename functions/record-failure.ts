import * as z from '@shared/domain/zod';
import { recordFailure } from '@shared/use-cases/steps/failure';
import { stepHandler } from './lib/step';

const schema = z.object({
  applicationId: z.string(),
  stage: z.string(),
  execution: z.string(),
  error: z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) }),
});

export const handler = stepHandler(schema, ({ applicationId, stage, execution, error }) =>
  recordFailure(applicationId, stage, execution, error),
);
