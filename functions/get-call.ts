import { getCall } from '@shared/catalogue';
import { notFound } from '@shared/errors';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ path }) => {
  const call = getCall(path.callId ?? '');
  if (!call) throw notFound(`Call ${path.callId}`);
  return { body: call };
});
