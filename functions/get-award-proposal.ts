import { readLatestProposal } from '@shared/use-cases/award';
import { httpHandler } from './lib/http';

/** `GET /calls/{callId}/award-proposal` (staff): the latest proposal, and whether it waits, was confirmed or sent back. */
export const handler = httpHandler(async ({ caller, path }) => ({
  body: await readLatestProposal(path.callId ?? '', caller),
}));
