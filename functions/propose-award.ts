import { requestAwardProposal } from '@shared/use-cases/award';
import { httpHandler } from './lib/http';

/**
 * `POST /calls/{callId}/award-proposal` (staff): starts the proposal as a job (the sweep ranks and
 * writes it) and answers 202 with the job, or the one already running; follow it at `Location`.
 */
export const handler = httpHandler(async ({ caller, path }) => {
  const { job } = await requestAwardProposal(path.callId ?? '', caller);
  return { statusCode: 202, headers: { location: `/jobs/${job.jobId}` }, body: job };
});
