import { startReviewRoundNow } from '@shared/use-cases/call-jobs';
import { httpHandler } from './lib/http';

/**
 * `POST /calls/{callId}/expert-assignments` (staff): starts the expert review round. 201 with the
 * round's summary when this request started it, 200 when it was under way already; 409
 * POOL_INSUFFICIENT naming every application the pool cannot serve (nothing assigned).
 */
export const handler = httpHandler(async ({ caller, path }) => {
  const { started, round, batches } = await startReviewRoundNow(path.callId ?? '', caller);
  return {
    statusCode: started ? 201 : 200,
    body: {
      callId: path.callId,
      started,
      state: round.state,
      startedAt: round.startedAt,
      dueAt: round.dueAt,
      summary: round.summary,
      batches,
    },
  };
});
