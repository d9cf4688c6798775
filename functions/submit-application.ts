import { submit } from '@shared/use-cases/submission';
import { countMetric } from '@shared/adapters/metrics';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, path, headers, body }) => {
  const result = await submit(path.callId ?? '', caller, body, headers['idempotency-key']);
  // A replayed request (the same Idempotency-Key) is the earlier submission, not a new one.
  if (!result.replayed) countMetric('Submissions');
  return {
    statusCode: 201,
    body: { applicationId: result.applicationId, status: result.status },
    headers: {
      location: `/applications/${result.applicationId}`,
      ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
  };
});
