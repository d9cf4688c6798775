import { getMyDraft } from '@shared/use-cases/drafts';
import { httpHandler } from './lib/http';

/** `GET /units/me/drafts/{draftId}` (a unit): one of its drafts with the form. */
export const handler = httpHandler(async ({ caller, path }) => ({
  body: await getMyDraft(caller, path.draftId ?? ''),
}));
