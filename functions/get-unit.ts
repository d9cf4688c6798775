import { readUnit } from '@shared/use-cases/unit-records';
import { httpHandler } from './lib/http';

/** `GET /units/{unitId}` (staff): a member unit, its standing with the reasons, and its standing log. */
export const handler = httpHandler(async ({ caller, path }) => ({ body: await readUnit(path.unitId ?? '', caller) }));
