import { publishResults } from '@shared/use-cases/award';
import { httpHandler } from './lib/http';

/** `POST /calls/{callId}/results/publish` (staff): makes the confirmed results public. */
export const handler = httpHandler(async ({ caller, path }) => ({
  body: await publishResults(path.callId ?? '', caller),
}));
