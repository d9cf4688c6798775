import { listCallApplications } from '@shared/use-cases/staff-views/call-applications';
import { httpHandler } from './lib/http';

/** `GET /calls/{callId}/applications` (staff): a page of the call's applications, filtered, with a cursor to the next. */
export const handler = httpHandler(async ({ caller, path, query }) => ({
  body: await listCallApplications(path.callId ?? '', caller, query),
}));
