import { reviewStatus } from '@shared/use-cases/expert-review';
import { httpHandler } from './lib/http';

/** `GET /calls/{callId}/review-status` (staff): applications per review status, and those short of scores. */
export const handler = httpHandler(async ({ caller, path }) => ({
  body: await reviewStatus(path.callId ?? '', caller),
}));
