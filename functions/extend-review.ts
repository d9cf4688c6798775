import { extendReview } from '@shared/use-cases/expert-review';
import { httpHandler } from './lib/http';

/** `POST /applications/{applicationId}/review-deadline` (staff): extends one application's expert review. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  body: await extendReview(path.applicationId ?? '', caller, body),
}));
