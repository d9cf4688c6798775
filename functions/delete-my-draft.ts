import { deleteMyDraft } from '@shared/use-cases/drafts';
import { httpHandler } from './lib/http';

/** `DELETE /units/me/drafts/{draftId}` (a unit): the draft is gone; its place in the unit's cap is free. */
export const handler = httpHandler(async ({ caller, path }) => ({
  body: await deleteMyDraft(caller, path.draftId ?? ''),
}));
