import { submitReport } from '@shared/use-cases/reports';
import { httpHandler } from './lib/http';

/** `POST /applications/{applicationId}/reports/{kind}` (its unit): hands in a report with its uploaded files. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  statusCode: 201,
  body: await submitReport(path.applicationId ?? '', path.kind ?? '', caller, body),
}));
