import { getCall } from '@shared/domain/catalogue';
import { notFound } from '@shared/domain/errors';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ path }) => {
  const call = getCall(path.callId ?? '');
  if (!call) throw notFound(`Call ${path.callId}`);
  return { body: call };
});
