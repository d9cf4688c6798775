import { applicationWithOpenTasks } from '@shared/use-cases/open-tasks';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, path }) => ({
  body: await applicationWithOpenTasks(path.applicationId ?? '', caller),
}));
