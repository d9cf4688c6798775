import { listMyDrafts } from '@shared/use-cases/drafts';
import { httpHandler } from './lib/http';

/** `GET /units/me/drafts` (a unit): its drafts, newest first. */
export const handler = httpHandler(async ({ caller }) => ({ body: { drafts: await listMyDrafts(caller) } }));
