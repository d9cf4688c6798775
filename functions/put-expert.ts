import { upsertExpert } from '@shared/use-cases/expert-pool';
import { httpHandler } from './lib/http';

/** `PUT /experts/{expertId}` (staff): add an expert to the pool, or update one. */
export const handler = httpHandler(async ({ caller, path, body }) => {
  const { expert, created } = await upsertExpert(path.expertId ?? '', caller, body);
  return { statusCode: created ? 201 : 200, body: expert };
});
