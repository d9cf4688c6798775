import { listMyObligations } from '@shared/use-cases/obligations';
import { httpHandler } from './lib/http';

/** `GET /units/me/obligations` (a unit): the reports its awarded projects owe, soonest due first. */
export const handler = httpHandler(async ({ caller, query }) => ({
  body: { obligations: await listMyObligations(caller, query.callId) },
}));
