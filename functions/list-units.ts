import { listUnits } from '@shared/use-cases/unit-records';
import { httpHandler } from './lib/http';

/** `GET /units` (staff): the member units, a page at a time. */
export const handler = httpHandler(async ({ caller, query }) => ({ body: await listUnits(caller, query) }));
