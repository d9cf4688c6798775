import { view } from '@shared/use-cases/application-access';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, path }) => ({
  body: await view(path.applicationId ?? '', caller),
}));
