import { saveMyDraft } from '@shared/use-cases/drafts';
import { httpHandler } from './lib/http';

/** `PUT /units/me/drafts/{draftId}` (a unit): saves the form as typed so far. */
export const handler = httpHandler(async ({ caller, path, body }) => ({
  body: await saveMyDraft(caller, path.draftId ?? '', body),
}));
