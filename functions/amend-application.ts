import { amend } from '@shared/use-cases/amendment';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, path, body }) => ({
  body: await amend(path.applicationId ?? '', caller, body),
}));
