import { startReviewRoundNow } from '@shared/use-cases/call-jobs';
import { httpHandler } from './lib/http';

/**
 * `POST /calls/{callId}/expert-assignments` (staff): starts the expert review round, or finds it
 * started, and answers 202 with its job (as far as the request carried it; the sweep does the rest).
 * A pool that cannot serve every application ends the job FAILED, naming each one and why.
 */
export const handler = httpHandler(async ({ caller, path }) => {
  const { job } = await startReviewRoundNow(path.callId ?? '', caller);
  return { statusCode: 202, headers: { location: `/jobs/${job.jobId}` }, body: job };
});
