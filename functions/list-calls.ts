import { callSummary, listCalls, submissionOpen } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { httpHandler } from './lib/http';

/**
 * `GET /calls`: every call, whether it takes submissions now, and the instant it was asked at. A
 * client counts time left from `now`, the product's clock, never from its own.
 */
export const handler = httpHandler(async () => {
  const at = now();
  return {
    body: {
      now: toBeijingIso(at),
      calls: listCalls().map((call) => ({ ...callSummary(call), submission: submissionOpen(call, at) })),
    },
  };
});
