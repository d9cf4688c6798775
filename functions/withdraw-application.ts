import { withdraw } from '@shared/use-cases/withdrawal';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, path }) => ({
  body: await withdraw(path.applicationId ?? '', caller),
}));
