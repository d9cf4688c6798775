import { proposeAward } from '@shared/use-cases/award';
import { httpHandler } from './lib/http';

/** `POST /calls/{callId}/award-proposal` (staff): ranks the scored applications and sends the proposal for confirmation. */
export const handler = httpHandler(async ({ caller, path }) => ({
  statusCode: 201,
  body: await proposeAward(path.callId ?? '', caller),
}));
