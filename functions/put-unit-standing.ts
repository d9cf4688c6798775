import { updateStanding } from '@shared/use-cases/member-units';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async ({ caller, path, body }) => ({
  body: await updateStanding(path.unitId ?? '', caller, body),
}));
