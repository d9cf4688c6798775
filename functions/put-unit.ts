import { registerUnit } from '@shared/use-cases/member-units';
import { httpHandler } from './lib/http';

/** `PUT /units/{unitId}` (staff): register a member unit, or update its name and registered email. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  body: await registerUnit(path.unitId ?? '', caller, body),
}));
