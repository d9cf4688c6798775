import { recordForumDates } from '@shared/use-cases/forum-dates';
import { httpHandler } from './lib/http';

/** `PUT /applications/{applicationId}/forum-dates` (its unit): the forum's real dates; its reports' due dates follow them. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  statusCode: 200,
  body: await recordForumDates(path.applicationId ?? '', caller, body),
}));
