import { getCallOverview } from '@shared/use-cases/staff-views/call-overview';
import { httpHandler } from './lib/http';

/** `GET /calls/{callId}/overview` (staff): the call's dates, counts per status and type, and what falls due. */
export const handler = httpHandler(async ({ caller, path }) => ({
  body: await getCallOverview(path.callId ?? '', caller),
}));
