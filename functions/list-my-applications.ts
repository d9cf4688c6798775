import { listMine } from '@shared/use-cases/application-access';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, query }) => ({
  body: { applications: await listMine(caller, query.callId) },
}));
