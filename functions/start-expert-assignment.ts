import { startReviewRoundNow } from '@shared/use-cases/call-jobs';
import { httpHandler } from './lib/http';

/**
 * `POST /calls/{callId}/expert-assignments` (staff): starts the expert review round, or finds it
 * started, and answers 202 with its job (as far as the request carried it; the sweep does the rest);
 * 409 POOL_INSUFFICIENT naming every application the pool cannot serve (nothing assigned).
 */
export const handler = httpHandler(async ({ caller, path }) => {
  const { job } = await startReviewRoundNow(path.callId ?? '', caller);
  return { statusCode: 202, headers: { location: `/jobs/${job.jobId}` }, body: job };
});
