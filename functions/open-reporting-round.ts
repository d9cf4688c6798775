import { openReportingRound } from '@shared/use-cases/obligations';
import { httpHandler } from './lib/http';

/** `POST /calls/{callId}/reporting-round` (staff): the summary reports are due on the given date. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  body: await openReportingRound(path.callId ?? '', caller, body),
}));
