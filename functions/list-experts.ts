import { listExpertPool } from '@shared/use-cases/expert-pool';
import { httpHandler } from './lib/http';

/** `GET /experts` (staff): the expert pool, a page at a time. */
export const handler = httpHandler(async ({ caller, query }) => ({ body: await listExpertPool(caller, query) }));
