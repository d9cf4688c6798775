import { addExpert } from '@shared/use-cases/expert-review';
import { httpHandler } from './lib/http';

/** `POST /applications/{applicationId}/experts` (staff): adds an expert to one application's panel. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  statusCode: 201,
  body: await addExpert(path.applicationId ?? '', caller, body),
}));
