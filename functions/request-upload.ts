import { requestUpload } from '@shared/use-cases/reports';
import { httpHandler } from './lib/http';

/** `POST /applications/{applicationId}/reports/{kind}/attachments` (its unit): a presigned URL to upload one file. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  statusCode: 201,
  body: await requestUpload(path.applicationId ?? '', path.kind ?? '', caller, body),
}));
