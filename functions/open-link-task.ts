import * as z from '@shared/domain/zod';
import { STAFF_TASK_KINDS } from '@shared/domain/tasks/record';
import { openLinkTask } from '@shared/use-cases/tasks/open-link-task';
import { stepHandler } from './lib/step';

/** StaffFormalReview, PaperCopy, TargetReview: opens the staff task the workflow then waits on. */
export const handler = stepHandler(
  z.object({ applicationId: z.string(), kind: z.enum(STAFF_TASK_KINDS), taskToken: z.string() }),
  ({ applicationId, kind, taskToken }) => openLinkTask(applicationId, kind, taskToken),
);
