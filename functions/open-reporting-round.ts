import { openReportingRound } from '@shared/use-cases/obligations';
import { httpHandler } from './lib/http';

/** `POST /calls/{callId}/reporting-round` (staff): the summary reports are due on the given date; 202 with the round's job. */
export const handler = httpHandler(async ({ caller, path, body }) => {
  const job = await openReportingRound(path.callId ?? '', caller, body);
  return { statusCode: 202, headers: { location: `/jobs/${job.jobId}` }, body: job };
});
